import { IncomingMessage } from 'http';
import { RouteModel } from './api-model';
import { newRequestId, requestTime } from './http-event';

/** What every WebSocket event of one connection shares. */
export interface WebSocketEventContext {
  readonly apiId: string;
  readonly stage: string;
  readonly connectionId: string;
  readonly connectedAt: Date;
  readonly domainName: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly authorizer?: Record<string, unknown>;
  /** The IAM caller of an IAM-authorized connection, added to `requestContext.identity`. */
  readonly caller?: Record<string, unknown>;
}

/** The `requestContext` of a WebSocket event. */
export function requestContext(ctx: WebSocketEventContext, routeKey: string, eventType: string, extra: Record<string, unknown> = {}) {
  const now = new Date();
  const requestId = newRequestId();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(now),
    messageDirection: 'IN',
    stage: ctx.stage,
    connectedAt: ctx.connectedAt.getTime(),
    requestTimeEpoch: now.getTime(),
    identity: { ...ctx.caller, sourceIp: ctx.sourceIp, userAgent: ctx.userAgent },
    requestId,
    domainName: ctx.domainName,
    connectionId: ctx.connectionId,
    apiId: ctx.apiId,
    ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
    ...extra,
  };
}

/** Headers with their original case, single- and multi-valued, as `$connect` events carry them. */
export function connectHeaders(req: IncomingMessage): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    (multiValueHeaders[req.rawHeaders[i]] ??= []).push(req.rawHeaders[i + 1]);
  }
  const headers = Object.fromEntries(Object.entries(multiValueHeaders).map(([k, v]) => [k, v[v.length - 1]]));
  return { headers, multiValueHeaders };
}

/** Query parameters, single- and multi-valued, or undefined when there are none. */
export function connectQuery(rawQueryString: string) {
  if (!rawQueryString) {
    return {};
  }
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  const queryStringParameters = Object.fromEntries(Object.entries(multiValueQueryStringParameters).map(([k, v]) => [k, v[v.length - 1]]));
  return { queryStringParameters, multiValueQueryStringParameters };
}

/**
 * Selects the route of a message by the API's route selection expression (`$request.body.action` or
 * `${request.body.action}`): the route whose key equals the selected value, else `$default`, else none.
 */
export function selectWebSocketRoute(routes: RouteModel[], expression: string | undefined, body: string): RouteModel | undefined {
  const fallback = routes.find(r => r.routeKey === '$default');
  const match = /^\$\{?request\.body\.([\w.-]+)\}?$/.exec(expression ?? '');
  if (!match) {
    return fallback;
  }
  let value: any;
  try {
    value = match[1].split('.').reduce((obj: any, key) => obj?.[key], JSON.parse(body));
  } catch {
    return fallback;
  }
  const key = typeof value === 'string' ? value : undefined;
  return routes.find(r => key !== undefined && !key.startsWith('$') && r.routeKey === key) ?? fallback;
}

/** The text sent back to the caller for a route's result (a proxy result's `body`, else the value itself). */
export function routeResponseText(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && 'statusCode' in value) {
    const body = (value as Record<string, unknown>).body;
    return body === undefined || body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  }
  return typeof value === 'string' ? value : value === null ? undefined : JSON.stringify(value);
}
