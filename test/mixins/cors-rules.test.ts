import { MAX_CORS_MAX_AGE_SECONDS, validateCorsOrigins } from '../../src/mixins/cors-rules';

describe('validateCorsOrigins', () => {
  test.each([
    'https://app.example.com',
    'http://localhost:3000',
    'https://*.example.com',
    'HTTPS://App.Example.COM',
    '*',
  ])('accepts %s', (origin) => {
    expect(() => validateCorsOrigins([origin], false)).not.toThrow();
  });

  test('accepts exact origins with credentials', () => {
    expect(() => validateCorsOrigins(['https://a.example.com', 'https://b.example.com'], true)).not.toThrow();
  });

  test('passes over what the token check names', () => {
    expect(() => validateCorsOrigins(['${Token[Origin.1]}'], false, (s) => s.startsWith('${Token'))).not.toThrow();
  });

  test('throws when the list is empty', () => {
    expect(() => validateCorsOrigins([], false)).toThrow(/CORS allowOrigins is empty: list at least one origin/);
  });

  test.each([
    'app.example.com',
    'https://x.com/path',
    'https://app.example.com/',
    'ftp://example.com',
    'https://',
    'https://exa mple.com',
  ])('throws when an origin is not an origin: %s', (origin) => {
    expect(() => validateCorsOrigins(['https://ok.example.com', origin], false))
      .toThrow(`CORS origin "${origin}" is not an origin`);
  });

  test('throws when "*" is paired with credentials', () => {
    expect(() => validateCorsOrigins(['https://app.example.com', '*'], true))
      .toThrow(/CORS origin "\*" cannot be used with allowCredentials/);
  });

  test('the maxAge bound is 24 hours', () => {
    expect(MAX_CORS_MAX_AGE_SECONDS).toBe(24 * 60 * 60);
  });
});
