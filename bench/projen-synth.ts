/**
 * Benchmark (not a test): `projen new --from <tarball>` against `projen new awscdk-app-ts`, and `npx projen`
 * re-synthesis in the generated repo against the plain awscdk-app-ts repo, measured in the same run.
 *
 *   npx ts-node bench/projen-synth.ts [path/to/projen-api-service.tgz]   (default: $API_SERVICE_TARBALL, dist/js/*.tgz)
 *
 * Goals: re-synthesis <= 1.2x, projen new <= 1.1x.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packedFromSpec } from '../scripts/packed-package';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROJEN = 'projen@0.103.25';
const ENV = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

/** Seconds taken by a command. */
function time(cwd: string, command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { cwd, env: ENV, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function projenNew(args: string[]): { dir: string; seconds: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  return { dir, seconds: time(dir, 'npx', ['--yes', PROJEN, 'new', ...args, '--no-git']) };
}

function resynth(dir: string): number {
  time(dir, 'npx', ['projen']); // warm-up (file-system cache, ts-node cache)
  return median(Array.from({ length: RUNS }, () => time(dir, 'npx', ['projen'])));
}

function report(what: string, ours: number, baseline: number, goal: number): boolean {
  const ratio = ours / baseline;
  const ok = ratio <= goal;
  console.log(`${what.padEnd(28)} api-service ${ours.toFixed(2)}s  awscdk-app-ts ${baseline.toFixed(2)}s  ratio ${ratio.toFixed(2)}x (goal <= ${goal}x) ${ok ? 'OK' : 'OVER'}`);
  return ok;
}

const spec = packedFromSpec(process.argv[2]);
const baseline = projenNew(['awscdk-app-ts']);
const ours = projenNew(['--from', spec]);
const results = [
  report('projen new', ours.seconds, baseline.seconds, 1.1),
  report(`npx projen (median of ${RUNS})`, resynth(ours.dir), resynth(baseline.dir), 1.2),
];
process.exitCode = results.every(Boolean) ? 0 : 1;
