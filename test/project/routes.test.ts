import { functionClassOf, kebab, lifecycleWebSocketRoutes, parseHttpRoute, parseRoutes, parseWebSocketRoute } from '../../src/project/routes';

describe('parseHttpRoute', () => {
  test.each([
    ['GET /books', { method: 'GET', path: '/books', handlerName: 'get-books', functionClass: 'GetBooksFunction', hasBody: false }],
    ['GET /books/{id}', { handlerName: 'get-books-by-id', functionClass: 'GetBooksByIdFunction' }],
    ['POST /books', { handlerName: 'post-books', hasBody: true }],
    ['ANY /files/{proxy+}', { handlerName: 'any-files-proxy' }],
    ['GET /', { path: '/', handlerName: 'get-root' }],
    ['DELETE /v2/user_profiles/{userId}', { handlerName: 'delete-v2-user-profiles-by-user-id' }],
  ])('parses "%s"', (key, expected) => {
    expect(parseHttpRoute(key)).toMatchObject({ key, ...expected });
  });

  test.each([
    ['GETT /x', /unknown method "GETT".*use one of ANY, DELETE, GET/],
    ['get /x', /unknown method "get"/],
    ['/x', /Invalid HTTP route "\/x": add a method: "GET \/x"/],
    ['GET books', /the path must start with "\/"; write "GET \/books"/],
    ['GET  /books', /write it as "METHOD \/path"/],
    ['GET /books/{id', /path segment "\{id" must be a word .* or one whole parameter/],
    ['GET /books/id}', /path segment "id\}"/],
    ['GET /books/{}', /path segment "\{\}"/],
    ['GET /books/x{id}', /path segment "x\{id\}"/],
    ['GET /{proxy+}/books', /greedy parameter "\{proxy\+\}" must be the last path segment/],
    ['GET /books/', /empty path segment/],
    ['GET //books', /empty path segment/],
  ])('throws when the key is "%s"', (key, message) => {
    expect(() => parseHttpRoute(key)).toThrow(message);
  });
});

describe('parseWebSocketRoute', () => {
  test('parses a custom route', () => {
    expect(parseWebSocketRoute('sendMessage')).toEqual({ key: 'sendMessage', handlerName: 'send-message', functionClass: 'SendMessageFunction' });
  });

  test.each(['$connect', '$disconnect', '$default'])('throws when the reserved key "%s" is given as a custom route', (key) => {
    expect(() => parseWebSocketRoute(key)).toThrow(`Invalid WebSocket route "${key}": $connect, $disconnect, $default are created by the project`);
  });

  test.each(['send message', '', '1st', 'a/b'])('throws when the key is "%s"', (key) => {
    expect(() => parseWebSocketRoute(key)).toThrow(`Invalid WebSocket route "${key}": use a letter followed by`);
  });

  test('lifecycle routes get on-* handlers', () => {
    expect(lifecycleWebSocketRoutes().map((r) => r.handlerName)).toEqual(['on-connect', 'on-disconnect', 'on-default']);
  });
});

describe('parseRoutes', () => {
  test('throws when a route is listed twice', () => {
    expect(() => parseRoutes(['GET /a', 'GET /a'], parseHttpRoute, 'httpRoutes')).toThrow('Duplicate route "GET /a" in httpRoutes: list each route once.');
  });

  test('throws when two routes would share a handler file', () => {
    expect(() => parseRoutes(['GET /books/{id}', 'GET /books/by-id'], parseHttpRoute, 'httpRoutes'))
      .toThrow('Routes "GET /books/{id}" and "GET /books/by-id" in httpRoutes would share the handler file "get-books-by-id.lambda.ts": rename one of them.');
  });

  test('throws when a custom WebSocket route collides with a lifecycle handler', () => {
    expect(() => parseRoutes(['on-connect'], parseWebSocketRoute, 'websocketRoutes', lifecycleWebSocketRoutes()))
      .toThrow('Routes "$connect" and "on-connect" in websocketRoutes would share the handler file "on-connect.lambda.ts"');
  });
});

test('kebab and functionClassOf', () => {
  expect(kebab('Get_Books.v2')).toBe('get-books-v2');
  expect(kebab('sendMessage')).toBe('send-message');
  expect(functionClassOf('get-books-by-id')).toBe('GetBooksByIdFunction');
});
