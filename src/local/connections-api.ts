import { isUtf8 } from 'buffer';
import * as crypto from 'crypto';
import { WebSocket } from 'ws';
import { HttpResponse, message } from './http-event';

/** An open WebSocket connection. */
export interface Connection {
  readonly id: string;
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

/**
 * Whether a path is an `@connections` management API path (`/@connections/{id}` or `/{stage}/@connections/{id}`),
 * and the decoded connection id if so.
 */
export function connectionsPath(rawPath: string): string | undefined {
  const match = /^(?:\/[^/]+)?\/@connections\/([^/]+)$/.exec(rawPath);
  if (!match) {
    return undefined;
  }
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/**
 * The `@connections` management API: POST sends the body to the connection, GET describes it, DELETE
 * closes it; an unknown id is 410 GoneException, as `@aws-sdk/client-apigatewaymanagementapi` expects.
 */
export function handleConnectionsRequest(registry: ConnectionRegistry, method: string, id: string, body: Buffer): HttpResponse {
  const connection = registry.get(id);
  if (!connection || connection.socket.readyState !== WebSocket.OPEN) {
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
