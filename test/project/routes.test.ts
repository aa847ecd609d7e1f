import { functionClassOf, kebab, lifecycleWebSocketRoutes, parseHttpRoute, parseRoutes, parseWebSocketRoute, refuseSharedFunctionClasses } from '../../src/project/routes';

describe('parseHttpRoute', () => {
  test.each([
    ['GET /books', { method: 'GET', path: '/books', handlerName: 'get-books', functionClass: 'GetBooksFunction', hasBody: false }],
    ['GET /books/{id}', { handlerName: 'get-books-by-id', functionClass: 'GetBooksByIdFunction', parameters: ['id'] }],
    ['POST /books', { handlerName: 'post-books', hasBody: true }],
    ['ANY /files/{proxy+}', { handlerName: 'any-files-proxy', parameters: ['proxy+'] }],
    ['GET /', { path: '/', handlerName: 'get-root' }],
    ['DELETE /v2/user_profiles/{userId}', { handlerName: 'delete-v2-user-profiles-by-user-id' }],
  ])('parses "%s"', (key, expected) => {
    expect(parseHttpRoute(key)).toMatchObject({ key, ...expected });
  });

  test('accepts the path characters the wrappers accept, and names the handler after the words', () => {
    expect(parseHttpRoute('GET /users/me:settings')).toMatchObject({ handlerName: 'get-users-me-settings' });
  });

  // The messages are the shared parser's (parseHttpRouteKey), the one the ServiceHttpApi wrapper throws too.
  test.each([
    ['GETT /x', 'HTTP route key "GETT /x" has an unknown method "GETT": use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.'],
    ['get /x', 'HTTP route key "get /x" has an unknown method "get": methods are upper case, write "GET /x".'],
    ['/x', 'HTTP route key "/x" has no method: add one, e.g. "GET /x".'],
    ['GET books', 'HTTP route key "GET books" has a path "books" that does not start with "/": write "GET /books".'],
    ['GET  /books', 'HTTP route key "GET  /books" must have exactly one space, between method and path: write "GET /books".'],
    ['GET /books/{id', 'HTTP route key "GET /books/{id" has a malformed path parameter "{id": a parameter is a whole path segment'],
    ['GET /books/id}', 'has a malformed path parameter "id}"'],
    ['GET /books/{}', 'has a malformed path parameter "{}"'],
    ['GET /books/x{id}', 'has a malformed path parameter "x{id}"'],
    ['GET /{proxy+}/books', 'HTTP route key "GET /{proxy+}/books" has the greedy parameter "{proxy+}" before the end of the path: make it the last segment'],
    ['GET /books/', 'has an empty path segment ("//" or a trailing "/"): remove it: "GET /books".'],
    ['GET //books', 'has an empty path segment ("//" or a trailing "/"): remove it: "GET /books".'],
  ])('throws when the key is "%s"', (key, message) => {
    expect(() => parseHttpRoute(key)).toThrow(message);
  });

  test('throws when the key is "$default", which the project cannot give a handler', () => {
    expect(() => parseHttpRoute('$default'))
      .toThrow('HTTP route key "$default" is the catch-all route, for which the project generates no handler: declare "ANY /{proxy+}" (and "ANY /" for the root path) instead.');
  });
});

describe('parseWebSocketRoute', () => {
  test('parses a custom route', () => {
    expect(parseWebSocketRoute('sendMessage')).toEqual({ key: 'sendMessage', handlerName: 'send-message', functionClass: 'SendMessageFunction' });
  });

  test.each([
    ['1st', 'route-1st', 'Route1stFunction'],
    ['_', 'route', 'RouteFunction'],
    ['chat.send', 'chat-send', 'ChatSendFunction'],
  ])('names the handler of "%s" so that its class is an identifier', (key, handlerName, functionClass) => {
    expect(parseWebSocketRoute(key)).toEqual({ key, handlerName, functionClass });
  });

  test.each([
    ['$connect', 'when a client connects. Remove it from the custom routes; its code goes in the connect handler.'],
    ['$disconnect', 'when a client disconnects'],
    ['$default', 'for the messages no other route matches'],
  ])('throws when the predefined key "%s" is given as a custom route', (key, why) => {
    expect(() => parseWebSocketRoute(key)).toThrow(`WebSocket route key "${key}" is predefined, not a custom route: API Gateway calls it ${why}`);
  });

  test.each([
    ['send message', 'send-message'],
    ['', 'sendmessage'],
    ['a/b', 'a-b'],
  ])('throws when the key is "%s"', (key, suggestion) => {
    expect(() => parseWebSocketRoute(key)).toThrow(`WebSocket route key "${key}" is not valid: use 1 to 128 letters, digits, "_", ".", ":" or "-", with no spaces and no leading "$", e.g. "${suggestion}".`);
  });

  test('lifecycle routes get on-* handlers', () => {
    expect(lifecycleWebSocketRoutes().map((r) => r.handlerName)).toEqual(['on-connect', 'on-disconnect', 'on-default']);
  });
});

describe('parseRoutes', () => {
  test('throws when a key is bad, with the option name before the parser error', () => {
    expect(() => parseRoutes(['GET /a', 'GETT /x'], parseHttpRoute, 'httpRoutes')).toThrow('httpRoutes: HTTP route key "GETT /x" has an unknown method "GETT"');
  });

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

describe('refuseSharedFunctionClasses', () => {
  test('throws when an HTTP and a WebSocket route would get the same function class', () => {
    expect(() => refuseSharedFunctionClasses([parseHttpRoute('POST /sendmessage')], [parseWebSocketRoute('postSendmessage')]))
      .toThrow('HTTP route "POST /sendmessage" and WebSocket route "postSendmessage" would both be wired as "PostSendmessageFunction" (its class and construct id in src/api.generated.ts): rename one of them, e.g. the WebSocket route to "postSendmessage-message".');
  });

  test('accepts the issue\'s example, "POST /sendmessage" and "sendmessage": their handlers and classes differ', () => {
    expect(() => refuseSharedFunctionClasses([parseHttpRoute('POST /sendmessage')], [parseWebSocketRoute('sendmessage')])).not.toThrow();
  });
});

test('kebab and functionClassOf', () => {
  expect(kebab('Get_Books.v2')).toBe('get-books-v2');
  expect(kebab('sendMessage')).toBe('send-message');
  expect(functionClassOf('get-books-by-id')).toBe('GetBooksByIdFunction');
});
