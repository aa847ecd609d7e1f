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
    ['GETT /x', 'has an unknown method "GETT": use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.'],
    ['get /x', 'has an unknown method "get": methods are upper case, write "GET /x".'],
    ['/x', 'has no method: add one, e.g. "GET /x".'],
    ['books', 'has no method: write it as "<METHOD> /<path>", e.g. "GET /books/{id}" or "ANY /{proxy+}", or use "$default".'],
    ['GET  /x', 'must have exactly one space, between method and path: write "GET /x".'],
    [' GET /x', 'must have exactly one space, between method and path: write "GET /x".'],
    ['GET /a b', 'must have exactly one space, between method and path: write it as "<METHOD> /<path>"'],
    ['GET books', 'has a path "books" that does not start with "/": write "GET /books".'],
    ['GET /{}', 'has a malformed path parameter "{}": a parameter is a whole path segment of a name in balanced braces, like "{id}" or "{proxy+}".'],
    ['GET /{id', 'has a malformed path parameter "{id"'],
    ['GET /id}', 'has a malformed path parameter "id}"'],
    ['GET /a{id}', 'has a malformed path parameter "a{id}"'],
    ['GET /{1st}', 'has a malformed path parameter "{1st}"'],
    ['GET /{proxy+}/x', 'has the greedy parameter "{proxy+}" before the end of the path: make it the last segment, e.g. "ANY /files/{proxy+}".'],
    ['GET /a//b', 'has an empty path segment ("//" or a trailing "/"): remove it: "GET /a/b".'],
    ['GET /a/', 'has an empty path segment ("//" or a trailing "/"): remove it: "GET /a".'],
    ['GET /a/{id}/b/{id}', 'names the path parameter "id" twice: give each parameter its own name.'],
    ['GET /{id}/{id+}', 'names the path parameter "id" twice'],
    ['GET /a?b', 'has a path segment "a?b" with characters API Gateway does not allow: use letters, digits and'],
  ])('throws when the key is %s', (key, why) => {
    expect(() => parseHttpRouteKey(key)).toThrow(`HTTP route key "${key}" ${why}`);
  });
});
