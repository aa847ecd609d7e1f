import { AuthorizationOptions, resolveAuthorization } from '../../src/project/authorization-spec';

const ROUTES = ['GET /health', 'GET /books', 'DELETE /books/{id}', 'POST /internal/reindex'];
const ISSUER = { jwtIssuer: 'https://issuer.example.com/', jwtAudience: ['books-api'] };

/** Resolves with the routes above, "GET /health" public, and a WebSocket API. */
const resolve = (options: AuthorizationOptions, publicRoutes = ['GET /health'], hasWebSocketApi = true) =>
  resolveAuthorization(options, ROUTES, publicRoutes, hasWebSocketApi);

describe('the default authorization', () => {
  test('is an API key, except on public routes', () => {
    expect(resolve({})).toEqual({
      authorization: 'api-key',
      routeAuthorization: { 'GET /health': 'none', 'GET /books': 'api-key', 'DELETE /books/{id}': 'api-key', 'POST /internal/reindex': 'api-key' },
      jwtAudience: [],
      userPool: false,
      jwtScopes: [],
    });
  });

  test('is a JWT with an issuer or a user pool', () => {
    expect(resolve(ISSUER)).toMatchObject({ authorization: 'jwt', jwtIssuer: ISSUER.jwtIssuer, jwtAudience: ['books-api'] });
    expect(resolve({ userPool: true })).toMatchObject({ authorization: 'jwt', userPool: true, jwtIssuer: undefined });
  });

  test('follows the deprecated apiKeyRequired of repos made by earlier versions: true is "api-key", false "none"', () => {
    expect(resolve({ apiKeyRequired: true }).routeAuthorization).toEqual(resolve({}).routeAuthorization);
    expect(resolve({ apiKeyRequired: false })).toMatchObject({
      authorization: 'none',
      routeAuthorization: { 'GET /health': 'none', 'GET /books': 'none', 'DELETE /books/{id}': 'none', 'POST /internal/reindex': 'none' },
    });
  });

  test('apiKeyRequired next to an authorization that agrees with it is fine', () => {
    expect(resolve({ apiKeyRequired: false, authorization: 'none' }).authorization).toBe('none');
    expect(resolve({ apiKeyRequired: true, authorization: 'api-key' }).authorization).toBe('api-key');
  });
});

test('routeAuthorization overrides the default per route; the scopes of JWT routes are collected', () => {
  const spec = resolve({
    ...ISSUER,
    authorization: 'jwt:books/read',
    routeAuthorization: { 'DELETE /books/{id}': 'jwt:books/admin,books/owner', 'POST /internal/reindex': 'iam', 'GET /health': 'none' },
  });
  expect(spec.routeAuthorization).toEqual({
    'GET /health': 'none',
    'GET /books': 'jwt:books/read',
    'DELETE /books/{id}': 'jwt:books/admin,books/owner',
    'POST /internal/reindex': 'iam',
  });
  expect(spec.jwtScopes).toEqual(['books/admin', 'books/owner', 'books/read']);
});

test('a JWT route alone is enough to use the issuer, and a JWT $connect alone too', () => {
  expect(resolve({ ...ISSUER, authorization: 'api-key', routeAuthorization: { 'GET /books': 'jwt' } }).routeAuthorization['GET /books']).toBe('jwt');
  expect(resolveAuthorization({ ...ISSUER }, [], [], true).authorization).toBe('jwt');
});

describe('bad input', () => {
  test.each<[string, AuthorizationOptions, string]>([
    ['the authorization is unknown', { authorization: 'oauth' },
      'authorization: Authorization "oauth" is not one this library knows'],
    ['a route has a scope on a non-JWT authorization', { routeAuthorization: { 'POST /internal/reindex': 'iam:admin' } },
      'routeAuthorization["POST /internal/reindex"]: Authorization "iam:admin" gives scopes to "iam", but only JWT routes take scopes'],
    ['an override names an undeclared route', { routeAuthorization: { 'GET /nowhere': 'none' } },
      'routeAuthorization has an entry for "GET /nowhere", which is not one of httpRoutes: add the route to httpRoutes, or remove its entry'],
    ['a public route gets an authorization', { ...ISSUER, routeAuthorization: { 'GET /health': 'jwt' } },
      'Route "GET /health" is in publicRoutes and has routeAuthorization "jwt": a public route has no authorization'],
    ['the issuer is not https', { jwtIssuer: 'http://issuer.example.com/', jwtAudience: ['books-api'] },
      'JWT issuer "http://issuer.example.com/" is not an https:// URL'],
    ['the issuer has no audience', { jwtIssuer: 'https://issuer.example.com/' },
      'jwtIssuer "https://issuer.example.com/" has no jwtAudience: give the values your provider writes in the tokens\' "aud" (or "client_id") claim'],
    ['the audience is empty', { jwtIssuer: 'https://issuer.example.com/', jwtAudience: [] },
      'JWT audience is empty'],
    ['an audience comes without an issuer', { authorization: 'jwt', jwtAudience: ['books-api'] },
      'jwtAudience is set without jwtIssuer'],
    ['JWT routes have no issuer', { authorization: 'jwt' },
      'Authorization "jwt" needs the issuer of the tokens: give jwtIssuer (an https:// URL) and jwtAudience, or userPool: true'],
    ['a JWT override has no issuer', { routeAuthorization: { 'GET /books': 'jwt:books/read' } },
      'Authorization "jwt" needs the issuer of the tokens'],
    ['the issuer is unused', { ...ISSUER, authorization: 'api-key' },
      'jwtIssuer is set but no route is authorized with "jwt": set authorization: "jwt"'],
    ['the user pool is unused', { userPool: true, authorization: 'iam' },
      'userPool is set but no route is authorized with "jwt"'],
    ['a user pool comes with an issuer', { ...ISSUER, userPool: true },
      'userPool is set together with jwtIssuer "https://issuer.example.com/": with userPool, the stack\'s Cognito user pool issues the tokens'],
    ['a user pool scope has no resource server', { userPool: true, routeAuthorization: { 'DELETE /books/{id}': 'jwt:admin' } },
      'JWT scope "admin" has no resource server, which the user pool needs (userPool: true): write it as "<resource server>/<scope>"'],
    ['apiKeyRequired disagrees with authorization', { apiKeyRequired: true, ...ISSUER, authorization: 'jwt' },
      'apiKeyRequired: true and authorization: "jwt" disagree: apiKeyRequired is deprecated, remove it from .projenrc.ts'],
  ])('throws when %s', (_, options, message) => {
    expect(() => resolve(options)).toThrow(message);
  });

  test('throws when the only JWT user is $connect and it has no issuer', () => {
    expect(() => resolveAuthorization({ authorization: 'jwt' }, [], [], true)).toThrow('Authorization "jwt" needs the issuer of the tokens');
  });
});
