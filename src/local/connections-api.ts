import { isUtf8 } from 'buffer';
import * as crypto from 'crypto';
import { WebSocket } from 'ws';
import { HttpResponse, message } from './http-event';

/** An open WebSocket connection. */
export interface Connection {
  readonly id: string;
  /** The stage the client connected to: only that stage's `@connections` endpoint reaches it. */
  readonly stage: string;
  readonly socket: WebSocket;
  readonly connectedAt: Date;
  readonly sourceIp: string;
  readonly userAgent: string;
  lastActiveAt: Date;
  /** Restarts the idle timer. */
  touch(): void;
}

/** Largest message `POST @connections` accepts (as the WebSocket message limit). */
const MAX_POST_BYTES = 128 * 1024;

/** The open connections of a WebSocket API, by connection id. */
export class ConnectionRegistry {
  private readonly connections = new Map<string, Connection>();

  /** A connection id shaped like API Gateway's (16 characters, base64, ending in `=`). */
  public newId(): string {
    let id: string;
    do {
      id = crypto.randomBytes(11).toString('base64');
    } while (this.connections.has(id));
    return id;
  }

  public add(connection: Connection): void {
    this.connections.set(connection.id, connection);
  }

  public remove(id: string): void {
    this.connections.delete(id);
  }

  public get(id: string): Connection | undefined {
    return this.connections.get(id);
  }

  public get size(): number {
    return this.connections.size;
  }
}

/** An `@connections` management API path: the stage it names (if any) and the decoded connection id. */
export interface ConnectionsPath {
  /** From `/{stage}/@connections/{id}`; undefined for `/@connections/{id}`. */
  readonly stage?: string;
  readonly connectionId: string;
}

/**
 * Whether a path is an `@connections` management API path (`/@connections/{id}` or `/{stage}/@connections/{id}`,
 * `@` possibly encoded as `%40`), and what it names if so.
 */
export function connectionsPath(rawPath: string): ConnectionsPath | undefined {
  const match = /^(?:\/([^/]+))?\/(?:@|%40)connections\/([^/]+)$/.exec(rawPath);
  if (!match) {
    return undefined;
  }
  return { stage: match[1] && decode(match[1]), connectionId: decode(match[2]) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The `@connections` management API of one stage: POST sends the body to the connection, GET describes it,
 * DELETE closes it; an id that is unknown, closed or connected to another stage is 410 GoneException, as
 * `@aws-sdk/client-apigatewaymanagementapi` expects. Each stage has its own endpoint,
 * `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html),
 * so a handler that posts to the wrong stage finds no connection locally, rather than a reply reaching a client
 * of another stage.
 */
export function handleConnectionsRequest(registry: ConnectionRegistry, stage: string, method: string, id: string, body: Buffer): HttpResponse {
  const connection = registry.get(id);
  if (!connection || connection.stage !== stage || connection.socket.readyState !== WebSocket.OPEN) {
    return awsError(410, 'GoneException', null);
  }
  switch (method) {
    case 'POST':
      if (body.length > MAX_POST_BYTES) {
        return awsError(413, 'PayloadTooLargeException', `Message too long: ${body.length} bytes, the limit is ${MAX_POST_BYTES}`);
      }
      connection.socket.send(isUtf8(body) ? body.toString('utf-8') : body);
      connection.touch();
      return { statusCode: 200, headers: {}, cookies: [], body: Buffer.alloc(0) };
    case 'GET':
      return json(200, {
        connectedAt: connection.connectedAt.toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
        lastActiveAt: connection.lastActiveAt.toISOString(),
      });
    case 'DELETE':
      connection.socket.close(1000, 'Connection closed by the @connections API');
      return { statusCode: 204, headers: {}, cookies: [], body: Buffer.alloc(0) };
    default:
      return message(405, 'Method Not Allowed');
  }
}

function awsError(statusCode: number, type: string, text: string | null): HttpResponse {
  return { ...json(statusCode, { message: text }), headers: { 'content-type': 'application/json', 'x-amzn-errortype': type } };
}

function json(statusCode: number, value: unknown): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(JSON.stringify(value)) };
}
