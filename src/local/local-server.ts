import * as http from 'http';
import { Duplex } from 'stream';
import { connectionsPath } from './connections-api';
import { HTTP_API_LIMITS, HttpApiHandler } from './http-api-handler';
import { HttpResponse, message, requestHeaders } from './http-event';
import { listen, Listening } from './listen';
import { hostNotAllowed, isAllowedHost } from './loopback-host';
import { WebSocketApiHandler } from './websocket-api-handler';

/** What one listening port serves: at most one HTTP API and one WebSocket API (with its `@connections` API). */
export interface LocalServerOptions {
  readonly host: string;
  readonly port: number;
  readonly httpApi?: HttpApiHandler;
  readonly webSocketApi?: WebSocketApiHandler;
  readonly log: (line: string) => void;
}

/** A listening server. */
export type LocalServer = Listening;

/** Starts an HTTP server for one HTTP API and/or one WebSocket API. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server = http.createServer((req, res) => {
    serve(options, req).then(response => send(res, response), e => {
      options.log(`[emulator] ERROR ${e?.stack ?? e}`);
      send(res, message(500, 'Internal Server Error'));
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, options.host)) {
      answerRaw(socket, message(403, hostNotAllowed(req.headers.host)));
    } else if (!options.webSocketApi) {
      answerRaw(socket, message(400, 'Bad Request'));
    } else {
      options.webSocketApi.handleUpgrade(req, socket, head);
    }
  });
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    // Headers over node's own limit (16 KB) never reach `serve`: same answer as over the HTTP API's.
    const tooLarge = e.code === 'HPE_HEADER_OVERFLOW';
    if (socket.writable) {
      answerRaw(socket, tooLarge ? message(431, 'Request Header Fields Too Large') : message(400, 'Bad Request'));
    } else {
      socket.destroy();
    }
  });
  const listening = await listen(server, options.host, options.port);
  return {
    url: listening.url,
    close: () => {
      options.webSocketApi?.close();
      return listening.close();
    },
  };
}

async function serve(options: LocalServerOptions, req: http.IncomingMessage): Promise<HttpResponse> {
  const limits = options.httpApi?.limits ?? HTTP_API_LIMITS;
  const { headers, cookies, valueBytes } = requestHeaders(req.rawHeaders);
  if (!isAllowedHost(headers.host, options.host)) {
    return message(403, hostNotAllowed(headers.host));
  }
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQueryString = q < 0 ? '' : target.slice(q + 1);
  const connections = options.webSocketApi && connectionsPath(rawPath);
  // The HTTP API quota counts the request line and the header values.
  const headerBytes = `${req.method} ${target} HTTP/${req.httpVersion}`.length + valueBytes;
  if (options.httpApi && !connections && headerBytes > limits.maxHeaderBytes) {
    return message(431, 'Request Header Fields Too Large');
  }
  const hasBody = headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
  const body = hasBody ? await readBody(req, Number(headers['content-length'] ?? 0), limits.maxPayloadBytes) : EMPTY;
  if (!body) {
    return message(413, 'Request Entity Too Large');
  }
  if (connections) {
    return options.webSocketApi!.handleConnections(connections, req.method ?? 'GET', body);
  }
  if (!options.httpApi) {
    return message(404, 'Not Found');
  }
  return options.httpApi.handle({
    method: req.method ?? 'GET',
    rawPath,
    rawQueryString,
    headers,
    cookies,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
  });
}

const EMPTY = Buffer.alloc(0);

/** The request body, or undefined when it is (or is declared) larger than `limit` (the rest is then discarded). */
function readBody(req: http.IncomingMessage, declared: number, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, rejectRead) => {
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
  headers['content-length'] = Buffer.byteLength(response.body);
  res.writeHead(response.statusCode, headers);
  // A string body goes out in one write with the headers.
  res.end(response.body);
}

/** Answers on a raw socket (an upgrade request, or a request node could not parse) and closes it. */
function answerRaw(socket: Duplex, response: HttpResponse): void {
  const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${response.statusCode} ${http.STATUS_CODES[response.statusCode]}\r\nConnection: close\r\n${headers}` +
    `Content-Length: ${Buffer.byteLength(response.body)}\r\n\r\n${response.body}`);
}
