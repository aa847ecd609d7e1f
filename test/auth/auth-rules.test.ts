import {
  defaultJwksUri,
  validateJwksUri,
  validateJwtAudience,
  validateJwtIssuer,
  validateJwtScopes,
  validateQueryParameterName,
} from '../../src/auth/auth-rules';

describe('auth rules', () => {
  test.each(['https://example.auth0.com/', 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', 'https://login.example.com:8443/realms/x'])(
    'accepts the issuer %s', (issuer) => {
      expect(() => validateJwtIssuer(issuer)).not.toThrow();
    });

  test.each(['http://example.auth0.com/', 'example.auth0.com', '', 'https://', 'ftp://example.com'])('throws when the issuer is %j', (issuer) => {
    expect(() => validateJwtIssuer(issuer)).toThrow(`JWT issuer "${issuer}" is not an https:// URL: give the "iss" value of your provider's tokens`);
  });

  test('throws when the JWKS URI is not https', () => {
    expect(() => validateJwksUri('http://example.com/keys')).toThrow('JWKS URI "http://example.com/keys" is not an https:// URL');
    expect(() => validateJwksUri('https://example.com/keys')).not.toThrow();
  });

  test('accepts one or more audiences, and passes tokens over', () => {
    expect(() => validateJwtAudience(['api://books', 'web-app'])).not.toThrow();
    expect(() => validateJwtAudience(['${Token[1]}'], (s) => s.startsWith('${Token'))).not.toThrow();
  });

  test('throws when the audience is empty', () => {
    expect(() => validateJwtAudience([])).toThrow('JWT audience is empty: give at least one accepted "aud" value');
  });

  test.each(['', ' ', 'a,b'])('throws when an audience is %j', (value) => {
    expect(() => validateJwtAudience(['ok', value])).toThrow(`JWT audience "${value}" is not usable: give a non-empty value without commas`);
  });

  test.each(['', 'books/read books/write', 'books/\tadmin'])('throws when a scope is %j', (scope) => {
    expect(() => validateJwtScopes(['books/read', scope])).toThrow(`JWT scope "${scope}" is not a scope`);
  });

  test('throws when a query parameter name has characters API Gateway refuses', () => {
    expect(() => validateQueryParameterName('access_token')).not.toThrow();
    expect(() => validateQueryParameterName('a&b')).toThrow('Query-string parameter name "a&b" is not one API Gateway accepts as an identity source');
  });

  test('the default JWKS URI is the well-known path below the issuer, without a double slash', () => {
    expect(defaultJwksUri('https://example.auth0.com/')).toBe('https://example.auth0.com/.well-known/jwks.json');
    expect(defaultJwksUri('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC')).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json');
  });
});
