import { checkedAuthorization } from '../../../templates/api-service/src/contract/route-authorization.generated';

test.each([
  ['api-key', { kind: 'api-key', scopes: [] }],
  ['iam', { kind: 'iam', scopes: [] }],
  ['none', { kind: 'none', scopes: [] }],
  ['jwt', { kind: 'jwt', scopes: [] }],
  ['jwt:books/admin', { kind: 'jwt', scopes: ['books/admin'] }],
  ['jwt:books/read, books/admin', { kind: 'jwt', scopes: ['books/read', 'books/admin'] }],
  ['jwt:urn:example:scope', { kind: 'jwt', scopes: ['urn:example:scope'] }],
])('the text "%s" (as in routeAuthorization of .projenrc.ts) reads as %j', (text, expected) => {
  expect(checkedAuthorization('GET /x', text)).toEqual(expected);
});

test('an Authorization object of projen-api-service ({ kind, scopes }) is read as it is', () => {
  expect(checkedAuthorization('GET /x', { kind: 'jwt', scopes: ['a'] })).toEqual({ kind: 'jwt', scopes: ['a'] });
  expect(checkedAuthorization('GET /x', { kind: 'iam' })).toEqual({ kind: 'iam', scopes: [] });
});

test('throws when the kind is unknown, naming the route and the value', () => {
  expect(() => checkedAuthorization('GET /x', 'API-KEY')).toThrow(
    'Route "GET /x" has the authorization "API-KEY", which is not one of api-key, jwt, iam, none: use one of them, e.g. "jwt:books/read".');
});

test('throws when a kind other than jwt has scopes', () => {
  expect(() => checkedAuthorization('GET /x', { kind: 'api-key', scopes: ['a', 'b'] })).toThrow(
    'Route "GET /x" has the authorization "api-key" with scopes (a, b): only jwt routes have scopes, e.g. "jwt:a".');
});
