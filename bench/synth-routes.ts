/**
 * Benchmark (not a test): what ApiServiceDefaults costs at synth time, and how many routes one stack holds.
 *
 *   npx projen bench:synth
 *
 * Prints, for 100 and 1000 routes on one HTTP API behind one function, the synth time of three stacks, from the first
 * construct to the written assembly as `cdk synth` runs an app (median of several runs, interleaved in the same
 * process):
 * - "bare": the API and its routes, nothing more;
 * - "defaults": the same with ApiServiceDefaults, and its ratio to bare (goals: <= 1.15 at 100 routes, <= 1.10 at
 *   1000). This ratio includes the resources the defaults add (an API-key authorizer with its function, role,
 *   policy, log group and secret; an access log group; four alarms): 14 resources on top of 106 at 100 routes;
 * - "by hand": bare plus those same resources written out with this library's constructs and mixins, no aspect.
 *   Its template is checked to equal the defaults' one, so defaults / by hand is what applying them through an
 *   aspect costs.
 * Then the most routes one stack holds under CloudFormation's 500-resource limit with the defaults applied (goal
 * 300, AWS's per-API maximum). CloudFormation validation is off (CDK_VALIDATION=false): it is a fixed cost that is
 * not ours. Each timed synth starts after a garbage collection, so that one run does not pay for the garbage of the
 * one before.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiServiceDefaults, HttpApiKeyAuthorizer, HttpStageAlarms, mixins, ServiceHttpApi, StageAlarms } from '../src';
import { median } from './median';

process.env.CDK_VALIDATION = 'false';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOALS: Record<number, number> = { 100: 1.15, 1000: 1.1 };
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const CORS_ORIGINS = ['https://app.example.com'];

/** The three stacks compared (see the header). */
type Variant = 'bare' | 'defaults' | 'by hand';

function build(routes: number, variant: Variant, resourceLimit?: number): App {
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
  // What the defaults would create, at the path where they create it.
  const authorizer = variant === 'by hand' ? new HttpApiKeyAuthorizer(api, 'ApiKeyAuthorizer') : undefined;
  for (let i = 0; i < routes; i++) api.addLambdaRoute(`GET /items${i}/{id}`, fn, { authorizer });
  if (variant === 'defaults') {
    const defaults = new ApiServiceDefaults({ corsAllowOrigins: CORS_ORIGINS });
    Aspects.of(stack).add(defaults, { priority: defaults.priority });
  } else if (variant === 'by hand') {
    new mixins.ApiCorsPreflight({ allowOrigins: CORS_ORIGINS }).applyTo(api.node.defaultChild as apigwv2.CfnApi);
    const stage = api.defaultStage as apigwv2.HttpStage;
    const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
    new mixins.StageAccessLogging().applyTo(cfnStage);
    new mixins.StageThrottling().applyTo(cfnStage);
    new HttpStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage });
  }
  return app;
}

/** Builds the app and synthesizes it, as `cdk synth` runs it: constructing a stack is part of its synth time. */
function synthMillis(routes: number, variant: Variant): number {
  collectGarbage();
  const start = process.hrtime.bigint();
  const app = build(routes, variant);
  app.synth();
  const millis = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return millis;
}

/** The synthesized template of a variant. */
function template(routes: number, variant: Variant): unknown {
  const app = build(routes, variant);
  try {
    return app.synth().getStackByName('Bench').template;
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

function fits(routes: number): boolean {
  const app = build(routes, 'defaults', 500);
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

// isDeepStrictEqual ignores the order of keys: construct order decides the order of the resources.
if (!isDeepStrictEqual(template(3, 'by hand'), template(3, 'defaults'))) {
  throw new Error('The "by hand" stack no longer synthesizes the template ApiServiceDefaults gives: update build() to match it.');
}
const VARIANTS: Variant[] = ['bare', 'defaults', 'by hand'];
for (const variant of VARIANTS) synthMillis(10, variant); // warm up module loading
console.log('synth time, one HTTP API, one function (median of %d runs)', RUNS);
console.log('routes |      bare |  defaults |   by hand | defaults / bare (goal) | defaults / by hand');
for (const routes of [100, 1000]) {
  const runs = new Map<Variant, number[]>(VARIANTS.map((variant) => [variant, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const variant of VARIANTS) runs.get(variant)!.push(synthMillis(routes, variant));
  }
  const [bare, defaults, byHand] = VARIANTS.map((variant) => median(runs.get(variant)!));
  const ms = (millis: number) => `${millis.toFixed(0).padStart(6)} ms`;
  const ratio = defaults / bare;
  console.log(`${String(routes).padStart(6)} | ${ms(bare)} | ${ms(defaults)} | ${ms(byHand)} | ${ratio.toFixed(2)} (<= ${GOALS[routes].toFixed(2)}) ${ratio <= GOALS[routes] ? 'met   ' : 'MISSED'} | ${(defaults / byHand).toFixed(2)}`);
}
console.log(`most routes in one stack under the 500-resource limit, with ApiServiceDefaults: ${maxRoutes()} (goal 300)`);
