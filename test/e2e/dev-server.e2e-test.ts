/**
 * End to end: `npx projen dev` in a demo repo generated from the packed tarball serves the real cdk.out on
 * loopback; real HTTP (fetch) and WebSocket (ws) clients call it.
 */
import { ChildProcess, spawn } from 'child_process';
import WebSocket from 'ws';
import { build, ENV, MINUTES, projenNew } from './generated-repo';

const KEY = 'e2e-local-key';
let dev: ChildProcess;
let httpUrl: string;
let wsUrl: string;
let output = '';

/** Starts `npx projen dev` and resolves once its banner has printed the URLs and the API key. */
function startDev(dir: string): Promise<void> {
  dev = spawn('npx', ['projen', 'dev'], { cwd: dir, env: { ...ENV, API_SERVICE_LOCAL_API_KEYS: KEY }, detached: true });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const http = /HTTP API [^:]+: (http:\/\/\S+?)\/?\s/.exec(output);
      const ws = /WebSocket API [^:]+: (ws:\/\/\S+)/.exec(output);
      if (http && ws && /API keys?: .*\n/.test(output)) {
        [httpUrl, wsUrl] = [http[1], ws[1]];
        resolve();
      }
    };
    dev.stdout!.on('data', onData);
    dev.stderr!.on('data', onData);
    dev.once('exit', (code) => reject(new Error(`npx projen dev exited (${code}):\n${output}`)));
  });
}

function connect(headers: Record<string, string>): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  const dir = projenNew();
  build(dir);
  await startDev(dir);
}, 30 * MINUTES);

afterAll(() => {
  if (dev?.pid) process.kill(-dev.pid);
});

describe('npx projen dev on the generated demo', () => {
  test('prints the URLs and the API key in use', () => {
    expect(output).toContain(`API key: ${KEY}`);
  });

  test('a public route answers without a key', async () => {
    const res = await fetch(`${httpUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ route: 'GET /health' });
  });

  test('the API-key authorizer: 401 without a key, 403 with a wrong one, 200 with the local key', async () => {
    expect((await fetch(`${httpUrl}/books`)).status).toBe(401);
    const wrong = await fetch(`${httpUrl}/books`, { headers: { 'x-api-key': 'wrong' } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ message: 'Forbidden' });
    expect((await fetch(`${httpUrl}/books`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
  });

  test('path parameters and query strings reach the handler', async () => {
    const res = await fetch(`${httpUrl}/books/42?format=short&x=1`, { headers: { 'x-api-key': KEY } });
    expect(await res.json()).toEqual({ route: 'GET /books/{id}', pathParameters: { id: '42' }, query: { format: 'short', x: '1' } });
  });

  test('JSON and binary bodies reach the handler', async () => {
    const body = JSON.stringify({ title: 'Dune' });
    const json = await fetch(`${httpUrl}/books`, { method: 'POST', body, headers: { 'x-api-key': KEY, 'content-type': 'application/json' } });
    expect(json.status).toBe(201);
    expect(await json.json()).toMatchObject({ received: { title: 'Dune' } });
    const binary = await fetch(`${httpUrl}/books`, { method: 'POST', body: Buffer.from(body), headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream' } });
    expect(await binary.json()).toMatchObject({ received: { title: 'Dune' } });
  });

  test('an unknown route is 404 Not Found', async () => {
    const res = await fetch(`${httpUrl}/nowhere`, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  test('WebSocket: $connect refuses a missing key', async () => {
    await expect(connect({})).rejects.toThrow(/upgrade refused: 403/);
  });

  test('WebSocket: sendmessage echoes to the sender through @connections', async () => {
    const socket = await connect({ 'x-api-key': KEY });
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(JSON.stringify({ action: 'sendmessage', text: 'hello' }));
    expect(JSON.parse(await reply)).toEqual({ route: 'sendmessage', echo: { action: 'sendmessage', text: 'hello' } });
    socket.close();
  });
});
