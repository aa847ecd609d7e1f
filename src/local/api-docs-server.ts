import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { renderApiDocsPage } from './api-docs-page';
import { EmulatorEndpoint } from './emulator';
import { listen, Listening } from './listen';
import { hostNotAllowed, isAllowedHost } from './loopback-host';

/** Where the API documents are: the generated repo's build writes them at its root. */
export interface ApiDocumentFiles {
  /** The folder looked in, absolute. */
  readonly dir: string;
  /** `<dir>/openapi.json`, the OpenAPI document of the HTTP API (it may not exist). */
  readonly openapi: string;
  /** `<dir>/asyncapi.json`, the AsyncAPI document of the WebSocket API (it may not exist). */
  readonly asyncapi: string;
}

/** The documents of `dir` (resolved against the working directory). */
export function apiDocumentFiles(dir: string): ApiDocumentFiles {
  const absolute = path.resolve(dir);
  return { dir: absolute, openapi: path.join(absolute, 'openapi.json'), asyncapi: path.join(absolute, 'asyncapi.json') };
}

/** What the docs server serves. */
export interface ApiDocsServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly documents: ApiDocumentFiles;
  /** The emulator's endpoints: the page lists their stages as the servers of the APIs. */
  readonly endpoints: readonly EmulatorEndpoint[];
}

/**
 * Serves the docs page of the API documents on a port of its own (so no path of it can shadow a route): the page at
 * `/`, the documents as they are at `/openapi.json` and `/asyncapi.json`. The documents are read on every request,
 * so a rebuild shows on the next load.
 */
export async function startApiDocsServer(options: ApiDocsServerOptions): Promise<Listening> {
  const server = http.createServer((req, res) => {
    const { status, headers, body } = answer(options, req);
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return listen(server, options.host, options.port);
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The page forbids every script, frame and remote resource: it needs nothing but its own inline style. */
const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" };
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function answer(options: ApiDocsServerOptions, req: http.IncomingMessage): Answer {
  if (!isAllowedHost(req.headers.host, options.host)) {
    return plain(403, hostNotAllowed(req.headers.host));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const refused = plain(405, 'Method Not Allowed: the docs page answers GET and HEAD');
    return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD' } };
  }
  const { documents } = options;
  try {
    switch ((req.url ?? '/').split('?')[0]) {
      case '/': return { status: 200, headers: PAGE_HEADERS, body: page(options) };
      case '/openapi.json': return { status: 200, headers: JSON_HEADERS, body: readDocument(documents.openapi) ?? missing(documents.openapi) };
      case '/asyncapi.json': return { status: 200, headers: JSON_HEADERS, body: readDocument(documents.asyncapi) ?? missing(documents.asyncapi) };
      default: return plain(404, 'Not Found: the docs page is at /, the documents at /openapi.json and /asyncapi.json');
    }
  } catch (e) {
    return e instanceof MissingDocument ? plain(404, e.message) : plain(500, (e as Error).message);
  }
}

function page({ documents, endpoints }: ApiDocsServerOptions): string {
  const asyncapi = readDocument(documents.asyncapi);
  return renderApiDocsPage({
    openapi: parsed(documents.openapi, readDocument(documents.openapi) ?? missing(documents.openapi)),
    asyncapi: asyncapi === undefined ? undefined : parsed(documents.asyncapi, asyncapi),
    httpServers: endpoints.flatMap(e => e.httpStages.map(stage => ({ label: `HTTP API ${e.httpApi}`, url: `${e.url}${stage}/` }))),
    webSocketServers: endpoints.flatMap(e => e.webSocketStages.map(stage => ({ label: `WebSocket API ${e.webSocketApi}`, url: `${e.url.replace(/^http/, 'ws')}${stage}` }))),
    files: documents,
  });
}

/** A document's text, or undefined when the file does not exist. */
function readDocument(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf-8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

class MissingDocument extends Error {}

function missing(file: string): never {
  throw new MissingDocument(`Not Found: there is no ${file} (npx projen build writes it)`);
}

function parsed(file: string, json: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}): npx projen build writes it again`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`${file} must hold a JSON object (an API document): npx projen build writes it again`);
  }
  return document as Record<string, unknown>;
}

function plain(status: number, body: string): Answer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
