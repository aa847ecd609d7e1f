/**
 * Helpers of the end-to-end tests: the packed tarball, the real `projen new --from`, commands in a generated repo.
 */
import { ChildProcess, execFileSync, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { packedFromSpec } from '../../scripts/packed-package';

export const MINUTES = 60_000;

export const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
};
// Without CI: in CI, projen installs with `npm ci`, which needs a lockfile the generated repos do not have yet.
delete ENV.CI;
// jest sets NODE_ENV=test, which makes projen mute its logger (hiding warnings) and stamp version 99.99.99.
delete ENV.NODE_ENV;

/** The `--from` spec of the packed package. */
export const FROM = packedFromSpec();

/** Runs a command and returns its stdout; throws with its output when it fails. */
export function run(cwd: string, command: string, args: string[]): string {
  return execFileSync(command, args, { cwd, env: ENV, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command; returns its exit status and its output (stdout and stderr). */
export function attempt(cwd: string, command: string, args: string[]): { status: number | null; output: string } {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: result.stdout + result.stderr };
}

/**
 * Runs a command without blocking the event loop (while a test calls a server with fetch: a blocked loop misses the
 * server closing idle connections, and the next fetch fails on a stale one); returns its exit status and output.
 */
export function attemptAsync(
  cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...ENV, ...env } });
    let output = '';
    child.stdout.on('data', (data) => { output += data; });
    child.stderr.on('data', (data) => { output += data; });
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** A new empty folder for a generated repo. */
export function emptyRepoDir(name = 'books-api'): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-service-e2e-')), name);
  fs.mkdirSync(dir);
  return dir;
}

/** `projen new --from <tarball> ...flags` in `dir`. */
export function projenNew(dir: string, ...flags: string[]): { status: number | null; output: string } {
  return attempt(dir, 'npx', ['--yes', 'projen@0.103.25', 'new', '--from', FROM, ...flags]);
}

/** `npx projen build` in `dir`; returns its output; throws with the end of its output when it fails. */
export function build(dir: string): string {
  const { status, output } = attempt(dir, 'npx', ['projen', 'build']);
  if (status !== 0) {
    throw new Error(`npx projen build failed in ${dir}:\n${output.slice(-6000)}`);
  }
  return output;
}

/** A port that is free now. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `npx projen dev` running in a generated repo. */
export interface DevServer {
  /** The `npx` process, leader of its own process group. */
  readonly process: ChildProcess;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<docs port>`: the API docs page */
  readonly docsUrl: string;
  /** What it printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `npx projen dev --port <free port> --docs-port <free port>` in `dir` (free ports, so dev servers of e2e files
 * running side by side never clash); resolves once the emulator has printed its banner.
 */
export async function startDev(dir: string, env: NodeJS.ProcessEnv = {}): Promise<DevServer> {
  const port = await freePort();
  const docsPort = await freePort();
  const args = ['projen', 'dev', '--port', String(port), '--docs-port', String(docsPort)];
  const child = spawn('npx', args, { cwd: dir, env: { ...ENV, ...env }, detached: true });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/API keys?: .*\n/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npx projen dev exited (${code}):\n${output}`)));
  });
  return { process: child, port, url: `http://127.0.0.1:${port}`, docsUrl: `http://127.0.0.1:${docsPort}`, output: () => output };
}

/** Kills whatever is left of a dev server's process group (after a test, pass or fail). */
export function killDev(dev: DevServer | undefined): void {
  try {
    if (dev?.process.pid) process.kill(-dev.process.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Sends `signal` to the `npx` process alone (`kill <pid>`, a supervisor), or to its whole process group (Ctrl-C in a
 * terminal), and resolves with how long it took until nothing listened on the dev server's port any more and no
 * process of the group was left; rejects after `timeoutMs`.
 */
export async function signalAndWaitForStop(dev: DevServer, signal: NodeJS.Signals, to: 'process' | 'group', timeoutMs = 20_000): Promise<number> {
  const start = Date.now();
  process.kill(to === 'group' ? -dev.process.pid! : dev.process.pid!, signal);
  const listening = () => new Promise<boolean>((resolve) => {
    const socket = net.connect(dev.port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
  while (await listening() || groupMembers(dev).length > 0) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`npx projen dev still runs ${timeoutMs} ms after ${signal} to its ${to}: port ${dev.port} ${await listening() ? 'in use' : 'free'}, processes ${groupMembers(dev).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Date.now() - start;
}

/** The process ids still alive in a dev server's process group. */
function groupMembers(dev: DevServer): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf-8' });
  return ps.stdout.split('\n').map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, pgid]) => pgid === dev.process.pid).map(([pid]) => pid);
}
