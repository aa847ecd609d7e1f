import * as http from 'http';
import { AddressInfo } from 'net';
import { connectionsPath, handleConnectionsRequest } from './connections-api';
import { HttpApiHandler } from './http-api-handler';
import { HttpResponse, message } from './http-event';
import { WebSocketApiHandler } from './websocket-api-handler';

/** What one listening port serves: at most one HTTP API and one WebSocket API (with its `@connections` API). */
export interface LocalServerOptions {
  readonly host: string;
  readonly port: number;
  readonly httpApi?: HttpApiHandler;
  readonly webSocketApi?: WebSocketApiHandler;
  /** Larger request bodies get 413. */
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
}

/** A listening server. */
export interface LocalServer {
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts an HTTP server for one HTTP API and/or one WebSocket API. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server = http.createServer((req, res) => {
    serve(options, req).then(response => send(res, response), e => {
      options.log(`[emulator] ERROR ${e?.stack ?? e}`);
      send(res, message(500, 'Internal Server Error'));
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!options.webSocketApi) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    options.webSocketApi.handleUpgrade(req, socket, head).catch(e => {
      options.log(`[emulator] ERROR ${e?.stack ?? e}`);
      socket.destroy();
    });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    } else {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => new Promise(resolve => {
      options.webSocketApi?.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function serve(options: LocalServerOptions, req: http.IncomingMessage): Promise<HttpResponse> {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQueryString = q < 0 ? '' : target.slice(q + 1);
  const body = await readBody(req, options.maxBodyBytes);
  if (!body) {
    return message(413, 'Request Entity Too Large');
  }
  const connectionId = options.webSocketApi ? connectionsPath(rawPath) : undefined;
  if (options.webSocketApi && connectionId !== undefined) {
    return handleConnectionsRequest(options.webSocketApi.registry, req.method ?? 'GET', connectionId, body);
  }
  if (!options.httpApi) {
    return message(404, 'Not Found');
  }
  return options.httpApi.handle({
    method: req.method ?? 'GET',
    rawPath,
    rawQueryString,
    headers: req.headers,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
  });
}

/** The request body, or undefined when it is larger than `limit` (the rest is then discarded). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, rejectRead) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      tooLarge ||= size > limit;
      if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', rejectRead);
    if (tooLarge) {
      resolve(undefined);
    }
  });
}

function send(res: http.ServerResponse, response: HttpResponse): void {
  if (res.headersSent) {
    return;
  }
  const headers: http.OutgoingHttpHeaders = { ...response.headers };
  if (response.cookies.length > 0) {
    headers['set-cookie'] = response.cookies;
  }
  headers['content-length'] = response.body.length;
  res.writeHead(response.statusCode, headers);
  res.end(response.body);
}
