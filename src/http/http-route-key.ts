/**
 * Parsing of HTTP API route keys (`GET /books/{id}`, `ANY /{proxy+}`, `$default`).
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */

/** The methods an HTTP API route key may name. */
export const HTTP_ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];

/** A parsed HTTP route key; `method` and `path` are undefined for `$default`. */
export interface ParsedHttpRouteKey {
  readonly key: string;
  readonly method?: string;
  readonly path?: string;
  /** Path parameter names, in order; a greedy one keeps its `+`. */
  readonly parameters: string[];
}

const LITERAL_SEGMENT = /^[A-Za-z0-9._~:@!$&'()*,;=-]+$/;
const PARAMETER_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;
const FORMAT = 'write it as "<METHOD> /<path>", e.g. "GET /books/{id}" or "ANY /{proxy+}", or use "$default"';

/**
 * Parses a route key. A bad key throws an error that names the key, says what is wrong with it and how to
 * fix it, with the corrected key where there is one (`/x` -> `GET /x`, `GET books` -> `GET /books`).
 */
export function parseHttpRouteKey(key: string): ParsedHttpRouteKey {
  if (key === '$default') return { key, parameters: [] };
  const fail = (why: string, fix: string): never => {
    throw new Error(`HTTP route key "${key}" ${why}: ${fix}.`);
  };
  const parts = key.split(' ');
  if (parts.length === 1) fail('has no method', key.startsWith('/') ? `add one, e.g. "GET ${key}"` : FORMAT);
  if (parts.length !== 2) {
    const words = key.trim().split(/\s+/);
    fail('must have exactly one space, between method and path', words.length === 2 ? `write "${words.join(' ')}"` : FORMAT);
  }
  const [method, path] = parts;
  if (!HTTP_ROUTE_METHODS.includes(method)) {
    const upper = method.toUpperCase();
    fail(`has an unknown method "${method}"`, HTTP_ROUTE_METHODS.includes(upper)
      ? `methods are upper case, write "${upper} ${path}"`
      : `use one of ${HTTP_ROUTE_METHODS.join(', ')}`);
  }
  if (!path.startsWith('/')) fail(`has a path "${path}" that does not start with "/"`, `write "${method} /${path}"`);
  if (path === '/') return { key, method, path, parameters: [] };
  const segments = path.slice(1).split('/');
  if (segments.includes('')) {
    fail('has an empty path segment ("//" or a trailing "/")', `remove it: "${method} /${segments.filter((s) => s !== '').join('/')}"`);
  }
  const parameters: string[] = [];
  segments.forEach((segment, i) => {
    if (segment.includes('{') || segment.includes('}')) {
      const match = PARAMETER_SEGMENT.exec(segment);
      if (!match) {
        fail(`has a malformed path parameter "${segment}"`, 'a parameter is a whole path segment of a name in balanced braces, like "{id}" or "{proxy+}"');
      }
      const [, name, greedy] = match!;
      if (greedy && i !== segments.length - 1) {
        fail(`has the greedy parameter "${segment}" before the end of the path`, 'make it the last segment, e.g. "ANY /files/{proxy+}"');
      }
      if (parameters.some((p) => p.replace('+', '') === name)) fail(`names the path parameter "${name}" twice`, 'give each parameter its own name');
      parameters.push(name + greedy);
    } else if (!LITERAL_SEGMENT.test(segment)) {
      fail(`has a path segment "${segment}" with characters API Gateway does not allow`,
        'use letters, digits and - . _ ~ : @ ! $ & \' ( ) * , ; = (a query string is not part of the route)');
    }
  });
  return { key, method, path, parameters };
}
