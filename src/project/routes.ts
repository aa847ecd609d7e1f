/**
 * The routes of the project type and the names derived from them (handler file, generated construct class).
 * Route keys are parsed by the same functions as the wrappers use, which are free of aws-cdk-lib imports:
 * `.projenrc.ts` loads this file.
 */
import { parseHttpRouteKey } from '../http/http-route-key';
import { validateWebSocketRouteKey, WEBSOCKET_RESERVED_ROUTE_KEYS } from '../websocket/websocket-route-key';

/** A route declared in the project options, with the names of its generated files. */
export interface ParsedRoute {
  /** The route key as declared, e.g. `GET /books/{id}` or `sendmessage`. */
  readonly key: string;
  /** Base name of the handler file, e.g. `get-books-by-id` for `src/http/get-books-by-id.lambda.ts`. */
  readonly handlerName: string;
  /** The class projen generates for the handler, e.g. `GetBooksByIdFunction`. */
  readonly functionClass: string;
}

/** An HTTP API route. */
export interface HttpRoute extends ParsedRoute {
  readonly method: string;
  readonly path: string;
  /** Path parameter names, in order; a greedy one keeps its `+` (`proxy+`). */
  readonly parameters: string[];
  /** Whether requests on this route usually carry a body (POST, PUT, PATCH). */
  readonly hasBody: boolean;
}

/**
 * Parses an HTTP API route key such as `GET /books/{id}`. `$default` is refused: the project generates a handler
 * and its test from a method and a path, which the catch-all route has not.
 */
export function parseHttpRoute(key: string): HttpRoute {
  const { method, path, parameters } = parseHttpRouteKey(key);
  if (method === undefined || path === undefined) {
    throw new Error(`HTTP route key "${key}" is the catch-all route, for which the project generates no handler: declare "ANY /{proxy+}" (and "ANY /" for the root path) instead.`);
  }
  const words = path === '/' ? ['root'] : path.slice(1).split('/').map((segment) => {
    if (!segment.startsWith('{')) return segment;
    return segment.endsWith('+}') ? segment.slice(1, -2) : `by-${segment.slice(1, -1)}`;
  });
  const handlerName = kebab([method, ...words].join('-'));
  return { key, method, path, parameters, hasBody: ['POST', 'PUT', 'PATCH'].includes(method), handlerName, functionClass: functionClassOf(handlerName) };
}

/**
 * Parses a custom WebSocket route key such as `sendmessage`; the predefined ones are refused, the project
 * creates them itself (`lifecycleWebSocketRoutes`). A key that does not start with a letter (`1st`) gets a
 * `route-` prefix in its handler name, so that the generated class name is an identifier.
 */
export function parseWebSocketRoute(key: string): ParsedRoute {
  validateWebSocketRouteKey(key, false);
  const name = kebab(key);
  const handlerName = /^[a-z]/.test(name) ? name : kebab(`route-${name}`);
  return { key, handlerName, functionClass: functionClassOf(handlerName) };
}

/** The handlers of the WebSocket routes the project always creates. */
export function lifecycleWebSocketRoutes(): ParsedRoute[] {
  return WEBSOCKET_RESERVED_ROUTE_KEYS.map((key) => {
    const handlerName = `on-${key.slice(1)}`;
    return { key, handlerName, functionClass: functionClassOf(handlerName) };
  });
}

/**
 * Parses route keys and throws on a bad key (its error prefixed with the option name), on a duplicate key or on
 * two keys that would share a handler file.
 * @param what the option name, for messages
 */
export function parseRoutes<T extends ParsedRoute>(keys: string[], parse: (key: string) => T, what: string, taken: ParsedRoute[] = []): T[] {
  const routes = keys.map((key) => {
    try {
      return parse(key);
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}`);
    }
  });
  const seen = new Map<string, ParsedRoute>(taken.map((r) => [r.handlerName, r]));
  for (const route of routes) {
    const other = seen.get(route.handlerName);
    if (other?.key === route.key) {
      throw new Error(`Duplicate route "${route.key}" in ${what}: list each route once.`);
    }
    if (other) {
      throw new Error(`Routes "${other.key}" and "${route.key}" in ${what} would share the handler file "${route.handlerName}.lambda.ts": rename one of them.`);
    }
    seen.set(route.handlerName, route);
  }
  return routes;
}

/**
 * Throws when an HTTP route and a WebSocket route would get the same function class (which is also its construct
 * id in `src/api.generated.ts`), e.g. `POST /sendmessage` and `post-sendmessage`. Their handler files live in
 * different folders, so only the class collides; `POST /sendmessage` next to `sendmessage` is fine.
 */
export function refuseSharedFunctionClasses(httpRoutes: ParsedRoute[], websocketRoutes: ParsedRoute[]): void {
  for (const ws of websocketRoutes) {
    const http = httpRoutes.find((r) => r.functionClass === ws.functionClass);
    if (http) {
      throw new Error(`HTTP route "${http.key}" and WebSocket route "${ws.key}" would both be wired as "${ws.functionClass}" (its class and construct id in src/api.generated.ts): rename one of them, e.g. the WebSocket route to "${ws.key}-message".`);
    }
  }
}

/** `Get_Books.v2` -> `get-books-v2`. */
export function kebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `get-books-by-id` -> `GetBooksByIdFunction`. */
export function functionClassOf(handlerName: string): string {
  return handlerName.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') + 'Function';
}
