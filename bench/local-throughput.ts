/**
 * Benchmark (not a test): how fast the local emulator (`projen-api-service-dev`) serves, on loopback.
 *
 *   npx ts-node --transpile-only -P tsconfig.json bench/local-throughput.ts
 *
 * 1. HTTP: autocannon at 50 connections against (a) the emulator serving `GET /hello` of the test fixture app and
 *    (b) a bare node `http` server calling the same handler module in-process with a minimal payload 2.0 event, in
 *    BENCH_ROUNDS (default 3) rounds of BENCH_SECONDS (default 5) each, the two alternated so that both see the
 *    same load of a shared machine. Prints, per round, requests/s, p50 and p99 latency of each and, on Linux, the
 *    CPU time each request costs the main thread and the other threads (function workers, GC), which shared
 *    machines blur less than req/s; then the median of the rounds' throughput ratios emulator/bare (goal >= 0.5)
 *    and p99 ratios (goal <= 2), with their range.
 * 2. WebSocket: opens BENCH_WS_CONNECTIONS (default 1000) connections to the fixture's WebSocket API, holds them
 *    all open, sends one message on each (the fixture's `$default` route echoes it back through `@connections`),
 *    waits for every echo (at most 60 s), prints the time taken and how many succeeded, then closes them all.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { RunningFixture, startFixture } from '../test/local/fixtures/start-fixture';
import { connect, TestClient } from '../test/local/fixtures/ws-client';
import { median } from './median';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const WS_CONNECTIONS = Number(process.env.BENCH_WS_CONNECTIONS ?? 1000);
const WS_DEADLINE_MS = 60_000;

/** The part of autocannon's result this benchmark reads (autocannon ships no types). */
interface LoadResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Responses by status code, e.g. `{ '200': { count: 9000 } }`. */
  readonly statusCodeStats: Record<string, { readonly count: number }>;
}
// autocannon ships no type declarations; this is the one call the benchmark makes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (options: object) => Promise<LoadResult> = require('autocannon');

type Handler = (event: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

/** A bare node http server that calls the fixture's echo handler in-process, as a baseline. */
async function startBareServer(): Promise<{ url: string; server: http.Server }> {
  // The same file the emulator loads for GET /hello (handler `http.echo`).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const echo: Handler = require(path.join(__dirname, '../test/local/fixtures/handlers/http.js')).echo;
  const server = http.createServer((req, res) => {
    const [rawPath, rawQueryString = ''] = (req.url ?? '/').split('?');
    const event = {
      version: '2.0',
      routeKey: `${req.method} ${rawPath}`,
      rawPath,
      rawQueryString,
      headers: req.headers,
      requestContext: { http: { method: req.method, path: rawPath, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress } },
      isBase64Encoded: false,
    };
    echo(event).then(result => {
      res.writeHead(result.statusCode, result.headers);
      res.end(result.body);
    }, () => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** CPU time (µs) of each live thread of this process, by thread id; empty where /proc is not available. */
function threadCpu(): Map<string, number> {
  const dir = `/proc/${process.pid}/task`;
  if (!fs.existsSync(dir)) {
    return new Map();
  }
  // utime and stime, in clock ticks of 10 ms, are fields 14 and 15 of stat (counted after the command name).
  return new Map(fs.readdirSync(dir).flatMap(tid => {
    try {
      const fields = fs.readFileSync(`${dir}/${tid}/stat`, 'utf-8').split(') ')[1].split(' ');
      return [[tid, (Number(fields[11]) + Number(fields[12])) * 10_000] as [string, number]];
    } catch {
      return [];
    }
  }));
}

/**
 * Runs autocannon from a worker thread (so the load generator does not share the server's event loop). The
 * threads that outlive the run are the server's: the main thread and, for the emulator, the function workers.
 */
async function load(name: string, url: string, logs: readonly string[] = []): Promise<LoadResult> {
  // Warm-up: starts the function's worker and lets the JIT settle.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, workers: 1 });
  const before = threadCpu();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
  const after = threadCpu();
  const failed = result.non2xx + result.errors + result.timeouts;
  console.log(`${name.padEnd(9)} ${result.requests.average.toFixed(0).padStart(7)} req/s   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms`
    + (failed > 0 ? `   (${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts)` : ''));
  if (result.non2xx > 0) {
    const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${count} x ${code}`);
    console.log(`${''.padEnd(9)} status codes: ${codes.join(', ')}`);
    printErrors(name, logs);
  }
  const requests = result.requests.average * SECONDS;
  if (after.size > 0 && requests > 0) {
    const spent = (tids: string[]) => tids.reduce((sum, tid) => sum + (after.get(tid)! - (before.get(tid) ?? 0)), 0) / requests;
    const main = String(process.pid);
    const others = [...after.keys()].filter(tid => tid !== main && before.has(tid));
    console.log(`${''.padEnd(9)} CPU per request: main thread ${spent([main]).toFixed(0)} µs, other threads ${spent(others).toFixed(0)} µs`);
  }
  return result;
}

/** Prints the first three distinct error lines of the emulator's log, if any. */
function printErrors(name: string, logs: readonly string[]): void {
  const errors = new Set(logs.filter(line => /ERROR|timed out/.test(line)).map(line => line.slice(0, 300)));
  for (const line of [...errors].slice(0, 3)) {
    console.log(`${name} error: ${line}`);
  }
}

/** Opens `count` connections, echoes one message on each through `$default` and `@connections`, closes them. */
async function webSocketEchoes(fixture: RunningFixture, count: number): Promise<void> {
  const wsUrl = fixture.wsUrl;
  const started = Date.now();
  const opened = await Promise.allSettled(Array.from({ length: count }, () => connect(wsUrl)));
  const clients = opened.filter((o): o is PromiseFulfilledResult<TestClient> => o.status === 'fulfilled').map(o => o.value);
  const connectMs = Date.now() - started;
  console.log(`websocket ${clients.length}/${count} connections open in ${connectMs} ms`);

  const echoStarted = Date.now();
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(resolve => {
    deadline = setTimeout(() => resolve('timeout'), WS_DEADLINE_MS);
  });
  let echoed = 0;
  const failures = new Map<string, number>();
  await Promise.all(clients.map(async (client, i) => {
    const text = `message ${i}`;
    client.ws.send(text);
    const reply = await Promise.race([client.next(), timedOut]);
    if (reply === `{"echo":"${text}","route":"$default"}`) {
      echoed++;
    } else {
      const kind = reply.replace(/"(connectionId|requestId)":"[^"]*"/g, '"$1":"..."');
      failures.set(kind, (failures.get(kind) ?? 0) + 1);
    }
  }));
  clearTimeout(deadline);
  const echoMs = Date.now() - echoStarted;
  console.log(`websocket ${echoed}/${count} echoes received in ${echoMs} ms (${(echoed / (echoMs / 1000)).toFixed(0)} messages/s), `
    + `all ${clients.length} connections held open meanwhile`);
  for (const [kind, n] of failures) {
    console.log(`websocket ${n} x ${kind}`);
  }
  printErrors('websocket', fixture.logs);

  for (const client of clients) {
    client.ws.close();
  }
  await Promise.race([Promise.all(clients.map(c => c.closed)), new Promise(r => setTimeout(r, 10_000))]);
}

async function main(): Promise<void> {
  const fixture = await startFixture();
  const bare = await startBareServer();
  try {
    console.log(`HTTP GET /hello, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each, emulator and bare alternated`);
    const ratios: number[] = [];
    const p99Ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}`);
      const emulated = await load('emulator', `${fixture.httpUrl}/hello`, fixture.logs);
      const baseline = await load('bare', `${bare.url}/hello`);
      ratios.push(emulated.requests.average / baseline.requests.average);
      p99Ratios.push(emulated.latency.p99 / baseline.latency.p99);
    }
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    const ratio = median(ratios);
    const p99Ratio = median(p99Ratios);
    console.log(`ratio     ${ratio.toFixed(2)} emulator/bare req/s, median of ${ROUNDS} (range ${range(ratios)}; goal >= 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'})`);
    console.log(`p99       ${p99Ratio.toFixed(2)} emulator/bare, median of ${ROUNDS} (range ${range(p99Ratios)}; goal <= 2: ${p99Ratio <= 2 ? 'met' : 'MISSED'})`);
    console.log();
    await webSocketEchoes(fixture, WS_CONNECTIONS);
  } finally {
    bare.server.close();
    await fixture.emulator.close();
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
