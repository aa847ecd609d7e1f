import * as http from 'http';
import { RunningFixture, startFixture, TEST_API_KEY } from './fixtures/start-fixture';

let fixture: RunningFixture;
beforeAll(async () => {
  fixture = await startFixture({ httpLimits: { integrationTimeoutMs: 1500 } });
});
afterAll(() => fixture?.emulator.close());

const get = (path: string, init?: RequestInit) => fetch(`${fixture.httpUrl}${path}`, init);
const echo = async (path: string, init?: RequestInit) => (await get(path, init)).json() as Promise<any>;

test('passes a payload format 2.0 event with path parameters and query string', async () => {
  const event = await echo('/books/42?q=a%20b&q=c&x=1', { headers: { 'X-Trace': 'abc' } });
  expect(event).toMatchObject({
    version: '2.0',
    routeKey: 'GET /books/{id}',
    rawPath: '/books/42',
    rawQueryString: 'q=a%20b&q=c&x=1',
    queryStringParameters: { q: 'a b,c', x: '1' },
    pathParameters: { id: '42' },
    headers: { 'x-trace': 'abc' },
    isBase64Encoded: false,
    requestContext: {
      stage: '$default',
      routeKey: 'GET /books/{id}',
      apiId: fixture.emulator.model.apis.find(a => a.protocol === 'HTTP')!.apiId,
      http: { method: 'GET', path: '/books/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    },
  });
  expect(event.requestContext.timeEpoch).toBeGreaterThan(Date.now() - 60_000);
  expect(event.requestContext.time).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
});

test('prefers a literal path, then a parameter, then a greedy path, and a method over ANY', async () => {
  expect(await echo('/books/special')).toEqual({ hello: 'world' });
  expect((await echo('/books/7', { method: 'DELETE' })).routeKey).toBe('ANY /books/{id}');
  const greedy = await echo('/files/a/b%20c.txt');
  expect(greedy).toMatchObject({ routeKey: 'ANY /files/{proxy+}', pathParameters: { proxy: 'a/b c.txt' } });
});

test('answers 404 Not Found when no route matches', async () => {
  const response = await get('/nope');
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ message: 'Not Found' });
  expect((await get('/files/')).status).toBe(404);
});

test('passes cookies as an array and returns Set-Cookie for each result cookie', async () => {
  const event = await echo('/hello', { headers: { cookie: 'a=1; b=2' } });
  expect(event.cookies).toEqual(['a=1', 'b=2']);
  expect(event.headers.cookie).toBeUndefined();
  const response = await get('/cookies');
  expect(response.status).toBe(201);
  expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  expect(response.headers.get('x-custom')).toBe('yes');
  expect(await response.text()).toBe('ok');
});

test('base64-encodes binary request bodies and decodes base64 results', async () => {
  const bytes = Buffer.from([0, 1, 2, 255, 254]);
  const response = await get('/upload', { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([254, 255, 2, 1, 0]));
  const text = await echo('/files/x', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  expect(text).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
});

test('maps a result without statusCode to a 200 JSON response', async () => {
  const response = await get('/text');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.text()).toBe('plain string');
});

test('answers 500 Internal Server Error when a handler throws, crashes or returns a malformed result', async () => {
  for (const path of ['/boom', '/invalid']) {
    const response = await get(path);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  }
  expect(fixture.logs.some(l => l.includes('Boom') && l.includes('Invoke Error') && l.includes('boom'))).toBe(true);
});

test('answers 500 when the function times out, and 503 when the integration times out; the server stays up', async () => {
  expect((await get('/spin')).status).toBe(500);
  expect(fixture.logs).toContainEqual(expect.stringMatching(/^\[LocalFixture-Spin\w*\] Task timed out after 1\.00 seconds$/));
  const response = await get('/slow?ms=1800');
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  expect((await get('/slow?ms=10')).status).toBe(200);
});

/** A request through node's client, which sends repeated headers as they are given (fetch joins them first). */
function rawRequest(path: string, headers: http.OutgoingHttpHeaders): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(`${fixture.httpUrl}${path}`, { headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    }).on('error', reject);
  });
}

describe('limits (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html)', () => {
  test('answers 413 for a body over the 10 MB payload limit', async () => {
    const response = await get('/files/big', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(response.status).toBe(413);
  });

  test('answers 413 when the event is over Lambda\'s 6 MB request limit, a binary body counted base64-encoded', async () => {
    const post = (body: Buffer, type: string) => get('/size', { method: 'POST', body, headers: { 'content-type': type } });
    const text = await post(Buffer.alloc(7 * 1024 * 1024, 'a'), 'text/plain');
    expect(text.status).toBe(413);
    expect(await text.json()).toEqual({ message: 'Request Entity Too Large' });
    // 5 MB of binary is 6.7 MB in base64; 5 MB of text fits.
    expect((await post(Buffer.alloc(5 * 1024 * 1024, 1), 'application/octet-stream')).status).toBe(413);
    const fits = await post(Buffer.alloc(5 * 1024 * 1024, 'a'), 'text/plain');
    expect(await fits.json()).toEqual({ bodyLength: 5 * 1024 * 1024, isBase64Encoded: false });
  });

  test('answers 500 when the result is over Lambda\'s 6 MB response limit, and logs Lambda\'s error', async () => {
    const response = await get('/big?bytes=6300000');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(fixture.logs).toContainEqual(expect.stringMatching(/Big\w*\] ERROR Function\.ResponseSizeTooLarge: Response payload size exceeded maximum allowed payload size \(6291556 bytes\)/));
    expect((await (await get('/big?bytes=6000000')).text()).length).toBe(6_000_000);
  });

  test('answers 431 when the request line and header values are over 10240 bytes', async () => {
    const withHeader = (bytes: number) => rawRequest('/hello', { 'x-big': 'h'.repeat(bytes) });
    expect((await withHeader(9_000)).status).toBe(200);
    const tooLarge = await withHeader(10_300);
    expect(tooLarge.status).toBe(431);
    expect(JSON.parse(tooLarge.body)).toEqual({ message: 'Request Header Fields Too Large' });
    // Over node's own 16 KB header limit too.
    expect((await withHeader(20_000)).status).toBe(431);
  });
});

test('joins repeated request headers with a comma, no space, as payload format 2.0 does (also those node keeps one of)', async () => {
  // node's types allow one Referer; its client sends each value given.
  const referer = ['https://one.example/', 'https://two.example/'] as unknown as string;
  const { body } = await rawRequest('/hello', { 'x-repeat': ['a', 'b'], referer });
  expect(JSON.parse(body).headers).toMatchObject({ 'x-repeat': 'a,b', 'referer': 'https://one.example/,https://two.example/' });
});

test('ignores multiValueHeaders in a result: it is not part of payload format 2.0', async () => {
  const response = await get('/multi');
  expect(response.headers.get('x-single')).toBe('a');
  expect(response.headers.get('x-multi')).toBeNull();
});

test('refuses with 403 a request whose Host is not a loopback name (DNS rebinding), and answers localhost', async () => {
  const port = new URL(fixture.httpUrl).port;
  const refused = await rawRequest('/hello', { host: `rebound.example:${port}` });
  expect(refused.status).toBe(403);
  expect(JSON.parse(refused.body).message).toContain("not Host 'rebound.example:");
  expect((await rawRequest('/hello', { host: `localhost:${port}` })).status).toBe(200);
  expect((await rawRequest('/hello', { host: `[::1]:${port}` })).status).toBe(200);
});

test('runs each function with its own environment, kept warm between invocations', async () => {
  const first = await echo('/env');
  const second = await echo('/env');
  expect(first).toMatchObject({ who: 'env', region: 'us-east-1', name: expect.stringMatching(/^LocalFixture-Env/) });
  expect(second.count).toBe(first.count + 1);
  expect((await echo('/hello')).headers).toBeDefined();
});

test('prefixes console output with the function name', async () => {
  await get('/log');
  expect(fixture.logs).toContain('[fixture-logger] hello from the log handler /log');
});

describe('Lambda REQUEST authorizer', () => {
  test('answers 401 without calling the authorizer when the identity source is missing', async () => {
    const response = await get('/secure');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  test('answers 403 when the authorizer denies', async () => {
    const response = await get('/secure', { headers: { 'x-api-key': 'wrong' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });

  test('allows with the key from the local Secrets Manager and passes the context; caches per identity', async () => {
    const first = await echo('/secure', { headers: { 'x-api-key': TEST_API_KEY } });
    const second = await echo('/secure', { headers: { 'x-api-key': TEST_API_KEY } });
    expect(first.requestContext.authorizer.lambda).toMatchObject({ key: TEST_API_KEY });
    expect(second.requestContext.authorizer.lambda.calls).toBe(first.requestContext.authorizer.lambda.calls);
    await new Promise(r => setTimeout(r, 1100));
    const third = await echo('/secure', { headers: { 'x-api-key': TEST_API_KEY } });
    expect(third.requestContext.authorizer.lambda.calls).toBe(first.requestContext.authorizer.lambda.calls + 1);
  });
});
