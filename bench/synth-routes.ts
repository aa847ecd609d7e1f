/**
 * Benchmark (not a test): what ApiServiceDefaults costs at synth time, and how many routes one stack holds.
 *
 *   npx projen bench:synth
 *
 * Prints, for 100 and 1000 routes on one HTTP API behind one function, the synth time without and with
 * ApiServiceDefaults (median of several runs, interleaved in the same process) and their ratio (goals: <= 1.15 at
 * 100 routes, <= 1.10 at 1000); then the most routes one stack holds under CloudFormation's 500-resource limit with
 * the defaults applied (goal 300, AWS's per-API maximum). CloudFormation validation is off (CDK_VALIDATION=false):
 * it is a fixed cost that is not ours. Each timed synth starts after a garbage collection, so that one run does not
 * pay for the garbage of the one before.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiServiceDefaults, ServiceHttpApi } from '../src';
import { median } from './median';

process.env.CDK_VALIDATION = 'false';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOALS: Record<number, number> = { 100: 1.15, 1000: 1.1 };
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function build(routes: number, withDefaults: boolean, resourceLimit?: number): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const app = new App({ outdir, context: resourceLimit === undefined ? { '@aws-cdk/core:stackResourceLimit': 0 } : {} });
  const stack = new Stack(app, 'Bench');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    timeout: Duration.seconds(10),
  });
  const api = new ServiceHttpApi(stack, 'Api');
  for (let i = 0; i < routes; i++) api.addLambdaRoute(`GET /items${i}/{id}`, fn);
  if (withDefaults) {
    const defaults = new ApiServiceDefaults({ corsAllowOrigins: ['https://app.example.com'] });
    Aspects.of(stack).add(defaults, { priority: defaults.priority });
  }
  return app;
}

function synthMillis(routes: number, withDefaults: boolean): number {
  const app = build(routes, withDefaults);
  collectGarbage();
  const start = process.hrtime.bigint();
  app.synth();
  const millis = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return millis;
}

function fits(routes: number): boolean {
  const app = build(routes, true, 500);
  try {
    app.synth();
    return true;
  } catch (e) {
    if (/resources|500/.test(String(e))) return false;
    throw e;
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

function maxRoutes(): number {
  let lo = 1;
  let hi = 600;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

synthMillis(10, true); // warm up module loading
console.log('synth time, one HTTP API, one function (median of %d runs)', RUNS);
console.log('routes | without defaults | with ApiServiceDefaults | ratio (goal)');
for (const routes of [100, 1000]) {
  const without: number[] = [];
  const withDefaults: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    without.push(synthMillis(routes, false));
    withDefaults.push(synthMillis(routes, true));
  }
  const [a, b] = [median(without), median(withDefaults)];
  console.log(`${String(routes).padStart(6)} | ${a.toFixed(0).padStart(13)} ms | ${b.toFixed(0).padStart(20)} ms | ${(b / a).toFixed(2)} (<= ${GOALS[routes].toFixed(2)})`);
}
console.log(`most routes in one stack under the 500-resource limit, with ApiServiceDefaults: ${maxRoutes()} (goal 300)`);
