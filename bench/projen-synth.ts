/**
 * Benchmark (not a test): `projen new --from <tarball>` against `projen new awscdk-app-ts`, and `npx projen`
 * re-synthesis in the generated repo against the plain awscdk-app-ts repo, measured in the same run, runs
 * interleaved so that both see the same load. Prints the medians, their ratios and where `projen new` spends its
 * time (phases read from projen's own output).
 *
 *   npx projen bench:projen [path/to/projen-api-service.tgz]   (default: $API_SERVICE_TARBALL, dist/js/*.tgz)
 *
 * A third kind of run measures what `--from` itself costs: a one-class project type, projen's awscdk-app-ts under
 * another name, compiled with jsii and packed here, and created with `projen new --from` like ours.
 *
 * Goals: projen new <= 1.1x, re-synthesis <= 1.2x. BENCH_RUNS (default 3) sets the number of runs. The generated
 * repos are removed at the end.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fromSpec, packedTarball } from '../scripts/packed-package';
import { median } from './median';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PROJEN = 'projen@0.103.25';
const ENV: NodeJS.ProcessEnv = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
delete ENV.CI; // with CI set, projen new runs `npm ci`, which needs a lockfile

/** The phases of `projen new`, each ending at the first output line that matches (the last one at the exit). */
const PHASES: [string, RegExp | undefined][] = [
  ['install projen', /installing module/],
  ['install --from package, create', /Project definition file was created/],
  ['npm install', /Resolved dependency versions/],
  ['npm install (again)', /eslint \|/],
  ['eslint --fix', undefined],
];

interface Timing {
  readonly seconds: number;
  /** Seconds per phase; 0 for a phase that did not happen (the built-in type installs no module). */
  readonly phases: Record<string, number>;
}

/** Runs a command; returns its duration and the time of its phases. */
function timed(cwd: string, command: string, args: string[]): Promise<Timing> {
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  const ends = new Map<string, number>();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: ENV });
    const onOutput = (chunk: Buffer) => {
      for (const [name, pattern] of PHASES) {
        if (pattern && !ends.has(name) && pattern.test(String(chunk))) ends.set(name, elapsed());
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} failed (${code}) in ${cwd}`));
      const seconds = elapsed();
      let previous = 0;
      const phases: Record<string, number> = {};
      for (const [name, pattern] of PHASES) {
        const end = pattern ? ends.get(name) ?? previous : seconds;
        phases[name] = end - previous;
        previous = end;
      }
      resolve({ seconds, phases });
    });
  });
}

async function projenNew(args: string[]): Promise<Timing & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  return { dir, ...await timed(dir, 'npx', ['--yes', PROJEN, 'new', ...args, '--no-git']) };
}

async function resynth(dir: string): Promise<number> {
  await timed(dir, 'npx', ['projen']); // warm-up (file-system cache, ts-node cache)
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await timed(dir, 'npx', ['projen'])).seconds);
  return median(runs);
}

/**
 * Packs the smallest external project type into `dir`: projen's awscdk-app-ts as a jsii class of its own, whose
 * manifest depends on projen and constructs only. Returns its `--from` spec.
 */
function packMinimalProjectType(dir: string): string {
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'projen-minimal-type',
    version: '0.0.0',
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    author: { name: 'bench', roles: ['author'] },
    repository: { type: 'git', url: 'https://example.com/projen-minimal-type.git' },
    license: 'Apache-2.0',
    peerDependencies: { projen: '^0.103.25', constructs: '^10.0.0' },
    files: ['lib/*.js', 'lib/*.d.ts', '.jsii'],
    jsii: { outdir: 'dist', targets: {}, tsc: { outDir: 'lib', rootDir: 'src' } },
  }));
  fs.writeFileSync(path.join(dir, 'src', 'index.ts'), [
    "import { awscdk } from 'projen';",
    '/** @pjid minimal */',
    'export class MinimalProject extends awscdk.AwsCdkTypeScriptApp {',
    // projen lists a type's options from its own initializer.
    '  constructor(options: awscdk.AwsCdkTypeScriptAppOptions) { super(options); }',
    '}',
    '',
  ].join('\n'));
  const modules = path.join(__dirname, '..', 'node_modules');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const name of ['projen', 'constructs']) fs.symlinkSync(path.join(modules, name), path.join(dir, 'node_modules', name));
  execFileSync(path.join(modules, '.bin', 'jsii'), { cwd: dir, env: ENV, stdio: 'ignore' });
  const tarball = execFileSync('npm', ['pack', '--silent'], { cwd: dir, encoding: 'utf-8' }).trim();
  return fromSpec(path.join(dir, tarball), 'projen-minimal-type');
}

function report(what: string, ours: number, baseline: number, goal: number): void {
  const ratio = ours / baseline;
  console.log(`${what.padEnd(30)} api-service ${ours.toFixed(1)}s  awscdk-app-ts ${baseline.toFixed(1)}s  ratio ${ratio.toFixed(2)}x (goal <= ${goal}x) ${ratio <= goal ? 'met' : 'MISSED'}`);
}

async function main(): Promise<void> {
  const tarball = packedTarball(process.argv[2]);
  const spec = fromSpec(tarball);
  const minimalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-minimal-type-'));
  const baselines: (Timing & { dir: string })[] = [];
  const ours: (Timing & { dir: string })[] = [];
  const minimal: (Timing & { dir: string })[] = [];
  try {
    const minimalSpec = packMinimalProjectType(minimalDir);
    for (let i = 0; i < RUNS; i++) {
      baselines.push(await projenNew(['awscdk-app-ts']));
      ours.push(await projenNew(['--from', spec]));
      minimal.push(await projenNew(['--from', minimalSpec]));
      console.log(`run ${i + 1}/${RUNS}: projen new api-service ${ours[i].seconds.toFixed(1)}s, awscdk-app-ts ${baselines[i].seconds.toFixed(1)}s, `
        + `minimal --from type ${minimal[i].seconds.toFixed(1)}s`);
    }
    console.log(`\nprojen new, median of ${RUNS}, by phase (seconds):`);
    for (const [name] of PHASES) {
      const phase = (timings: Timing[]) => median(timings.map((t) => t.phases[name] ?? 0)).toFixed(1).padStart(6);
      console.log(`  ${name.padEnd(28)} api-service ${phase(ours)}  awscdk-app-ts ${phase(baselines)}  minimal --from type ${phase(minimal)}`);
    }
    console.log();
    const seconds = (timings: Timing[]) => median(timings.map((t) => t.seconds));
    report(`projen new (median of ${RUNS})`, seconds(ours), seconds(baselines), 1.1);
    console.log(`  the minimal --from type: ${seconds(minimal).toFixed(1)}s, ${(seconds(minimal) / seconds(baselines)).toFixed(2)}x awscdk-app-ts `
      + `(what --from itself costs); api-service ${(seconds(ours) / seconds(minimal)).toFixed(2)}x the minimal type`);
    report(`npx projen (median of ${RUNS})`, await resynth(ours[0].dir), await resynth(baselines[0].dir), 1.2);
  } finally {
    // Each generated repo, with its node_modules, takes about 460 MB.
    for (const dir of [...ours, ...baselines, ...minimal].map((t) => t.dir).concat(path.dirname(tarball), minimalDir)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
