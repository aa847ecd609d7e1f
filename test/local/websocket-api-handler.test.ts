import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { FIXTURE_AUDIENCE, FIXTURE_ISSUER } from './fixtures/auth-fixture-app';
import { RunningFixture, startAuthFixture, startFixture, TEST_API_KEY } from './fixtures/start-fixture';
import { connect } from './fixtures/ws-client';
import { loadLocalSigningKey, LocalSigningKey } from '../../src/local/local-signing-key';

let fixture: RunningFixture;
beforeAll(async () => {
  fixture = await startFixture({ webSocketLimits: { idleTimeoutMs: 1500, maxConnectionMs: 60_000 } });
});
afterAll(() => fixture?.emulator.close());

describe('$connect', () => {
  test('accepts a connection with the API key', async () => {
    const client = await connect(fixture.wsUrl);
    client.ws.close();
    expect(await client.closed).toBe(1005);
  });

  test('rejects the upgrade with 403 without the API key required by $connect', async () => {
    await expect(connect(fixture.wsUrl, {})).rejects.toMatchObject({ statusCode: 403 });
    await expect(connect(fixture.wsUrl, { 'x-api-key': 'wrong' })).rejects.toMatchObject({ statusCode: 403 });
  });

  test('rejects the upgrade with the status $connect returns, or 500 when it throws', async () => {
    await expect(connect(`${fixture.wsUrl}?reject=401`)).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(`${fixture.wsUrl}?boom=1`)).rejects.toMatchObject({ statusCode: 500 });
  });

  test('rejects an unknown stage with 403', async () => {
    await expect(connect(fixture.wsUrl.replace(/\/dev$/, '/prod'))).rejects.toMatchObject({ statusCode: 403 });
  });

  test('refuses an invalid upgrade (bad key or version) with 400 without running $connect', async () => {
    const upgrade = (log: string, headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      const req = http.get(`${fixture.wsUrl.replace(/^ws/, 'http')}?log=${log}`, {
        headers: { 'connection': 'Upgrade', 'upgrade': 'websocket', 'x-api-key': TEST_API_KEY, ...headers },
      });
      req.on('response', res => resolve(res.statusCode!));
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
    });
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    expect(await upgrade('bad-key', { 'sec-websocket-version': '13', 'sec-websocket-key': 'short' })).toBe(400);
    expect(await upgrade('bad-version', { 'sec-websocket-version': '12', 'sec-websocket-key': key })).toBe(400);
    expect(await upgrade('valid', { 'sec-websocket-version': '13', 'sec-websocket-key': key })).toBe(101);
    await waitFor(() => fixture.logs.some(l => l.endsWith('connect valid')));
    expect(fixture.logs.filter(l => /connect bad-/.test(l))).toEqual([]);
  });

  test('refuses with 403 an upgrade whose Host is not a loopback name (DNS rebinding)', async () => {
    const port = new URL(fixture.wsUrl).port;
    await expect(connect(fixture.wsUrl, { 'x-api-key': TEST_API_KEY, 'host': `rebound.example:${port}` })).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('messages', () => {
  test('selects the route by $request.body.action and falls back to $default', async () => {
    const client = await connect(fixture.wsUrl);
    client.ws.send(JSON.stringify({ action: 'unknown', x: 1 }));
    expect(JSON.parse(await client.next())).toEqual({ echo: '{"action":"unknown","x":1}', route: '$default' });
    client.ws.send('not json {');
    expect(JSON.parse(await client.next())).toEqual({ echo: 'not json {', route: '$default' });
    client.ws.close();
  });

  test('sends the route response back when the route returns one', async () => {
    const client = await connect(fixture.wsUrl);
    client.ws.send(JSON.stringify({ action: 'whoami' }));
    const { connectionId } = JSON.parse(await client.next());
    expect(connectionId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    client.ws.close();
  });

  test('sends API Gateway\'s error message when the route\'s handler throws', async () => {
    const client = await connect(fixture.wsUrl);
    client.ws.send(JSON.stringify({ action: 'boom' }));
    expect(JSON.parse(await client.next())).toMatchObject({ message: 'Internal server error', connectionId: expect.any(String), requestId: expect.any(String) });
    client.ws.send(JSON.stringify({ action: 'unknown' }));
    expect(JSON.parse(await client.next()).route).toBe('$default');
    client.ws.close();
  });

  test('runs $disconnect with the close code', async () => {
    const client = await connect(fixture.wsUrl);
    client.ws.close(4000);
    await client.closed;
    await waitFor(() => fixture.logs.some(l => /disconnected \S+= 4000$/.test(l)));
  });
});

describe('limits and bad input (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html)', () => {
  /** Sends a `whoami` message of `bytes` bytes in frames of at most `frameBytes`; returns its length. */
  const sendFragmented = (ws: import('ws').WebSocket, bytes: number, frameBytes: number) => {
    const text = JSON.stringify({ action: 'whoami', pad: 'x'.repeat(bytes - 28) });
    for (let at = 0; at < text.length; at += frameBytes) {
      ws.send(text.slice(at, at + frameBytes), { fin: at + frameBytes >= text.length });
    }
    return text.length;
  };

  test('routes a 128 KB message sent as frames of 32 KB', async () => {
    const client = await connect(fixture.wsUrl);
    expect(sendFragmented(client.ws, 128 * 1024, 32 * 1024)).toBe(128 * 1024);
    expect(JSON.parse(await client.next()).connectionId).toMatch(/=$/);
    client.ws.close();
  });

  test('closes with 1009 on a message over 128 KB, even in small frames; other clients are unaffected', async () => {
    const [big, other] = await Promise.all([connect(fixture.wsUrl), connect(fixture.wsUrl)]);
    sendFragmented(big.ws, 128 * 1024 + 1, 32 * 1024);
    expect(await big.closed).toBe(1009);
    other.ws.send('still here');
    expect(JSON.parse(await other.next()).echo).toBe('still here');
    other.ws.close();
  });

  test('closes with 1009 on one frame over 32 KB, though the message is under 128 KB', async () => {
    const client = await connect(fixture.wsUrl);
    sendFragmented(client.ws, 33 * 1024, 33 * 1024);
    expect(await client.closed).toBe(1009);
    expect(client.received).toEqual([]);
  });

  test('closes with 1003 on a binary frame', async () => {
    const client = await connect(fixture.wsUrl);
    client.ws.send(Buffer.from('{"action":"whoami"}'), { binary: true });
    expect(await client.closed).toBe(1003);
    expect(client.received).toEqual([]);
  });

  test('closes an idle connection with 1001 after the idle timeout', async () => {
    const client = await connect(fixture.wsUrl);
    expect(await client.closed).toBe(1001);
  });

  test('survives garbage bytes on the socket and invalid frames', async () => {
    await new Promise<void>(resolve => {
      const port = Number(new URL(fixture.httpUrl).port);
      const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a])));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const client = await connect(fixture.wsUrl);
    (client.ws as any)._socket.write(Buffer.from([0x8f, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(await client.closed).toBe(1002);
    const healthy = await connect(fixture.wsUrl);
    healthy.ws.send('ok');
    expect(JSON.parse(await healthy.next()).echo).toBe('ok');
    healthy.ws.close();
    expect((await fetch(`${fixture.httpUrl}/hello`, { method: 'PROPFIND' })).status).toBe(404);
  });
});

describe('$connect authorizers of the library (their real functions run)', () => {
  let auth: RunningFixture;
  let key: LocalSigningKey;
  const wsUrl = (api: string) => `${auth.emulator.endpoints.find(e => e.webSocketApi === api)!.url.replace(/^http/, 'ws')}/dev`;
  const contextOf = async (url: string, headers: Record<string, string> = {}) => {
    const client = await connect(url, headers);
    client.ws.send(JSON.stringify({ action: 'context' }));
    const context = JSON.parse(await client.next());
    client.ws.close();
    return context;
  };
  beforeAll(async () => {
    auth = await startAuthFixture();
    key = await loadLocalSigningKey(auth.localConfigDir);
  });
  afterAll(() => auth?.emulator.close());

  // WebSocketTokenAuthorizer verifies ?token= against JWKS_URI, which the emulator points at its local issuer;
  // an Unauthorized error of a WebSocket Lambda authorizer is 401
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html).
  test('WebSocketTokenAuthorizer: connects with a good ?token=, the claims in the handlers\' authorizer context', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await key.sign({ iss: FIXTURE_ISSUER, aud: FIXTURE_AUDIENCE[0], sub: 'alice', scope: 'chat/read', iat: now, exp: now + 600 });
    const context = await contextOf(`${wsUrl('WsToken')}?token=${token}`);
    expect(context.authorizer).toMatchObject({ principalId: 'alice', sub: 'alice', scope: 'chat/read' });
    expect(JSON.parse(context.authorizer.claims)).toMatchObject({ iss: FIXTURE_ISSUER, aud: FIXTURE_AUDIENCE[0], sub: 'alice' });
  });

  test('WebSocketTokenAuthorizer: refuses with 401 a connection without a token, or with a token of another key or issuer', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: FIXTURE_ISSUER, aud: FIXTURE_AUDIENCE[0], sub: 'alice', iat: now, exp: now + 600 };
    const other = await loadLocalSigningKey(fs.mkdtempSync(path.join(os.tmpdir(), 'other-key-')));
    await expect(connect(wsUrl('WsToken'), {})).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(`${wsUrl('WsToken')}?token=not-a-jwt`, {})).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(`${wsUrl('WsToken')}?token=${await other.sign(claims)}`, {})).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(`${wsUrl('WsToken')}?token=${await key.sign({ ...claims, iss: 'https://other.example.com/' })}`, {})).rejects.toMatchObject({ statusCode: 401 });
  });

  // The API selects keys with $context.authorizer.usageIdentifierKey and $connect requires one: the key the
  // authorizer returns must be one of the stage's usage plan, here the local keys (403 otherwise)
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html).
  test('WebSocketApiKeyAuthorizer: connects with a local key in ?apiKey= or the x-api-key header', async () => {
    expect((await contextOf(`${wsUrl('WsApiKey')}?apiKey=${TEST_API_KEY}`)).authorizer).toEqual({ principalId: 'api-key' });
    expect((await contextOf(wsUrl('WsApiKey'), { 'x-api-key': TEST_API_KEY })).authorizer).toEqual({ principalId: 'api-key' });
  });

  test('WebSocketApiKeyAuthorizer: refuses a wrong key with 403 and no key with 401', async () => {
    await expect(connect(`${wsUrl('WsApiKey')}?apiKey=wrong`, {})).rejects.toMatchObject({ statusCode: 403 });
    await expect(connect(wsUrl('WsApiKey'), { 'x-api-key': 'wrong' })).rejects.toMatchObject({ statusCode: 403 });
    await expect(connect(wsUrl('WsApiKey'), {})).rejects.toMatchObject({ statusCode: 401 });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await new Promise(r => setTimeout(r, 50));
  }
}
