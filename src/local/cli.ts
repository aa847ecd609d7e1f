#!/usr/bin/env node
import { parseCommandLine } from './command-line';
import { Emulator, startEmulator } from './emulator';
import { DEFAULT_FUNCTION_CONCURRENCY } from './function-pool';
import { API_KEYS_ENV, API_KEYS_FILE } from './local-api-keys';
import { processGroupAncestors, whenAnyExits } from './process-group-watch';
import { runTokenCommand } from './token-command';

const USAGE = 'usage: projen-api-service-dev [cdk.out dir] [--port N] [--host 127.0.0.1] [--concurrency N]';

/** How long a stop (SIGINT, SIGTERM) may take before the process exits anyway. */
const STOP_DEADLINE_MS = 3000;

/** Command-line options of the emulator. */
export interface CliOptions {
  readonly assemblyDir: string;
  readonly port: number;
  readonly host: string;
  /** Most worker threads per function without reserved concurrency. */
  readonly concurrency: number;
}

/**
 * Parses `[cdk.out dir] [--port N] [--host H] [--concurrency N]`, in any order, `--port 4000` or `--port=4000`
 * (so `npx projen dev --port 4000` passes through a task that already names the cdk.out dir).
 */
export function parseArgs(args: string[]): CliOptions {
  const { values, assemblyDir } = parseCommandLine<{ port?: string; host?: string; concurrency?: string }>(args, {
    port: { type: 'string' }, host: { type: 'string' }, concurrency: { type: 'string' },
  }, USAGE);
  const port = Number(values.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port === '') {
    throw new Error(`--port must be a port number (0-65535), got '${values.port}'. ${USAGE}`);
  }
  const host = values.host ?? '127.0.0.1';
  if (!host) {
    throw new Error(`--host needs an address, e.g. --host 127.0.0.1. ${USAGE}`);
  }
  const concurrency = Number(values.concurrency ?? DEFAULT_FUNCTION_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || values.concurrency === '') {
    throw new Error(`--concurrency must be a whole number of worker threads per function (1 or more), got '${values.concurrency}'. ${USAGE}`);
  }
  return { assemblyDir, port, host, concurrency };
}

/** The startup banner: endpoints, API key in use, the authorization emulated and what could not be resolved. */
export function banner(emulator: Emulator): string[] {
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
  lines.push(`API key${emulator.apiKeys.keys.length > 1 ? 's' : ''}: ${emulator.apiKeys.keys.join(', ')} (${emulator.apiKeys.source}; ` +
    `set $${API_KEYS_ENV} or ${API_KEYS_FILE} to change)`);
  lines.push(...authorizationLines(emulator));
  lines.push(...emulator.model.warnings.map(w => `warning: ${w}`));
  return lines.map(l => `[emulator] ${l}`);
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

/** The one line printed when the emulator cannot start. */
export function startupError(e: unknown): string {
  const error = e as NodeJS.ErrnoException & { port?: number; address?: string };
  if (error?.code === 'EADDRINUSE') {
    return `Port ${error.port} on ${error.address} is already in use: stop what is using it, or start on another port, e.g. --port ${(error.port ?? 3000) + 100} (--port 0 picks a free one).`;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Stops the emulator (its servers and every worker thread) on SIGINT or SIGTERM, or when a process that started it
 * in its process group exits (`npx projen dev` stopped by a signal to the npx process alone); a second signal
 * exits at once.
 */
function stopOnSignals(emulator: Emulator): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    console.log(`[emulator] ${reason}: stopping`);
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    void emulator.close().then(() => process.exit(0));
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
  stopOnSignals(emulator);
  banner(emulator).forEach(line => console.log(line));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(e => {
    console.error(`[emulator] ${startupError(e)}`);
    process.exit(1);
  });
}
