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

/** Parses a route key, throwing an error that names the bad part and shows a good key. */
export function parseHttpRouteKey(key: string): ParsedHttpRouteKey {
  if (key === '$default') return { key, parameters: [] };
  const fail = (why: string): never => {
    throw new Error(`HTTP route key "${key}" ${why}. Write it as "<METHOD> /<path>", e.g. "GET /books/{id}" or "ANY /{proxy+}", or use "$default".`);
  };
  const parts = key.split(' ');
  if (parts.length !== 2) fail(parts.length === 1 ? 'has no method' : 'must have exactly one space, between method and path');
  const [method, path] = parts;
  if (!HTTP_ROUTE_METHODS.includes(method)) fail(`has an unknown method "${method}" (use one of ${HTTP_ROUTE_METHODS.join(', ')})`);
  if (!path.startsWith('/')) fail(`has a path "${path}" that does not start with "/"`);
  if (path === '/') return { key, method, path, parameters: [] };
  const segments = path.slice(1).split('/');
  const parameters: string[] = [];
  segments.forEach((segment, i) => {
    if (segment === '') fail('has an empty path segment ("//" or a trailing "/")');
    if (segment.includes('{') || segment.includes('}')) {
      const match = PARAMETER_SEGMENT.exec(segment);
      if (!match) fail(`has a malformed path parameter "${segment}" (a whole segment in balanced braces with a name, like "{id}" or "{proxy+}")`);
      const [, name, greedy] = match!;
      if (greedy && i !== segments.length - 1) fail(`has the greedy parameter "${segment}" before the end of the path (it must be the last segment)`);
      if (parameters.some((p) => p.replace('+', '') === name)) fail(`names the path parameter "${name}" twice`);
      parameters.push(name + greedy);
    } else if (!LITERAL_SEGMENT.test(segment)) {
      fail(`has a path segment "${segment}" with characters API Gateway does not allow`);
    }
  });
  return { key, method, path, parameters };
}
