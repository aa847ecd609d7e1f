import { HTTP_ROUTE_METHODS, parseHttpRouteKey } from '../../src/http/http-route-key';

describe('parseHttpRouteKey', () => {
  test.each([
    ['GET /books', 'GET', '/books', []],
    ['GET /books/{id}', 'GET', '/books/{id}', ['id']],
    ['ANY /{proxy+}', 'ANY', '/{proxy+}', ['proxy+']],
    ['GET /', 'GET', '/', []],
    ['DELETE /shelves/{shelfId}/books/{bookId}', 'DELETE', '/shelves/{shelfId}/books/{bookId}', ['shelfId', 'bookId']],
    ['POST /a/{rest+}', 'POST', '/a/{rest+}', ['rest+']],
  ])('parses %s', (key, method, path, parameters) => {
    expect(parseHttpRouteKey(key)).toEqual({ key, method, path, parameters });
  });

  test('parses $default without method or path', () => {
    expect(parseHttpRouteKey('$default')).toEqual({ key: '$default', parameters: [] });
  });

  test.each(HTTP_ROUTE_METHODS)('accepts the method %s', (method) => {
    expect(parseHttpRouteKey(`${method} /x`).method).toBe(method);
  });

  test.each([
    ['GETT /x', 'has an unknown method "GETT"'],
    ['get /x', 'has an unknown method "get"'],
    ['/x', 'has no method'],
    ['GET  /x', 'must have exactly one space'],
    ['GET books', 'has a path "books" that does not start with "/"'],
    ['GET /{}', 'has a malformed path parameter "{}"'],
    ['GET /{id', 'has a malformed path parameter "{id"'],
    ['GET /id}', 'has a malformed path parameter "id}"'],
    ['GET /a{id}', 'has a malformed path parameter "a{id}"'],
    ['GET /{proxy+}/x', 'has the greedy parameter "{proxy+}" before the end of the path'],
    ['GET /a//b', 'has an empty path segment'],
    ['GET /a/', 'has an empty path segment'],
    ['GET /a/{id}/b/{id}', 'names the path parameter "id" twice'],
    ['GET /{id}/{id+}', 'names the path parameter "id" twice'],
    ['GET /a b', 'must have exactly one space'],
    ['GET /a?b', 'has a path segment "a?b" with characters API Gateway does not allow'],
  ])('throws when the key is %s', (key, why) => {
    expect(() => parseHttpRouteKey(key)).toThrow(`HTTP route key "${key}" ${why}`);
  });

  test('the error says how to write a key', () => {
    expect(() => parseHttpRouteKey('GETT /x')).toThrow(/e\.g\. "GET \/books\/\{id\}"/);
  });
});
