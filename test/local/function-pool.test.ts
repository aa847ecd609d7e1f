import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FunctionModel } from '../../src/local/api-model';
import { FunctionPool, FunctionPoolOptions } from '../../src/local/function-pool';

/** What the test handler returns: when it ran, in which worker, and its module state. */
interface Run {
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly threadId: number;
  readonly who: string;
  readonly name: string;
  readonly endpoint: string;
}

// Computes for `busy` ms, sleeps `ms`, spins forever on `spin`, exits the worker on `exit`, logs `log`; counts its
// invocations. With `meet: { mine, other }` it creates the file `mine` and waits (at most 2 s) for `other`: two
// invocations that meet this way ran at the same time, however long a worker took to start.
const HANDLER = `
const fs = require('fs');
const { threadId } = require('worker_threads');
let count = 0;
exports.handler = async (event) => {
  count++;
  const start = Date.now();
  if (event.log) console.log(event.log);
  if (event.meet) {
    fs.writeFileSync(event.meet.mine, '');
    for (const until = start + 2000; !fs.existsSync(event.meet.other) && Date.now() < until;) await new Promise(r => setTimeout(r, 5));
  }
  if (event.spin) for (;;) {}
  if (event.busy) for (const until = start + event.busy; Date.now() < until;) {}
  if (event.exit) process.exit(3);
  if (event.ms) await new Promise(resolve => setTimeout(resolve, event.ms));
  return { start, end: Date.now(), count, threadId, who: process.env.WHO, name: process.env.AWS_LAMBDA_FUNCTION_NAME, endpoint: process.env.ENDPOINT };
};
`;

let codeDir: string;
beforeAll(() => {
  codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'function-pool-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), HANDLER);
  // A module whose init (loading) takes 1.2 s.
  fs.writeFileSync(path.join(codeDir, 'slow-init.js'), `for (const until = Date.now() + 1200; Date.now() < until;) {}\n${HANDLER}`);
});

const pools: FunctionPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map(p => p.close()));
});

function fn(name: string, props: Partial<FunctionModel> = {}): FunctionModel {
  const defaults = { handler: 'index.handler', codeDir, runtime: 'nodejs20.x', timeoutSeconds: 3, memoryMb: 128, region: 'us-east-1' };
  return { key: `Stack/${name}`, name, ...defaults, environment: { WHO: name }, ...props };
}

function pool(functions: FunctionModel[], options: Partial<FunctionPoolOptions> = {}): { pool: FunctionPool; logs: string[] } {
  const logs: string[] = [];
  const created = new FunctionPool(new Map(functions.map(f => [f.key, f])), {
    commonEnvironment: {}, rewriteValue: v => v, log: line => logs.push(line), ...options,
  });
  pools.push(created);
  return { pool: created, logs };
}

async function run(p: FunctionPool, f: FunctionModel, event: object = {}, integrationTimeoutMs?: number): Promise<Run> {
  const result = await p.invoke(f.key, event, integrationTimeoutMs);
  if (result.error) {
    throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
  }
  return result.value as Run;
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5000) {
      throw new Error('condition not met within 5 s');
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

test('runs concurrent invocations of one function in parallel workers, console lines prefixed per worker', async () => {
  const slow = fn('slow');
  const { pool: p, logs } = pool([slow]);
  // Each waits for the other to start: had they run one after the other, the first would end before the second
  // started. (A fixed 300 ms overlap failed CI once, when the second worker took longer than that to start.)
  const [mine, other] = [path.join(codeDir, 'first-started'), path.join(codeDir, 'second-started')];
  const [a, b] = await Promise.all([
    run(p, slow, { meet: { mine, other }, log: 'first' }),
    run(p, slow, { meet: { mine: other, other: mine }, log: 'second' }),
  ]);
  expect(a.start).toBeLessThan(b.end);
  expect(b.start).toBeLessThan(a.end);
  expect(a.threadId).not.toBe(b.threadId);
  await waitFor(() => logs.length >= 2);
  expect(logs.sort()).toEqual(['[slow#2] second', '[slow] first']);
});

test('keeps a worker warm: module state persists across sequential invocations', async () => {
  const counter = fn('counter');
  const { pool: p } = pool([counter]);
  const runs = [await run(p, counter), await run(p, counter), await run(p, counter)];
  expect(runs.map(r => r.count)).toEqual([1, 2, 3]);
  expect(new Set(runs.map(r => r.threadId)).size).toBe(1);
});

test('queues invocations beyond the reserved concurrency; time in line does not count against the function timeout', async () => {
  const capped = fn('capped', { reservedConcurrency: 1, timeoutSeconds: 1 });
  const { pool: p } = pool([capped]);
  // In one worker, the third waits 1.2 s, more than the 1 s timeout, and then runs for 0.6 s.
  const runs = await Promise.all([1, 2, 3].map(() => run(p, capped, { ms: 600 })));
  expect(runs.map(r => r.count)).toEqual([1, 2, 3]);
  expect(runs[1].start).toBeGreaterThanOrEqual(runs[0].end);
  expect(runs[2].start).toBeGreaterThanOrEqual(runs[1].end);
});

test('does not count a new worker\'s init (loading the module) against the function timeout', async () => {
  const slowInit = fn('slow-init', { handler: 'slow-init.handler', timeoutSeconds: 1 });
  const { pool: p } = pool([slowInit]);
  expect((await run(p, slowInit, { ms: 500 })).count).toBe(1);
});

test('lets fast invocations share the warm instance: another starts only when all have run one for SCALE_OUT_AFTER_MS', async () => {
  const fast = fn('fast');
  const { pool: p } = pool([fast]);
  const runs = await Promise.all(Array.from({ length: 20 }, () => run(p, fast)));
  // Lambda would start up to 20 environments (here the cap, 10); fast handlers gain nothing from more worker threads.
  expect(new Set(runs.map(r => r.threadId)).size).toBeLessThanOrEqual(3);
  expect(Math.max(...runs.map(r => r.count))).toBeGreaterThan(5);
});

test('runs invocations sent ahead to one warm worker one at a time, in the order they came', async () => {
  const capped = fn('capped', { reservedConcurrency: 1 });
  const { pool: p } = pool([capped]);
  const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => run(p, capped, { busy: i % 3 })));
  expect(runs.map(r => r.count)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  runs.slice(1).forEach((r, i) => expect(r.start).toBeGreaterThanOrEqual(runs[i].end));
});

test('takes invocations waiting behind a long-running one back, for another worker', async () => {
  const f = fn('f');
  const { pool: p } = pool([f]);
  // Sent in one turn, the fast ones first go to the only instance, behind the slow one.
  const slow = run(p, f, { ms: 1000 });
  const fast = await Promise.all([1, 2, 3].map(() => run(p, f)));
  const slowRun = await slow;
  fast.forEach(r => expect(r.threadId).not.toBe(slowRun.threadId));
  expect(Math.max(...fast.map(r => r.end))).toBeLessThan(slowRun.end);
});

test('an invocation given back just as it was to start is not timed out where it did not run', async () => {
  const f = fn('f', { timeoutSeconds: 1 });
  const { pool: p, logs } = pool([f]);
  const warm = await run(p, f);
  // The computing invocation cannot answer the request to give the others back until it ends.
  await Promise.all([run(p, f, { busy: 100 }), ...[1, 2, 3].map(() => run(p, f))]);
  await new Promise(r => setTimeout(r, 1300));
  expect(logs.filter(line => line.includes('timed out'))).toEqual([]);
  // The first instance, idle, takes the next invocation: it was not retired.
  expect((await run(p, f)).threadId).toBe(warm.threadId);
});

test('caps functions without reserved concurrency at defaultConcurrency', async () => {
  const capped = fn('capped');
  const { pool: p } = pool([capped], { defaultConcurrency: 1 });
  const [a, b] = await Promise.all([run(p, capped, { ms: 100 }), run(p, capped, { ms: 100 })]);
  expect(b.start).toBeGreaterThanOrEqual(a.end);
  expect(b.threadId).toBe(a.threadId);
});

test('drops a queued invocation when the integration times out before it starts', async () => {
  const capped = fn('capped', { reservedConcurrency: 1 });
  const { pool: p } = pool([capped]);
  const first = run(p, capped, { ms: 400 });
  const queued = await p.invoke(capped.key, {}, 100);
  expect(queued).toMatchObject({ integrationTimeout: true, error: { errorType: 'Local.IntegrationTimeout' } });
  expect((await first).count).toBe(1);
  expect((await run(p, capped)).count).toBe(2);
});

test('a timeout kills only its own worker, is logged as Lambda does, and the next invocation works', async () => {
  const spin = fn('spin', { timeoutSeconds: 1 });
  const { pool: p, logs } = pool([spin]);
  const timingOut = p.invoke(spin.key, { spin: true });
  await new Promise(r => setTimeout(r, 300));
  // Runs in a second worker from 0.3 s to 1.2 s, past the first one's timeout.
  const survivor = run(p, spin, { ms: 900 });
  expect(await timingOut).toEqual({ error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' } });
  expect(logs).toContain('[spin] Task timed out after 1.00 seconds');
  const survived = await survivor;
  expect(survived.count).toBe(1);
  const next = await run(p, spin);
  expect(next).toMatchObject({ threadId: survived.threadId, count: 2 });
});

test('replaces a crashed worker', async () => {
  const crash = fn('crash');
  const { pool: p } = pool([crash]);
  const before = await run(p, crash);
  expect(await p.invoke(crash.key, { exit: true })).toEqual({ error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with status 3' } });
  const after = await run(p, crash);
  expect(after.count).toBe(1);
  expect(after.threadId).not.toBe(before.threadId);
});

test('gives each function its own environment variables', async () => {
  const [a, b] = [fn('a', { environment: { WHO: 'a', ENDPOINT: 'https://remote' } }), fn('b')];
  const { pool: p } = pool([a, b], { rewriteValue: v => v.replace('https://remote', 'http://127.0.0.1:1') });
  expect(await run(p, a)).toMatchObject({ who: 'a', name: 'a', endpoint: 'http://127.0.0.1:1' });
  expect(await run(p, b)).toMatchObject({ who: 'b', name: 'b' });
  expect(await run(p, b)).not.toHaveProperty('endpoint');
});

test('throttles a function with a reserved concurrency of 0', async () => {
  const off = fn('off', { reservedConcurrency: 0 });
  const { pool: p } = pool([off]);
  expect((await p.invoke(off.key, {})).error).toMatchObject({ errorType: 'TooManyRequestsException' });
});

test('close ends running and queued invocations and refuses new ones', async () => {
  const capped = fn('capped', { reservedConcurrency: 1 });
  const { pool: p } = pool([capped]);
  const running = p.invoke(capped.key, { ms: 5000 });
  const queued = p.invoke(capped.key, {});
  await new Promise(r => setTimeout(r, 200));
  await p.close();
  expect((await running).error).toMatchObject({ errorType: 'Runtime.ExitError' });
  expect((await queued).error).toMatchObject({ errorType: 'Local.Closed' });
  expect((await p.invoke(capped.key, {})).error).toMatchObject({ errorType: 'Local.Closed' });
});

test('throws when the default concurrency is not a positive integer', () => {
  expect(() => pool([], { defaultConcurrency: 0 })).toThrow(/function concurrency must be a positive integer .*got 0/);
});
