import { RouteModel } from '../../src/local/api-model';
import { selectHttpRoute } from '../../src/local/http-router';

const route = (routeKey: string): RouteModel => ({ routeKey, authorizationType: 'NONE', authorizationScopes: [], apiKeyRequired: false, returnsResponse: false });
const routes = ['GET /a/b', 'GET /a/{x}', 'ANY /a/{x}', 'GET /{y}/b', 'ANY /a/{proxy+}', 'ANY /{proxy+}', '$default', 'GET /'].map(route);
const select = (method: string, path: string) => selectHttpRoute(routes, method, path);

test('an exact path wins over parameters and greedy paths', () => {
  expect(select('GET', '/a/b')?.route.routeKey).toBe('GET /a/b');
});

test('a literal segment wins over a parameter at the same position', () => {
  expect(select('GET', '/a/c')).toEqual({ route: routes[1], pathParameters: { x: 'c' } });
  expect(select('GET', '/z/b')?.route.routeKey).toBe('GET /{y}/b');
});

test('a route for the method wins over ANY', () => {
  expect(select('POST', '/a/c')?.route.routeKey).toBe('ANY /a/{x}');
});

test('greedy paths match one or more segments, the more specific first', () => {
  expect(select('GET', '/a/b/c')).toEqual({ route: routes[4], pathParameters: { proxy: 'b/c' } });
  expect(select('GET', '/q/r/s')?.route.routeKey).toBe('ANY /{proxy+}');
});

test('the root path matches only its own route; $default catches the rest', () => {
  expect(select('GET', '/')?.route.routeKey).toBe('GET /');
  expect(select('POST', '/')?.route.routeKey).toBe('$default');
});

test('nothing matches without $default', () => {
  expect(selectHttpRoute([route('GET /a')], 'GET', '/b')).toBeUndefined();
});
