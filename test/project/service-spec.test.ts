import { deriveServiceName, resolveServiceSpec, ServiceOptions } from '../../src/project/service-spec';

const resolve = (options: ServiceOptions) => resolveServiceSpec(options, 'books-api');

describe('resolveServiceSpec', () => {
  test('no routes at all gives the demo: HTTP API with a public health check and a WebSocket echo', () => {
    const spec = resolve({});
    expect(spec.httpRoutes.map((r) => [r.key, r.isPublic])).toEqual([
      ['GET /health', true], ['GET /books', false], ['GET /books/{id}', false], ['POST /books', false],
    ]);
    expect(spec.websocketRoutes.map((r) => r.key)).toEqual(['sendmessage']);
    expect(spec.lifecycleRoutes.map((r) => r.key)).toEqual(['$connect', '$disconnect', '$default']);
    expect(spec).toMatchObject({ hasHttpApi: true, hasWebSocketApi: true, serviceName: 'books-api' });
    expect(spec.authorization.routeAuthorization).toEqual({ 'GET /health': 'none', 'GET /books': 'api-key', 'GET /books/{id}': 'api-key', 'POST /books': 'api-key' });
    expect(spec.customDomains).toEqual({});
  });

  test('HTTP routes only: no WebSocket API', () => {
    const spec = resolve({ httpRoutes: ['GET /a'] });
    expect(spec).toMatchObject({ hasHttpApi: true, hasWebSocketApi: false, websocketRoutes: [], lifecycleRoutes: [] });
    expect(spec.httpRoutes[0].isPublic).toBe(false);
  });

  test('WebSocket routes only: no HTTP API', () => {
    const spec = resolve({ websocketRoutes: ['chat'] });
    expect(spec).toMatchObject({ hasHttpApi: false, hasWebSocketApi: true, httpRoutes: [] });
  });

  test('passes the other options through', () => {
    const spec = resolve({
      httpRoutes: ['GET /a'],
      publicRoutes: ['GET /a'],
      apiKeyRequired: false,
      corsAllowOrigins: ['https://app.example.com'],
      stageName: 'prod',
      alarmEmail: 'ops@example.com',
      serverErrorThreshold: 5,
      latencyThresholdMs: 0,
      serviceName: 'svc',
    });
    expect(spec).toMatchObject({
      serviceName: 'svc',
      authorization: { authorization: 'none' },
      corsAllowOrigins: ['https://app.example.com'],
      stageName: 'prod',
      alarmEmail: 'ops@example.com',
      serverErrorThreshold: 5,
      latencyThresholdMs: 0,
      corsAllowCredentials: false,
    });
    expect(spec.httpRoutes[0].isPublic).toBe(true);
  });

  test('each API gets its stage: stageName, else "$default" for HTTP and "prod" for WebSocket', () => {
    expect(resolve({})).toMatchObject({ httpStage: '$default', websocketStage: 'prod' });
    expect(resolve({ stageName: 'live' })).toMatchObject({ httpStage: 'live', websocketStage: 'live' });
  });

  test('accepts "$default" as the stage of an HTTP-only service', () => {
    expect(resolve({ httpRoutes: ['GET /a'], stageName: '$default' }).stageName).toBe('$default');
  });

  test.each<[string, ServiceOptions, string | RegExp]>([
    ['a public route is not an HTTP route', { httpRoutes: ['GET /a'], publicRoutes: ['GET /b'] },
      'Public route "GET /b" is not one of httpRoutes: add it to httpRoutes or remove it from publicRoutes.'],
    ['both route lists are empty', { httpRoutes: [], websocketRoutes: [] }, /No routes: .*declare at least one route/],
    ['an HTTP route is invalid', { httpRoutes: ['GETT /x'] }, 'httpRoutes: HTTP route key "GETT /x" has an unknown method "GETT": use one of GET, POST'],
    ['an HTTP route is the catch-all route', { httpRoutes: ['$default'] }, 'httpRoutes: HTTP route key "$default" is the catch-all route, for which the project generates no handler'],
    ['an HTTP and a WebSocket route would share a function class', { httpRoutes: ['POST /sendmessage'], websocketRoutes: ['post-sendmessage'] },
      'HTTP route "POST /sendmessage" and WebSocket route "post-sendmessage" would both be wired as "PostSendmessageFunction"'],
    ['an HTTP route is a duplicate', { httpRoutes: ['GET /x', 'GET /x'] }, 'Duplicate route "GET /x" in httpRoutes'],
    ['a WebSocket route has a space', { websocketRoutes: ['send message'] }, 'websocketRoutes: WebSocket route key "send message" is not valid'],
    ['$connect is a custom WebSocket route', { websocketRoutes: ['$connect'] }, 'websocketRoutes: WebSocket route key "$connect" is predefined, not a custom route'],
    ['a CORS origin is not an origin', { corsAllowOrigins: ['https://app.example.com/'] }, 'CORS origin "https://app.example.com/" is not an origin'],
    ['a CORS origin has no scheme', { corsAllowOrigins: ['app.example.com'] }, 'CORS origin "app.example.com" is not an origin'],
    ['"*" comes with credentials', { corsAllowOrigins: ['*'], corsAllowCredentials: true }, 'CORS origin "*" cannot be used with allowCredentials'],
    ['credentials come without origins', { corsAllowCredentials: true }, 'corsAllowCredentials is set but corsAllowOrigins is not'],
    ['the stage name has a space', { stageName: 'my stage' }, 'Invalid stageName "my stage": use 1-128 letters, digits, "-" or "_", e.g. "prod".'],
    ['the stage is "$default" with a WebSocket API', { stageName: '$default' }, 'Invalid stageName "$default": WebSocket APIs have no $default stage'],
    ['the service name is not kebab-case', { serviceName: 'Books API' }, 'Invalid serviceName "Books API": use lower-case letters'],
    ['the service name ends with "-"', { serviceName: 'books-' }, 'Invalid serviceName "books-"'],
    ['the authorization of a route is unknown', { httpRoutes: ['GET /a'], routeAuthorization: { 'GET /a': 'cookie' } },
      'routeAuthorization["GET /a"]: Authorization "cookie" is not one this library knows'],
    ['a custom domain has no certificate', { httpRoutes: ['GET /a'], domainName: 'api.example.com' },
      'The custom domain "api.example.com" has no certificate'],
    ['the WebSocket domain is given to an HTTP-only service', { httpRoutes: ['GET /a'], webSocketDomainName: 'ws.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
      'webSocketDomainName "ws.example.com" is the WebSocket API\'s custom domain, but the service has no websocketRoutes'],
    ['the alarm e-mail is not an address', { alarmEmail: 'ops' }, 'Invalid alarmEmail "ops": give one e-mail address'],
    ['a threshold is negative', { serverErrorThreshold: -1 }, 'Invalid serverErrorThreshold -1: give a number of 0 or more.'],
    ['a threshold is not a number', { latencyThresholdMs: NaN }, 'Invalid latencyThresholdMs NaN'],
  ])('throws when %s', (_, options, message) => {
    expect(() => resolve(options)).toThrow(message);
  });
});

test.each([
  ['books-api', 'books-api'],
  ['@acme/Books API', 'books-api'],
  ['pt-e2e-XyZ12', 'pt-e2e-xy-z12'],
  ['123', 'api-123'],
  ['---', 'api-service'],
])('deriveServiceName("%s") is "%s"', (name, expected) => {
  expect(deriveServiceName(name)).toBe(expected);
});
