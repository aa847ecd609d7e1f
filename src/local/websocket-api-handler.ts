import * as crypto from 'crypto';
import { IncomingMessage, STATUS_CODES } from 'http';
import { Duplex } from 'stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { ApiModel, RouteModel } from './api-model';
import { Connection, ConnectionRegistry, ConnectionsPath, handleConnectionsRequest } from './connections-api';
import { FunctionPool } from './function-pool';
import { HttpResponse, message } from './http-event';
import { MISSING_AUTHENTICATION_TOKEN, sigV4AccessKey, webSocketIamIdentity } from './iam-authorization';
import { LambdaAuthorizer } from './lambda-authorizer';
import { connectHeaders, connectQuery, requestContext, routeResponseText, selectWebSocketRoute, WebSocketEventContext } from './websocket-event';
import { FrameHeader, OPCODE, watchFrameHeaders } from './websocket-frames';

/** Limits of WebSocket APIs (API Gateway's by default; smaller ones make tests fast). */
export interface WebSocketLimits {
  /** Larger frames close the connection with 1009; larger messages are sent as several frames. */
  readonly maxFrameBytes: number;
  /** Larger messages close the connection with 1009. */
  readonly maxMessageBytes: number;
  readonly idleTimeoutMs: number;
  readonly maxConnectionMs: number;
  readonly integrationTimeoutMs: number;
}

/**
 * API Gateway's WebSocket limits: 32 KB frames, 128 KB messages (both close with 1009 when exceeded), 10 min idle,
 * 2 h per connection, 29 s integrations
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 */
export const WEBSOCKET_LIMITS: WebSocketLimits = {
  maxFrameBytes: 32 * 1024,
  maxMessageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60_000,
  maxConnectionMs: 2 * 3600_000,
  integrationTimeoutMs: 29_000,
};

/** The key selection expression that takes the key from the `$connect` authorizer's `usageIdentifierKey`. */
const AUTHORIZER_KEY_SELECTION = '$context.authorizer.usageIdentifierKey';

/** Close codes API Gateway uses (RFC 6455, section 7.4.1). */
const CLOSE = { unsupportedData: 1003, tooBig: 1009, goingAway: 1001 } as const;

/** Answers `ws` calls `verifyClient` with: accept, or refuse with a status and a JSON body. */
type VerifyCallback = (verified: boolean, code?: number, message?: string, headers?: Record<string, string>) => void;

/** Serves one WebSocket API (`ProtocolType: WEBSOCKET`) the way API Gateway does. */
export class WebSocketApiHandler {
  /** The open connections, for the `@connections` API. */
  public readonly registry = new ConnectionRegistry();
  private readonly server: WebSocketServer;
  /** What `$connect` accepted, from the handshake to the open connection. */
  private readonly accepted = new WeakMap<IncomingMessage, WebSocketEventContext>();

  constructor(
    private readonly api: ApiModel,
    private readonly pool: FunctionPool,
    private readonly authorizer: LambdaAuthorizer,
    private readonly apiKeys: string[],
    private readonly limits: WebSocketLimits,
    private readonly log: (line: string) => void,
  ) {
    // `ws` validates the handshake (method, Upgrade, Sec-WebSocket-Key and -Version) before it calls verifyClient,
    // so an invalid upgrade is refused without running `$connect`.
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      verifyClient: (info: { req: IncomingMessage }, done: VerifyCallback) => {
        const refuse = (refusal: HttpResponse) => done(false, refusal.statusCode, refusal.body.toString(), { 'Content-Type': 'application/json' });
        this.connect(info.req).then(refusal => (refusal ? refuse(refusal) : done(true)), e => {
          this.log(`[emulator] ERROR ${e?.stack ?? e}`);
          refuse(message(500, 'Internal Server Error'));
        });
      },
    });
  }

  /** Upgrades a request to a WebSocket connection if `$connect` accepts it. */
  public handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(req, socket, head, ws => this.open(ws, socket, this.accepted.get(req)!));
  }

  /**
   * The `@connections` API of the stage a path names (`/{stage}/@connections/{id}`); `/@connections/{id}`
   * reaches the API's only stage, when it has one.
   */
  public handleConnections(path: ConnectionsPath, method: string, body: Buffer): HttpResponse {
    const stage = path.stage ?? (this.api.stages.length === 1 ? this.api.stages[0] : '');
    return handleConnectionsRequest(this.registry, stage, method, path.connectionId, body);
  }

  /** Closes every connection (as a stage being torn down would). */
  public close(): void {
    for (const ws of this.server.clients) {
      ws.terminate();
    }
    this.server.close();
  }

  /** Runs the API key check, the authorizer and `$connect` for a valid handshake; a refusal, or undefined to accept. */
  private async connect(req: IncomingMessage): Promise<HttpResponse | undefined> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const stage = this.api.stages.find(s => (s === '$default' ? url.pathname === '/' : url.pathname.replace(/\/$/, '') === `/${s}`));
    if (!stage) {
      return message(403, 'Forbidden');
    }
    const ctx: WebSocketEventContext = {
      apiId: this.api.apiId,
      stage,
      connectionId: this.registry.newId(),
      connectedAt: new Date(),
      // The Host the client used, port included: handlers build their `@connections` endpoint from it.
      domainName: req.headers.host ?? 'localhost',
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: req.headers['user-agent'] ?? '',
    };
    const route = this.api.routes.find(r => r.routeKey === '$connect');
    const { headers, multiValueHeaders } = connectHeaders(req);
    const query = connectQuery(url.search.slice(1));
    const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const identity = { headers: lowerHeaders, query: query.queryStringParameters ?? {} };
    let authorized = ctx;
    let authorizerKey: string | undefined;
    if (route?.authorizationType === 'AWS_IAM') {
      const accessKey = sigV4AccessKey(identity);
      if (!accessKey) {
        return message(403, MISSING_AUTHENTICATION_TOKEN);
      }
      authorized = { ...ctx, caller: webSocketIamIdentity(accessKey, this.api.account) };
    }
    if (route?.authorizationType === 'CUSTOM' && route.authorizer) {
      const methodArn = `arn:aws:execute-api:${this.api.region}:123456789012:${this.api.apiId}/${stage}/$connect`;
      const outcome = await this.authorizer.authorize(route.authorizer, {
        ...identity,
        arn: methodArn,
        event: { type: 'REQUEST', methodArn, headers, multiValueHeaders, ...query, stageVariables: {}, requestContext: requestContext(ctx, '$connect', 'CONNECT') },
        unauthorizedError: true,
      });
      switch (outcome.decision) {
        case 'unauthorized': return message(401, 'Unauthorized');
        case 'forbidden': return message(403, 'Forbidden');
        case 'error': return message(500, 'Internal Server Error');
      }
      authorized = { ...ctx, authorizer: { ...outcome.context, ...(outcome.principalId ? { principalId: outcome.principalId } : {}) } };
      authorizerKey = outcome.usageIdentifierKey;
    }
    // As the stage's usage plan does on AWS: the key must be one of the (local) API keys.
    if (route?.apiKeyRequired && !this.apiKeys.includes(this.apiKeyOf(lowerHeaders, authorizerKey) ?? '')) {
      return message(403, 'Forbidden');
    }
    if (route) {
      const result = await this.pool.invoke(route.functionKey, {
        headers, multiValueHeaders, ...query, requestContext: requestContext(authorized, '$connect', 'CONNECT'), isBase64Encoded: false,
      }, this.limits.integrationTimeoutMs);
      const status = result.error ? 500 : statusOf(result.value);
      if (status < 200 || status > 299) {
        return message(status, status === 500 ? 'Internal Server Error' : STATUS_CODES[status] ?? 'Error');
      }
    }
    this.accepted.set(req, authorized);
    return undefined;
  }

  /**
   * The API key of a `$connect` by the API's key selection expression: a header (`$request.header.x-api-key`, the
   * default) or the key the authorizer returned (`$context.authorizer.usageIdentifierKey`)
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html).
   */
  private apiKeyOf(headers: Record<string, string>, authorizerKey: string | undefined): string | undefined {
    const expression = this.api.apiKeySelectionExpression ?? '$request.header.x-api-key';
    if (expression === AUTHORIZER_KEY_SELECTION) {
      return authorizerKey;
    }
    const header = /^\$request\.header\.(.+)$/.exec(expression)?.[1] ?? 'x-api-key';
    return headers[header.toLowerCase()];
  }

  private open(ws: WebSocket, socket: Duplex, ctx: WebSocketEventContext): void {
    let idle: NodeJS.Timeout;
    const goAway = () => ws.close(CLOSE.goingAway, 'Going away');
    const lifetime = setTimeout(goAway, this.limits.maxConnectionMs);
    const connection: Connection = {
      id: ctx.connectionId,
      stage: ctx.stage,
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
    watchFrameHeaders(socket, frame => this.checkFrame(ws, frame));
    ws.on('error', e => this.log(`[websocket ${ctx.connectionId}] ${e.message}`));
    ws.on('message', data => {
      // Nothing more is routed once the connection is closing (e.g. after a refused frame).
      if (ws.readyState === WebSocket.OPEN) {
        connection.touch();
        void this.onMessage(ws, ctx, data);
      }
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

  /**
   * Refuses what API Gateway refuses, frame by frame: binary frames close the connection with 1003
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-binary-media-types.html),
   * frames over 32 KB with 1009 (see WEBSOCKET_LIMITS). Returns whether to keep watching.
   */
  private checkFrame(ws: WebSocket, frame: FrameHeader): boolean {
    if (frame.opcode === OPCODE.binary) {
      ws.close(CLOSE.unsupportedData, 'Binary frames are not supported');
      return false;
    }
    if (frame.payloadBytes > this.limits.maxFrameBytes) {
      ws.close(CLOSE.tooBig, `Frame too big: ${frame.payloadBytes} bytes, the limit is ${this.limits.maxFrameBytes}`);
      return false;
    }
    return true;
  }

  private async onMessage(ws: WebSocket, ctx: WebSocketEventContext, data: RawData): Promise<void> {
    const body = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf-8');
    const route: RouteModel | undefined = selectWebSocketRoute(this.api.routes, this.api.routeSelectionExpression, body);
    const context = requestContext(ctx, route?.routeKey ?? '$default', 'MESSAGE', { messageId: crypto.randomBytes(11).toString('base64') });
    const send = (text: string) => ws.readyState === WebSocket.OPEN && ws.send(text);
    if (!route) {
      send(JSON.stringify({ message: 'Forbidden', connectionId: ctx.connectionId, requestId: context.requestId }));
      return;
    }
    const event = { requestContext: context, body, isBase64Encoded: false };
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
