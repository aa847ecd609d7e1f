#!/usr/bin/env node
import { Emulator, startEmulator } from './emulator';
import { API_KEYS_ENV, API_KEYS_FILE } from './local-api-keys';

const USAGE = 'usage: projen-api-service-dev [cdk.out dir] [--port N] [--host 127.0.0.1]';

/** Command-line options of the emulator. */
export interface CliOptions {
  readonly assemblyDir: string;
  readonly port: number;
  readonly host: string;
}

/** Parses `[cdk.out dir] [--port N] [--host H]`. */
export function parseArgs(args: string[]): CliOptions {
  let assemblyDir = 'cdk.out';
  let port = 3000;
  let host = '127.0.0.1';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--port') {
      port = Number(args[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port must be a port number (0-65535), got '${args[i]}'. ${USAGE}`);
      }
    } else if (arg === '--host') {
      host = args[++i] ?? '';
      if (!host) {
        throw new Error(`--host needs an address, e.g. --host 127.0.0.1. ${USAGE}`);
      }
    } else if (arg.startsWith('-')) {
      throw new Error(`Unknown option '${arg}'. ${USAGE}`);
    } else {
      assemblyDir = arg;
    }
  }
  return { assemblyDir, port, host };
}

/** The startup banner: endpoints, API key in use and what could not be resolved. */
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
  lines.push(...emulator.model.warnings.map(w => `warning: ${w}`));
  return lines.map(l => `[emulator] ${l}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  banner(emulator).forEach(line => console.log(line));
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch(e => {
    console.error(`[emulator] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
