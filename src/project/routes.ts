/**
 * Route keys of the project type: parsing, validation and the names derived from them
 * (handler file, generated construct class). Free of aws-cdk-lib imports: `.projenrc.ts` loads it.
 */

/** The HTTP methods an HTTP API route key may start with. */
export const HTTP_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** WebSocket route keys the project creates itself; they cannot be declared as custom routes. */
export const RESERVED_WEBSOCKET_ROUTES = ['$connect', '$disconnect', '$default'];

const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PARAM_SEGMENT = /^\{([A-Za-z0-9_]+)(\+?)\}$/;
const WEBSOCKET_ROUTE = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

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
  /** Whether requests on this route usually carry a body (POST, PUT, PATCH). */
  readonly hasBody: boolean;
}

/** Parses and validates an HTTP API route key such as `GET /books/{id}`. */
export function parseHttpRoute(key: string): HttpRoute {
  const example = 'e.g. "GET /books/{id}"';
  const match = /^(\S+) (\S+)$/.exec(key);
  if (!match) {
    const hint = key.startsWith('/') ? `add a method: "GET ${key}"` : `write it as "METHOD /path", ${example}`;
    throw new Error(`Invalid HTTP route "${key}": ${hint}.`);
  }
  const [, method, path] = match;
  if (!HTTP_METHODS.includes(method)) {
    throw new Error(`Invalid HTTP route "${key}": unknown method "${method}"; use one of ${HTTP_METHODS.join(', ')}.`);
  }
  if (!path.startsWith('/')) {
    throw new Error(`Invalid HTTP route "${key}": the path must start with "/"; write "${method} /${path}".`);
  }
  const segments = path === '/' ? [] : path.slice(1).split('/');
  segments.forEach((segment, i) => validatePathSegment(key, segment, i === segments.length - 1));

  const words = segments.map((s) => {
    const param = PARAM_SEGMENT.exec(s);
    if (!param) return s;
    return param[2] ? param[1] : `by-${param[1]}`;
  });
  const handlerName = kebab([method, ...(words.length ? words : ['root'])].join('-'));
  return { key, method, path, hasBody: ['POST', 'PUT', 'PATCH'].includes(method), handlerName, functionClass: functionClassOf(handlerName) };
}

function validatePathSegment(key: string, segment: string, last: boolean): void {
  if (segment === '') {
    throw new Error(`Invalid HTTP route "${key}": empty path segment (a "//" or a trailing "/"); remove it.`);
  }
  if (LITERAL_SEGMENT.test(segment)) return;
  const param = PARAM_SEGMENT.exec(segment);
  if (!param) {
    throw new Error(`Invalid HTTP route "${key}": path segment "${segment}" must be a word (letters, digits, "-", "_", ".", "~") or one whole parameter such as "{id}" or "{proxy+}".`);
  }
  if (param[2] && !last) {
    throw new Error(`Invalid HTTP route "${key}": the greedy parameter "${segment}" must be the last path segment.`);
  }
}

/** Parses and validates a custom WebSocket route key such as `sendmessage`. */
export function parseWebSocketRoute(key: string): ParsedRoute {
  if (RESERVED_WEBSOCKET_ROUTES.includes(key)) {
    throw new Error(`Invalid WebSocket route "${key}": ${RESERVED_WEBSOCKET_ROUTES.join(', ')} are created by the project with their own handlers; remove "${key}" from websocketRoutes.`);
  }
  if (!WEBSOCKET_ROUTE.test(key)) {
    throw new Error(`Invalid WebSocket route "${key}": use a letter followed by letters, digits, "_", ".", ":" or "-" (no spaces, at most 128 characters), e.g. "sendmessage".`);
  }
  const handlerName = kebab(key);
  return { key, handlerName, functionClass: functionClassOf(handlerName) };
}

/** The handlers of the WebSocket routes the project always creates. */
export function lifecycleWebSocketRoutes(): ParsedRoute[] {
  return RESERVED_WEBSOCKET_ROUTES.map((key) => {
    const handlerName = `on-${key.slice(1)}`;
    return { key, handlerName, functionClass: functionClassOf(handlerName) };
  });
}

/**
 * Parses route keys and throws on a duplicate key or on two keys that would share a handler file.
 * @param what the option name, for messages
 */
export function parseRoutes<T extends ParsedRoute>(keys: string[], parse: (key: string) => T, what: string, taken: ParsedRoute[] = []): T[] {
  const routes = keys.map(parse);
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
