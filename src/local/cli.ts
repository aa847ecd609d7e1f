#!/usr/bin/env node
import * as fs from 'fs';
import { ApiDocumentFiles, apiDocumentFiles, startApiDocsServer } from './api-docs-server';
import { parseCommandLine } from './command-line';
import { CONTRACT_RESPONSES_ENV, Emulator, startEmulator } from './emulator';
import { DEFAULT_FUNCTION_CONCURRENCY } from './function-pool';
import { API_KEYS_ENV, API_KEYS_FILE } from './local-api-keys';
import { processGroupAncestors, whenAnyExits } from './process-group-watch';
import { runTokenCommand } from './token-command';

const USAGE = 'usage: projen-api-service-dev [cdk.out dir] [--port N] [--host 127.0.0.1] [--concurrency N] [--docs-port N] [--documents DIR]';

/** The first port of the APIs. */
export const DEFAULT_PORT = 3000;

/** The port of the API docs page: away from the APIs' ports (3000, 3001, ...) and from the --port 3100 hint. */
export const DEFAULT_DOCS_PORT = 3999;

/** How long a stop (SIGINT, SIGTERM) may take before the process exits anyway. */
const STOP_DEADLINE_MS = 3000;

/** Command-line options of the emulator. */
export interface CliOptions {
  readonly assemblyDir: string;
  readonly port: number;
  readonly host: string;
  /** Most worker threads per function without reserved concurrency. */
  readonly concurrency: number;
  /** The port of the API docs page (0: a free one). */
  readonly docsPort: number;
  /** Where `openapi.json` and `asyncapi.json` are looked for. */
  readonly documentsDir: string;
}

/**
 * Parses `[cdk.out dir] [--port N] [--host H] [--concurrency N] [--docs-port N] [--documents DIR]`, in any order,
 * `--port 4000` or `--port=4000` (so `npx projen dev --port 4000` passes through a task that already names the
 * cdk.out dir).
 */
export function parseArgs(args: string[]): CliOptions {
  type Values = { 'port'?: string; 'host'?: string; 'concurrency'?: string; 'docs-port'?: string; 'documents'?: string };
  const option = { type: 'string' } as const;
  const { values, assemblyDir } = parseCommandLine<Values>(args, {
    'port': option, 'host': option, 'concurrency': option, 'docs-port': option, 'documents': option,
  }, USAGE);
  const port = portNumber('--port', values.port, DEFAULT_PORT);
  // --port 0 (free ports, e.g. for tests or a second emulator) gives the docs page a free port too, unless it has its own.
  const docsPort = portNumber('--docs-port', values['docs-port'], port === 0 ? 0 : DEFAULT_DOCS_PORT);
  const documentsDir = values.documents ?? '.';
  if (!documentsDir) {
    throw new Error(`--documents needs the folder of openapi.json, e.g. --documents . ${USAGE}`);
  }
  const host = values.host ?? '127.0.0.1';
  if (!host) {
    throw new Error(`--host needs an address, e.g. --host 127.0.0.1. ${USAGE}`);
  }
  const concurrency = Number(values.concurrency ?? DEFAULT_FUNCTION_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || values.concurrency === '') {
    throw new Error(`--concurrency must be a whole number of worker threads per function (1 or more), got '${values.concurrency}'. ${USAGE}`);
  }
  return { assemblyDir, port, host, concurrency, docsPort, documentsDir };
}

/** The value of a port option, or `fallback` when it is not given. */
function portNumber(option: string, value: string | undefined, fallback: number): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || value === '') {
    throw new Error(`${option} must be a port number (0-65535), got '${value}'. ${USAGE}`);
  }
  return port;
}

/** The API documents and the URL of their docs page (none without an OpenAPI document). */
export interface ApiDocs {
  readonly documents: ApiDocumentFiles;
  /** @default - no docs page */
  readonly url?: string;
}

/**
 * The startup banner: endpoints, the API documents and their docs page, API key in use, the authorization
 * emulated, strict responses, and what could not be resolved.
 */
export function banner(emulator: Emulator, docs: ApiDocs): string[] {
  const lines: string[] = [];
  for (const endpoint of emulator.endpoints) {
    for (const stage of endpoint.httpStages) {
      lines.push(`HTTP API ${endpoint.httpApi}: ${endpoint.url}${stage}/`);
    }
    for (const stage of endpoint.webSocketStages) {
      lines.push(`WebSocket API ${endpoint.webSocketApi}: ${endpoint.url.replace(/^http/, 'ws')}${stage}` +
        ` (@connections: ${endpoint.url}${stage}/@connections/{id})`);
    }
  }
  if (emulator.endpoints.length === 0) {
    lines.push('No API Gateway v2 API found in the cloud assembly.');
  }
  lines.push(...documentLines(docs));
  lines.push(`API key${emulator.apiKeys.keys.length > 1 ? 's' : ''}: ${emulator.apiKeys.keys.join(', ')} (${emulator.apiKeys.source}; ` +
    `set $${API_KEYS_ENV} or ${API_KEYS_FILE} to change)`);
  lines.push(...authorizationLines(emulator));
  lines.push(strictResponsesLine(emulator));
  lines.push(...emulator.model.warnings.map(w => `warning: ${w}`));
  return lines.map(l => `[emulator] ${l}`);
}

/** Where the API documents are and the URL of their docs page, or how to get them. */
function documentLines({ documents, url }: ApiDocs): string[] {
  if (!url) {
    return [`No openapi.json in ${documents.dir}: no API docs page (npx projen build writes it)`];
  }
  return [
    `API docs: ${url}/`,
    `OpenAPI document: ${documents.openapi} (also at ${url}/openapi.json)`,
    ...(fs.existsSync(documents.asyncapi) ? [`AsyncAPI document: ${documents.asyncapi} (also at ${url}/asyncapi.json)`] : []),
  ];
}

/** That responses breaking their contract are 500s, and which functions opted out by setting the variable themselves. */
function strictResponsesLine(emulator: Emulator): string {
  const own = [...emulator.model.functions.values()].filter(fn => fn.environment[CONTRACT_RESPONSES_ENV] !== undefined &&
    fn.environment[CONTRACT_RESPONSES_ENV] !== 'strict').map(fn => `${fn.name} (${fn.environment[CONTRACT_RESPONSES_ENV]})`);
  return `Responses that break their contract are answered 500 (${CONTRACT_RESPONSES_ENV}=strict)` +
    (own.length > 0 ? `, except by functions that set ${CONTRACT_RESPONSES_ENV} themselves: ${own.join(', ')}` : '');
}

/** What the banner says about JWT and IAM authorization, when the app uses them. */
function authorizationLines(emulator: Emulator): string[] {
  const lines = emulator.jwtIssuers.map(issuer => `JWT (${issuer.usedBy.join(', ')}): tokens of ${issuer.issuer} ` +
    `(audience ${issuer.audience.join(', ')}) are verified against the local signing key in ${API_KEYS_FILE}, not the issuer's keys; ` +
    'get one with: npx projen dev:token --scope <scope> --sub <user> (or projen-api-service-dev token <cdk.out>)');
  const iamRoutes = emulator.model.apis.flatMap(api => api.routes.filter(r => r.authorizationType === 'AWS_IAM').map(r => `${api.name} ${r.routeKey}`));
  if (iamRoutes.length > 0) {
    lines.push(`IAM (${iamRoutes.join(', ')}): requests must be SigV4-signed (Authorization header or presigned URL); ` +
      'the signature is NOT verified locally');
  }
  return lines;
}

/** The one line printed when the emulator cannot start; `option` is the one that sets the port that is busy. */
export function startupError(e: unknown, option: string = '--port'): string {
  const error = e as NodeJS.ErrnoException & { port?: number; address?: string };
  if (error?.code === 'EADDRINUSE') {
    return `Port ${error.port} on ${error.address} is already in use: stop what is using it, or start on another port, e.g. ${option} ${(error.port ?? DEFAULT_PORT) + 100} (${option} 0 picks a free one).`;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Stops the emulator (its servers and every worker thread) on SIGINT or SIGTERM, or when a process that started it
 * in its process group exits (`npx projen dev` stopped by a signal to the npx process alone); a second signal
 * exits at once.
 */
function stopOnSignals(close: () => Promise<unknown>): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    console.log(`[emulator] ${reason}: stopping`);
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  whenAnyExits(processGroupAncestors(), (pid) => stop(`process ${pid}, which started the emulator, exited`));
}

async function main(args: string[]): Promise<void> {
  if (args[0] === 'token') {
    return runTokenCommand(args.slice(1));
  }
  const options = parseArgs(args);
  const emulator = await startEmulator({ ...options, functionConcurrency: options.concurrency });
  const documents = apiDocumentFiles(options.documentsDir);
  const docs = fs.existsSync(documents.openapi) ? await startApiDocsServer({
    host: options.host, port: options.docsPort, documents, endpoints: emulator.endpoints,
  }).catch(async e => {
    await emulator.close();
    throw new Error(startupError(e, '--docs-port'));
  }) : undefined;
  stopOnSignals(() => Promise.all([docs?.close(), emulator.close()]));
  banner(emulator, { documents, url: docs?.url }).forEach(line => console.log(line));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(e => {
    console.error(`[emulator] ${startupError(e)}`);
    process.exit(1);
  });
}
