import * as crypto from 'crypto';

/** What the emulator knows about an incoming HTTP request. */
export interface HttpRequestInfo {
  readonly method: string;
  /** The path as received, including any stage prefix. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Headers as payload format 2.0 passes them (`requestHeaders`). */
  readonly headers: Record<string, string>;
  /** The cookies of the `Cookie` header(s), if any. */
  readonly cookies?: string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
}

/** A mapped HTTP response. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: string[];
  /** Text (sent as UTF-8), or bytes (e.g. a base64 body, decoded). */
  readonly body: string | Buffer;
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|[\w.+-]+\+(json|xml))|multipart\/form-data)/i;

/** Random bytes for request ids, drawn 1024 ids at a time (one `randomBytes` call per request is costly). */
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/** A request id in API Gateway's format. */
export function newRequestId(): string {
  if (randomOffset + 9 > randomPool.length) {
    randomPool = crypto.randomBytes(9 * 1024);
    randomOffset = 0;
  }
  const bytes = randomPool.subarray(randomOffset, randomOffset += 9);
  return bytes.toString('base64').replace(/[+/]/g, 'A') + '=';
}

/** The last second formatted by `requestTime`, and its text (a request rarely starts a new second). */
let lastTime = { second: NaN, text: '' };

/** API Gateway's access-log time format, e.g. `12/Mar/2020:19:03:58 +0000`. */
export function requestTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastTime.second) {
    const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(date.toUTCString())!;
    lastTime = { second, text: `${day}/${month}/${year}:${time} +0000` };
  }
  return lastTime.text;
}

/** A request's headers as an HTTP API passes them, read once from node's `rawHeaders`. */
export interface RequestHeaders {
  /**
   * Lower-cased names, repeated values joined by commas, no space, as payload format 2.0 passes them
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html): every
   * repeated header, also those node keeps one of (`host`, `authorization` ...). Cookies are in `cookies` instead.
   */
  readonly headers: Record<string, string>;
  readonly cookies?: string[];
  /** The size of the header values, which the HTTP API's header quota counts. */
  readonly valueBytes: number;
}

/** Reads `rawHeaders` (`[name, value, name, value, ...]`) in one pass. */
export function requestHeaders(rawHeaders: string[]): RequestHeaders {
  const headers: Record<string, string> = {};
  let cookieHeader: string | undefined;
  let valueBytes = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    valueBytes += value.length;
    if (name === 'cookie') {
      cookieHeader = cookieHeader === undefined ? value : `${cookieHeader}; ${value}`;
    } else {
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    }
  }
  const cookies = cookieHeader?.split(/;\s*/).filter(Boolean);
  return { headers, cookies: cookies?.length ? cookies : undefined, valueBytes };
}

/** Query parameters as HTTP APIs pass them: decoded, repeated values joined by commas. */
export function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) {
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    result[name] = name in result ? `${result[name]},${value}` : value;
  }
  return result;
}

/** Builds a payload format 2.0 event. */
export function httpEvent(req: HttpRequestInfo, ctx: {
  routeKey: string;
  stage: string;
  apiId: string;
  requestId: string;
  now: Date;
  path: string;
  pathParameters: Record<string, string>;
  authorizer?: unknown;
}): Record<string, unknown> {
  const { headers, cookies } = req;
  const binary = req.body.length > 0 && !TEXT_TYPES.test(headers['content-type'] ?? '');
  const domainName = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: ctx.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(req.rawQueryString ? { queryStringParameters: queryParameters(req.rawQueryString) } : {}),
    ...(Object.keys(ctx.pathParameters).length > 0 ? { pathParameters: ctx.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: ctx.apiId,
      ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: { method: req.method, path: ctx.path, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: ctx.requestId,
      routeKey: ctx.routeKey,
      stage: ctx.stage,
      time: requestTime(ctx.now),
      timeEpoch: ctx.now.getTime(),
    },
    ...(req.body.length > 0 ? { body: binary ? req.body.toString('base64') : req.body.toString('utf-8') } : {}),
    isBase64Encoded: binary,
  };
}

/**
 * Maps a payload format 2.0 Lambda result to an HTTP response: an object with `statusCode` gives status,
 * headers, cookies and body (base64-decoded when `isBase64Encoded`); anything else is a 200 JSON response
 * whose body is the result (a string as-is, other values as JSON). Returns undefined for a malformed result.
 * `multiValueHeaders` is not part of format 2.0 and is ignored, as API Gateway does (repeated response headers
 * go in one header, comma-separated, and cookies in `cookies`).
 */
export function httpResponse(result: unknown): HttpResponse | undefined {
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body };
  }
  const r = result as Record<string, any>;
  const statusCode = Number(r.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  const text = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return {
    statusCode,
    headers,
    cookies: Array.isArray(r.cookies) ? r.cookies.map(String) : [],
    body: r.isBase64Encoded === true ? Buffer.from(text, 'base64') : text,
  };
}

/** An API Gateway error response: `{"message": "..."}`. */
export function message(statusCode: number, text: string): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, cookies: [], body: JSON.stringify({ message: text }) };
}
