/**
 * End to end, on ONE generated repo (each build costs minutes): the demo service made by the real
 * `projen new --from <packed tarball>`, in order:
 * 1. a refused `projen new`, then a retry in the same folder;
 * 2. `npx projen build`, green and quiet;
 * 3. `npx projen dev --port N` serving it, called with fetch, ws and from a page in Chromium; SIGTERM to the `npx`
 *    process stops it;
 * 4. the contract: a typed client against the emulator, a wrong body that does not compile, bad contracts refused;
 * 5. options changed in `.projenrc.ts` one `npx projen` at a time, then a green build.
 * Runs after `package`, in its own jest task (`test:e2e`).
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import {
  attempt, attemptAsync, build, DevServer, emptyRepoDir, FROM, killDev, MINUTES, projenNew, run, signalAndWaitForStop, startDev,
} from './generated-repo';
import { validateAsyncApi, validateOpenApi } from '../templates/contract/fixtures/validators';

const dir = emptyRepoDir();
const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf-8');
const exists = (file: string) => fs.existsSync(path.join(dir, file));
const gitStatus = () => run(dir, 'git', ['status', '--porcelain']);

/** Replaces one match of `pattern` in .projenrc.ts, then runs `npx projen`; returns its output. */
function changeOption(pattern: RegExp, replacement: string): string {
  const rc = read('.projenrc.ts');
  expect(rc).toMatch(pattern);
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), rc.replace(pattern, replacement));
  const { status, output } = attempt(dir, 'npx', ['projen']);
  expect(status).toBe(0);
  return output;
}

describe('projen new', () => {
  test('a refused projen new prints one line without a stack trace and writes no project file', () => {
    const { status, output } = projenNew(dir, '--http-routes', 'GETT /x');
    expect(status).not.toBe(0);
    const errors = output.split('\n').filter((line) => line.includes('GETT'));
    expect(errors).toEqual(['👾 httpRoutes: HTTP route key "GETT /x" has an unknown method "GETT": use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.']);
    expect(output).not.toMatch(/^\s+at /m);
    // Only what npm leaves behind (the README says so): it installed projen and the package before the project
    // type ran.
    expect(fs.readdirSync(dir).sort()).toEqual(['node_modules', 'package.json']);
  }, 15 * MINUTES);

  test('a retry in the same folder creates the demo; a misspelled flag is named with the closest option', () => {
    const { status, output } = projenNew(dir, '--http-route', 'GET /x');
    expect(status).toBe(0);
    expect(output).toContain('Unknown flag --http-route ignored by projen new: did you mean --http-routes?');
    expect(read('.projenrc.ts')).toContain("httpRoutes: ['GET /health', 'GET /books', 'GET /books/{id}', 'POST /books']");
    expect(read('.projenrc.ts')).toContain("websocketRoutes: ['sendmessage']");
    expect(JSON.parse(read('package.json')).dependencies['projen-api-service']).toBe(FROM.replace('projen-api-service@', ''));
  }, 15 * MINUTES);

  test('the demo builds green and quietly, and the build changes no file of the repo', () => {
    const output = build(dir);
    expect(exists('cdk.out')).toBe(true);
    // The warnings a user could do nothing about: ts-jest's hybrid module kind, the AWS SDK's Node.js notice,
    // unconfigured CDK feature flags.
    expect(output).not.toMatch(/TS151002|NodeVersionSupportWarning|feature flags are not configured|warn/i);
    // eslint --fix found nothing to fix in what was generated, and projen new committed the API documents the
    // build writes.
    expect(gitStatus()).toBe('');
  }, 30 * MINUTES);

  test('the committed openapi.json and asyncapi.json are valid and document the contracts', () => {
    const openApi = JSON.parse(read('openapi.json'));
    expect(validateOpenApi(openApi)).toEqual({ valid: true, errors: undefined });
    expect(openApi.paths['/books'].post.requestBody.content['application/json'].schema.required).toEqual(['title']);
    expect(Object.keys(openApi.paths)).toEqual(['/books', '/books/{id}', '/health']);
    expect(validateAsyncApi(JSON.parse(read('asyncapi.json')))).toEqual({ valid: true });
    expect(read('src/client/api.generated.ts')).toContain('"/books/{id}": {');
  });
});

describe('npx projen dev --port N', () => {
  const KEY = 'e2e-local-key';
  let dev: DevServer;
  let port: number;
  const httpUrl = () => dev.url;

  beforeAll(async () => {
    dev = await startDev(dir, { API_SERVICE_LOCAL_API_KEYS: KEY });
    port = dev.port;
  }, 10 * MINUTES);

  afterAll(() => killDev(dev));

  const connect = (headers: Record<string, string>) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/prod`, { headers });
    return new Promise<WebSocket>((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
  };

  test('the dev task passes --port to the emulator, which prints its URLs and the API key in use', () => {
    const output = dev.output();
    expect(output).toContain(`HTTP API books-api: ${httpUrl()}/`);
    expect(output).toContain(`WebSocket API books-api: ws://127.0.0.1:${port}/prod`);
    expect(output).toContain(`API key: ${KEY}`);
  });

  test('the banner says where the documents are; the docs page on its own port shows the contract of POST /books', async () => {
    const output = dev.output();
    expect(output).toContain(`API docs: ${dev.docsUrl}/`);
    expect(output).toContain(`OpenAPI document: ${path.join(dir, 'openapi.json')}`);
    expect(output).toContain(`AsyncAPI document: ${path.join(dir, 'asyncapi.json')}`);
    const page = await fetch(`${dev.docsUrl}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('/books/{id}');
    expect(html).toContain('title');
    expect(html).toContain('sendmessage');
    const served = await (await fetch(`${dev.docsUrl}/openapi.json`)).text();
    expect(served).toBe(fs.readFileSync(path.join(dir, 'openapi.json'), 'utf-8'));
  });

  test('a public route answers without a key', async () => {
    const res = await fetch(`${httpUrl()}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ route: 'GET /health' });
  });

  test('the API-key authorizer: 401 without a key, 403 with a wrong one, 200 with the local key', async () => {
    expect((await fetch(`${httpUrl()}/books`)).status).toBe(401);
    const wrong = await fetch(`${httpUrl()}/books`, { headers: { 'x-api-key': 'wrong' } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ message: 'Forbidden' });
    expect((await fetch(`${httpUrl()}/books`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
  });

  test('path parameters and query strings reach the handler', async () => {
    const res = await fetch(`${httpUrl()}/books/42?format=short&x=1`, { headers: { 'x-api-key': KEY } });
    expect(await res.json()).toEqual({ route: 'GET /books/{id}', pathParameters: { id: '42' }, query: { format: 'short', x: '1' } });
  });

  test('JSON and binary bodies reach the handler', async () => {
    const body = JSON.stringify({ title: 'Dune' });
    const json = await fetch(`${httpUrl()}/books`, { method: 'POST', body, headers: { 'x-api-key': KEY, 'content-type': 'application/json' } });
    expect(json.status).toBe(201);
    expect(await json.json()).toMatchObject({ received: { title: 'Dune' } });
    const binary = await fetch(`${httpUrl()}/books`, { method: 'POST', body: Buffer.from(body), headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream' } });
    expect(await binary.json()).toMatchObject({ received: { title: 'Dune' } });
  });

  test('a POST /books body that breaks the contract gets 400 and problem details naming the field', async () => {
    const res = await fetch(`${httpUrl()}/books`, { method: 'POST', body: JSON.stringify({ title: 42 }), headers: { 'x-api-key': KEY, 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 400, errors: [{ in: 'body', pointer: '/title', code: 'invalid_type' }] });
  });

  test('the typed client calls the emulator; a wrong body does not compile (tsc, as the build\'s test task runs it)', async () => {
    const file = 'test/api-client.check.ts';
    const code = `import { createApiClient } from '../src/client/api-client.generated';

async function main(): Promise<void> {
  const client = createApiClient({ baseUrl: process.env.API_URL!, apiKey: process.env.API_KEY });
  const created = await client.POST('/books', { body: { title: 'Dune' } });
  const book = await client.GET('/books/{id}', { params: { path: { id: '42' } } });
  // @ts-expect-error: title is a string
  const wrong = await client.POST('/books', { body: { title: 42 } });
  const pointer = wrong.error && 'errors' in wrong.error ? wrong.error.errors[0]?.pointer : undefined;
  console.log(JSON.stringify({ created: created.response.status, title: created.data?.received.title, id: book.data?.pathParameters.id, wrong: wrong.response.status, pointer }));
}
void main();
`;
    try {
      fs.writeFileSync(path.join(dir, file), code);
      const called = await attemptAsync(dir, 'npx', ['ts-node', '--transpile-only', '--project', 'test/tsconfig.json', file], { API_URL: httpUrl(), API_KEY: KEY });
      expect(called.status).toBe(0);
      expect(JSON.parse(called.output)).toEqual({ created: 201, title: 'Dune', id: '42', wrong: 400, pointer: '/title' });
      expect(await attemptAsync(dir, 'npx', ['tsc', '--noEmit', '-p', 'test/tsconfig.json'])).toMatchObject({ status: 0 });
      fs.writeFileSync(path.join(dir, file), code.replace('  // @ts-expect-error: title is a string\n', ''));
      const { status, output } = await attemptAsync(dir, 'npx', ['tsc', '--noEmit', '-p', 'test/tsconfig.json']);
      expect(status).not.toBe(0);
      expect(output).toMatch(/test\/api-client\.check\.ts\(7,\d+\): error TS\d+:/);
      expect(output).toContain('Type \'number\' is not assignable to type \'string\'');
    } finally {
      fs.rmSync(path.join(dir, file), { force: true });
    }
  }, 5 * MINUTES);

  test('an unknown route is 404 Not Found', async () => {
    const res = await fetch(`${httpUrl()}/nowhere`, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  test('WebSocket: $connect refuses a missing key (401) and a wrong one (403)', async () => {
    await expect(connect({})).rejects.toThrow(/upgrade refused: 401/);
    await expect(connect({ 'x-api-key': 'wrong' })).rejects.toThrow(/upgrade refused: 403/);
  });

  test('WebSocket: sendmessage echoes to the sender through the @connections endpoint derived from the event', async () => {
    const socket = await connect({ 'x-api-key': KEY });
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(JSON.stringify({ action: 'sendmessage', text: 'hello' }));
    expect(JSON.parse(await reply)).toEqual({ route: 'sendmessage', echo: { text: 'hello' } });
    socket.close();
  });

  test('WebSocket: a message that breaks its contract gets problem details back on the connection', async () => {
    const socket = await connect({ 'x-api-key': KEY });
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(JSON.stringify({ action: 'sendmessage', text: 42 }));
    expect(JSON.parse(await reply)).toMatchObject({ status: 400, errors: [{ in: 'message', pointer: '/text' }] });
    socket.close();
  });

  test('WebSocket from a page in Chromium: the API key as ?apiKey= connects, and the message is echoed', async () => {
    // Browsers cannot set headers on a WebSocket: the key travels in the query string.
    const html = `<!doctype html><title>books</title><script>
      window.exchange = (url) => new Promise((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => socket.send(JSON.stringify({ action: 'sendmessage', text: 'hello from Chromium' }));
        socket.onmessage = (event) => { resolve('message ' + event.data); socket.close(); };
        socket.onerror = () => resolve('error');
      });
    </script>`;
    const page = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`);
      type Page = { exchange(url: string): Promise<string> };
      const exchange = (url: string) => tab.evaluate((wsUrl) => (globalThis as unknown as Page).exchange(wsUrl), url);
      expect(await exchange(`ws://127.0.0.1:${port}/prod?apiKey=wrong`)).toBe('error');
      const reply = await exchange(`ws://127.0.0.1:${port}/prod?apiKey=${KEY}`);
      expect(JSON.parse(reply.replace(/^message /, ''))).toEqual({ route: 'sendmessage', echo: { text: 'hello from Chromium' } });
    } finally {
      await browser.close();
      page.close();
    }
  });

  test('SIGTERM to the npx process alone (kill <pid>) stops the emulator, frees its port and leaves no process', async () => {
    const stoppedAfterMs = await signalAndWaitForStop(dev, 'SIGTERM', 'process');
    console.log(`npx projen dev: stopped ${stoppedAfterMs} ms after SIGTERM to npx`);
  });
});

describe('the contracts make the documents', () => {
  test('a bad contract fails the documents task (the build runs it first), naming the route and the field', () => {
    const file = path.join(dir, 'src/http/get-books-by-id.contract.ts');
    const contract = read('src/http/get-books-by-id.contract.ts');
    fs.writeFileSync(file, contract.replace('pathParameters: z.object({ id: z.string().min(1) })', 'pathParameters: z.object({ id: z.string(), bookId: z.string() })'));
    try {
      const { status, output } = attempt(dir, 'npx', ['projen', 'api:documents']);
      expect(status).not.toBe(0);
      expect(output).toContain('The contract of GET /books/{id}: pathParameters has "bookId", which the route has no {bookId} for');
    } finally {
      fs.writeFileSync(file, contract);
    }
  }, 5 * MINUTES);

  test('a changed contract changes openapi.json', () => {
    const contract = read('src/http/post-books.contract.ts');
    fs.writeFileSync(path.join(dir, 'src/http/post-books.contract.ts'), contract.replace(/title: z\.string\(\)\.min\(1\)[^\n]*\n/, '$&    author: z.string(),\n'));
    run(dir, 'npx', ['projen', 'api:documents']);
    expect(JSON.parse(read('openapi.json')).paths['/books'].post.requestBody.content['application/json'].schema.required).toEqual(['title', 'author']);
    expect(run(dir, 'git', ['diff', '--stat'])).toMatch(/openapi\.json/);
    run(dir, 'git', ['checkout', '--', '.']);
    run(dir, 'npx', ['projen', 'api:documents']);
    expect(gitStatus()).toBe('');
  }, 5 * MINUTES);
});

describe('options change after projen new, one npx projen each, and the build stays green', () => {
  /** User-owned files that changed or went away (new stubs are expected). */
  const userOwnedChanged = () => gitStatus().split('\n').filter((l) => l && !l.startsWith('??')).map((l) => l.slice(3))
    .filter((f) => /^(src\/(main|service-stack)\.ts|README\.md|src\/.*\.lambda\.ts|test\/.*\.lambda\.test\.ts|test\/service-stack\.test\.ts)$/.test(f));

  beforeAll(() => {
    run(dir, 'git', ['add', '-A']);
    run(dir, 'git', ['commit', '-qm', 'built', '--allow-empty']);
  });

  test('authorization: none', () => {
    changeOption(/\/\/ authorization: undefined,.*/, "authorization: 'none',");
    expect(read('src/api.generated.ts')).toContain("export const AUTHORIZATION: string = 'none';");
  });

  test('stageName: live', () => {
    changeOption(/\/\/ stageName: undefined,.*/, "stageName: 'live',");
    expect(read('src/api.generated.ts')).toContain("export const WEBSOCKET_STAGE: string = 'live';");
  });

  test('corsAllowOrigins', () => {
    changeOption(/\/\/ corsAllowOrigins: undefined,.*/, "corsAllowOrigins: ['https://app.example.com'],");
    expect(read('src/api.generated.ts')).toContain("export const CORS_ALLOW_ORIGINS: string[] = ['https://app.example.com'];");
  });

  test('routes: one added, one removed, a path parameter renamed; warnings say what to do; nothing of the user changes', () => {
    const output = changeOption(/httpRoutes: \[.*\],/, "httpRoutes: ['GET /health', 'GET /books', 'GET /books/{bookId}', 'DELETE /books/{bookId}'],");
    expect(output).toContain('src/http/post-books.lambda.ts is no longer wired to a route');
    expect(output).toContain('The path parameters of "GET /books/{bookId}" were renamed: src/http/get-books-by-id.lambda.ts still handles it');
    expect(output).toContain('git mv src/http/get-books-by-id.lambda.ts src/http/get-books-by-book-id.lambda.ts');
    expect(exists('src/http/delete-books-by-book-id.lambda.ts')).toBe(true);
    expect(exists('src/http/get-books-by-book-id.lambda.ts')).toBe(false);
    expect(userOwnedChanged()).toEqual([]);

    // A second run changes nothing.
    const before = gitStatus();
    run(dir, 'npx', ['projen']);
    expect(gitStatus()).toBe(before);
  });

  test('following the rename advice (git mv, fix the imports and the contract\'s route) wires the renamed files', () => {
    run(dir, 'git', ['mv', 'src/http/get-books-by-id.lambda.ts', 'src/http/get-books-by-book-id.lambda.ts']);
    run(dir, 'git', ['mv', 'src/http/get-books-by-id.contract.ts', 'src/http/get-books-by-book-id.contract.ts']);
    run(dir, 'git', ['mv', 'test/http/get-books-by-id.lambda.test.ts', 'test/http/get-books-by-book-id.lambda.test.ts']);
    const replaceIn = (file: string, ...pairs: [string, string][]) =>
      fs.writeFileSync(path.join(dir, file), pairs.reduce((text, [from, to]) => text.split(from).join(to), read(file)));
    replaceIn('test/http/get-books-by-book-id.lambda.test.ts', ['/get-books-by-id.', '/get-books-by-book-id.'], ['{ id: \'1\' }', '{ bookId: \'1\' }']);
    replaceIn('src/http/get-books-by-book-id.lambda.ts', ['./get-books-by-id.contract', './get-books-by-book-id.contract']);
    replaceIn('src/http/get-books-by-book-id.contract.ts', ['GET /books/{id}', 'GET /books/{bookId}'], ['{ id: z.string()', '{ bookId: z.string()']);
    const { status, output } = attempt(dir, 'npx', ['projen']);
    expect(status).toBe(0);
    expect(output).not.toContain('were renamed');
    expect(read('src/api.generated.ts')).toContain("from './http/get-books-by-book-id-function'");
  });

  test('the changed repo builds green, and its openapi.json follows the routes', () => {
    build(dir);
    expect(Object.keys(JSON.parse(read('openapi.json')).paths)).toEqual(['/books', '/books/{bookId}', '/health']);
    expect(JSON.parse(read('openapi.json')).paths['/books/{bookId}'].delete).toBeDefined();
  }, 30 * MINUTES);
});
