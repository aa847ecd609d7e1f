import * as http from 'http';
import * as net from 'net';
import { RunningFixture, startFixture, TEST_API_KEY } from './fixtures/start-fixture';
import { connect } from './fixtures/ws-client';

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

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await new Promise(r => setTimeout(r, 50));
  }
}
