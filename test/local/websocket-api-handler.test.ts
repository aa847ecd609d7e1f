import * as net from 'net';
import { RunningFixture, startFixture } from './fixtures/start-fixture';
import { connect } from './fixtures/ws-client';

let fixture: RunningFixture;
beforeAll(async () => {
  fixture = await startFixture({ webSocketLimits: { idleTimeoutMs: 1500, maxConnectionMs: 60_000, maxMessageBytes: 1024 } });
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

describe('limits and bad input', () => {
  test('closes with 1009 on a message over the size limit; other clients are unaffected', async () => {
    const [big, other] = await Promise.all([connect(fixture.wsUrl), connect(fixture.wsUrl)]);
    big.ws.send('x'.repeat(2048));
    expect(await big.closed).toBe(1009);
    other.ws.send('still here');
    expect(JSON.parse(await other.next()).echo).toBe('still here');
    other.ws.close();
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
