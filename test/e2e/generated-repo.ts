/**
 * Helpers of the end-to-end tests: the packed tarball, the real `projen new --from`, commands in a generated repo.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
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
