import { CorsModel } from './api-model';

/** Whether a request is a CORS preflight (which HTTP APIs with a CORS configuration answer themselves). */
export function isPreflight(method: string, headers: Record<string, string>): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

/** Headers of the answer to a preflight: none when the origin is not allowed (the browser then refuses). */
export function preflightHeaders(cors: CorsModel, headers: Record<string, string>): Record<string, string> {
  const origin = allowedOrigin(cors, headers.origin);
  if (!origin) {
    return {};
  }
  const requestedHeaders = headers['access-control-request-headers'];
  const result: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.allowMethods.length > 0) {
    result['access-control-allow-methods'] = wildcard(cors.allowMethods, cors) ? headers['access-control-request-method'] : cors.allowMethods.join(',');
  }
  if (cors.allowHeaders.length > 0 && (requestedHeaders || !wildcard(cors.allowHeaders, cors))) {
    result['access-control-allow-headers'] = wildcard(cors.allowHeaders, cors) ? requestedHeaders : cors.allowHeaders.join(',');
  }
  if (cors.maxAge !== undefined) {
    result['access-control-max-age'] = String(cors.maxAge);
  }
  return withCredentials(cors, result);
}

/**
 * The response headers of an actual (non-preflight) request: CORS headers returned by the integration are
 * dropped, and the configured ones are added when the request's origin is allowed.
 */
export function corsResponseHeaders(cors: CorsModel, requestOrigin: string | undefined,
  responseHeaders: Record<string, string>): Record<string, string> {
  const result = Object.fromEntries(Object.entries(responseHeaders).filter(([name]) => !name.startsWith('access-control-')));
  const origin = allowedOrigin(cors, requestOrigin);
  if (!origin) {
    return result;
  }
  result['access-control-allow-origin'] = origin;
  if (cors.exposeHeaders.length > 0) {
    result['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  }
  if (origin !== '*') {
    result.vary = result.vary ? `${result.vary}, Origin` : 'Origin';
  }
  return withCredentials(cors, result);
}

/** The value of `access-control-allow-origin` for an origin, or undefined when the origin is not allowed. */
export function allowedOrigin(cors: CorsModel, origin: string | undefined): string | undefined {
  if (!origin) {
    return undefined;
  }
  for (const allowed of cors.allowOrigins) {
    if (allowed === '*') {
      return cors.allowCredentials ? origin : '*';
    }
    const pattern = new RegExp(`^${allowed.split('*').map(escapeRegExp).join('[^/]*')}$`, 'i');
    if (pattern.test(origin)) {
      return origin;
    }
  }
  return undefined;
}

function wildcard(values: string[], cors: CorsModel): boolean {
  return values.includes('*') && cors.allowCredentials;
}

function withCredentials(cors: CorsModel, headers: Record<string, string>): Record<string, string> {
  return cors.allowCredentials ? { ...headers, 'access-control-allow-credentials': 'true' } : headers;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
