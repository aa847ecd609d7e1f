import * as crypto from 'crypto';
import { IncomingMessage, STATUS_CODES } from 'http';
import { Duplex } from 'stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { ApiModel, RouteModel } from './api-model';
import { Connection, ConnectionRegistry } from './connections-api';
import { FunctionPool } from './function-pool';
import { LambdaAuthorizer } from './lambda-authorizer';
import { connectHeaders, connectQuery, requestContext, routeResponseText, selectWebSocketRoute, WebSocketEventContext } from './websocket-event';

/** Limits of WebSocket APIs (API Gateway's by default; smaller ones make tests fast). */
export interface WebSocketLimits {
  /** Larger messages close the connection with 1009. */
  readonly maxMessageBytes: number;
  readonly idleTimeoutMs: number;
  readonly maxConnectionMs: number;
  readonly integrationTimeoutMs: number;
}

/** API Gateway's WebSocket limits: 128 KB messages, 10 min idle, 2 h per connection, 29 s integrations. */
export const WEBSOCKET_LIMITS: WebSocketLimits = {
  maxMessageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60_000,
  maxConnectionMs: 2 * 3600_000,
  integrationTimeoutMs: 29_000,
};

/** Serves one WebSocket API (`ProtocolType: WEBSOCKET`) the way API Gateway does. */
export class WebSocketApiHandler {
  /** The open connections, for the `@connections` API. */
  public readonly registry = new ConnectionRegistry();
  private readonly server: WebSocketServer;

  constructor(
    private readonly api: ApiModel,
    private readonly pool: FunctionPool,
    private readonly authorizer: LambdaAuthorizer,
    private readonly apiKeys: string[],
    private readonly limits: WebSocketLimits,
    private readonly log: (line: string) => void,
  ) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  }

  /** Runs `$connect` for an upgrade request, then accepts or rejects it. */
  public async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const stage = this.api.stages.find(s => (s === '$default' ? url.pathname === '/' : url.pathname.replace(/\/$/, '') === `/${s}`));
    if (!stage) {
      return reject(socket, 403, 'Forbidden');
    }
    const ctx: WebSocketEventContext = {
      apiId: this.api.apiId,
      stage,
      connectionId: this.registry.newId(),
      connectedAt: new Date(),
      domainName: req.headers.host ?? 'localhost',
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: req.headers['user-agent'] ?? '',
    };
    const route = this.api.routes.find(r => r.routeKey === '$connect');
    const { headers, multiValueHeaders } = connectHeaders(req);
    const query = connectQuery(url.search.slice(1));
    const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (route?.apiKeyRequired && !this.apiKeys.includes(this.apiKeyOf(lowerHeaders) ?? '')) {
      return reject(socket, 403, 'Forbidden');
    }
    let authorized = ctx;
    if (route?.authorizationType === 'CUSTOM' && route.authorizer) {
      const methodArn = `arn:aws:execute-api:${this.api.region}:123456789012:${this.api.apiId}/${stage}/$connect`;
      const outcome = await this.authorizer.authorize(route.authorizer, {
        headers: lowerHeaders,
        query: query.queryStringParameters ?? {},
        arn: methodArn,
        event: { type: 'REQUEST', methodArn, headers, multiValueHeaders, ...query, stageVariables: {}, requestContext: requestContext(ctx, '$connect', 'CONNECT') },
      });
      if (outcome.decision !== 'allow') {
        const [status, text] = { unauthorized: [401, 'Unauthorized'], forbidden: [403, 'Forbidden'], error: [500, 'Internal Server Error'] }[outcome.decision] as [number, string];
        return reject(socket, status, text);
      }
      authorized = { ...ctx, authorizer: { ...outcome.context, ...(outcome.principalId ? { principalId: outcome.principalId } : {}) } };
    }
    if (route) {
      const result = await this.pool.invoke(route.functionKey, {
        headers, multiValueHeaders, ...query, requestContext: requestContext(authorized, '$connect', 'CONNECT'), isBase64Encoded: false,
      }, this.limits.integrationTimeoutMs);
      const status = result.error ? 500 : statusOf(result.value);
      if (status < 200 || status > 299) {
        return reject(socket, status, status === 500 ? 'Internal Server Error' : STATUS_CODES[status] ?? 'Error');
      }
    }
    if (socket.destroyed) {
      return;
    }
    this.server.handleUpgrade(req, socket, head, ws => this.open(ws, authorized));
  }

  /** Closes every connection (as a stage being torn down would). */
  public close(): void {
    for (const ws of this.server.clients) {
      ws.terminate();
    }
    this.server.close();
  }

  private apiKeyOf(headers: Record<string, string>): string | undefined {
    const header = /^\$request\.header\.(.+)$/.exec(this.api.apiKeySelectionExpression ?? '$request.header.x-api-key')?.[1] ?? 'x-api-key';
    return headers[header.toLowerCase()];
  }

  private open(ws: WebSocket, ctx: WebSocketEventContext): void {
    let idle: NodeJS.Timeout;
    const goAway = () => ws.close(1001, 'Going away');
    const lifetime = setTimeout(goAway, this.limits.maxConnectionMs);
    const connection: Connection = {
      id: ctx.connectionId,
      socket: ws,
      connectedAt: ctx.connectedAt,
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      lastActiveAt: new Date(),
      touch: () => {
        connection.lastActiveAt = new Date();
        clearTimeout(idle);
        idle = setTimeout(goAway, this.limits.idleTimeoutMs);
      },
    };
    connection.touch();
    this.registry.add(connection);
    ws.on('error', e => this.log(`[websocket ${ctx.connectionId}] ${e.message}`));
    ws.on('message', (data, isBinary) => {
      connection.touch();
      void this.onMessage(ws, ctx, data, isBinary);
    });
    ws.on('close', (code, reason) => {
      clearTimeout(idle);
      clearTimeout(lifetime);
      this.registry.remove(ctx.connectionId);
      const route = this.api.routes.find(r => r.routeKey === '$disconnect');
      if (route) {
        void this.pool.invoke(route.functionKey, {
          headers: { Host: ctx.domainName },
          requestContext: requestContext(ctx, '$disconnect', 'DISCONNECT', { disconnectStatusCode: code, disconnectReason: reason.toString() }),
          isBase64Encoded: false,
        }, this.limits.integrationTimeoutMs);
      }
    });
  }

  private async onMessage(ws: WebSocket, ctx: WebSocketEventContext, data: RawData, isBinary: boolean): Promise<void> {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    const body = isBinary ? buffer.toString('base64') : buffer.toString('utf-8');
    const route: RouteModel | undefined = isBinary
      ? this.api.routes.find(r => r.routeKey === '$default')
      : selectWebSocketRoute(this.api.routes, this.api.routeSelectionExpression, body);
    const context = requestContext(ctx, route?.routeKey ?? '$default', 'MESSAGE', { messageId: crypto.randomBytes(11).toString('base64') });
    const send = (text: string) => ws.readyState === WebSocket.OPEN && ws.send(text);
    if (!route) {
      send(JSON.stringify({ message: 'Forbidden', connectionId: ctx.connectionId, requestId: context.requestId }));
      return;
    }
    const event = { requestContext: context, body, isBase64Encoded: isBinary };
    const result = await this.pool.invoke(route.functionKey, event, this.limits.integrationTimeoutMs);
    if (result.error) {
      send(JSON.stringify({ message: 'Internal server error', connectionId: ctx.connectionId, requestId: context.requestId }));
    } else if (route.returnsResponse) {
      const text = routeResponseText(result.value);
      if (text !== undefined) {
        send(text);
      }
    }
  }
}

function statusOf(value: unknown): number {
  const status = value !== null && typeof value === 'object' && 'statusCode' in value ? Number((value as any).statusCode) : 200;
  return Number.isInteger(status) ? status : 500;
}

function reject(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) {
    return;
  }
  const body = JSON.stringify({ message: text });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
