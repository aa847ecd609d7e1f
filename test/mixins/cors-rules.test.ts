import { MAX_CORS_MAX_AGE_SECONDS, validateCorsMerge, validateCorsOrigins } from '../../src/mixins/cors-rules';

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

describe('validateCorsMerge', () => {
  const exact = { allowOrigins: ['https://a.example.com'] };

  test('accepts exact origins merged into exact origins, and anything merged into "*"', () => {
    expect(() => validateCorsMerge('Api', exact, { allowOrigins: ['https://b.example.com'] }, { allowOrigins: ['https://a.example.com', 'https://b.example.com'] })).not.toThrow();
    expect(() => validateCorsMerge('Api', { allowOrigins: ['*'] }, exact, { allowOrigins: ['*', 'https://a.example.com'] })).not.toThrow();
  });

  test('passes over token origins', () => {
    expect(() => validateCorsMerge('Api', { allowOrigins: ['${Token[O.1]}'] }, { allowOrigins: ['*'] }, { allowOrigins: ['${Token[O.1]}', '*'] },
      (s) => s.startsWith('${Token'))).not.toThrow();
  });

  test('throws when "*" would be added to exact origins', () => {
    expect(() => validateCorsMerge('Stack/Api', exact, { allowOrigins: ['*'] }, { allowOrigins: ['https://a.example.com', '*'] }))
      .toThrow('CORS of Stack/Api allows the exact origins ["https://a.example.com"], and merging ApiCorsPreflight\'s ["*"] would widen it to every origin');
  });

  test('throws when the merged configuration pairs "*" with credentials', () => {
    expect(() => validateCorsMerge('Stack/Api', { allowOrigins: ['*'] }, { allowOrigins: ['https://a.example.com'], allowCredentials: true },
      { allowOrigins: ['*', 'https://a.example.com'], allowCredentials: true }))
      .toThrow('CORS of Stack/Api would allow origin "*" (from the API) with allowCredentials: true (from ApiCorsPreflight)');
  });
});
