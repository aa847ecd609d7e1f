import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { RunningFixture, startFixture } from './fixtures/start-fixture';
import { connect } from './fixtures/ws-client';
import { connectionsPath } from '../../src/local/connections-api';

let fixture: RunningFixture;
let sdk: ApiGatewayManagementApiClient;
beforeAll(async () => {
  fixture = await startFixture();
  sdk = new ApiGatewayManagementApiClient({
    endpoint: `${fixture.httpUrl}/dev`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
});
afterAll(async () => {
  sdk?.destroy();
  await fixture?.emulator.close();
});

const whoami = async (client: Awaited<ReturnType<typeof connect>>): Promise<string> => {
  client.ws.send(JSON.stringify({ action: 'whoami' }));
  return JSON.parse(await client.next()).connectionId;
};

test('handlers post to other connections through the SDK with the callback URL resolved to the emulator', async () => {
  const [alice, bob] = await Promise.all([connect(fixture.wsUrl), connect(fixture.wsUrl)]);
  const bobId = await whoami(bob);
  alice.ws.send(JSON.stringify({ action: 'sendmessage', to: bobId, text: 'hi bob' }));
  expect(await bob.next()).toBe('hi bob');
  alice.ws.send(JSON.stringify({ action: 'sendmessage', to: bobId, info: true }));
  expect(JSON.parse(await alice.next())).toEqual({ info: { sourceIp: '127.0.0.1' } });
  alice.ws.send(JSON.stringify({ action: 'sendmessage', to: bobId, kick: true }));
  expect(await bob.closed).toBe(1000);
  alice.ws.send(JSON.stringify({ action: 'sendmessage', to: bobId, text: 'gone?' }));
  expect(JSON.parse(await alice.next())).toEqual({ error: 'GoneException' });
  alice.ws.close();
});

test('serves POST, GET and DELETE to the SDK client, with URL-encoded ids, at /{stage}/@connections', async () => {
  const client = await connect(fixture.wsUrl);
  const id = await whoami(client);
  await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'from the sdk' }));
  expect(await client.next()).toBe('from the sdk');
  const info = await sdk.send(new GetConnectionCommand({ ConnectionId: id }));
  expect(info.Identity?.SourceIp).toBe('127.0.0.1');
  expect(info.ConnectedAt).toBeInstanceOf(Date);
  const raw = await fetch(`${fixture.httpUrl}/dev/%40connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'raw' });
  expect(raw.status).toBe(200);
  expect(await client.next()).toBe('raw');
  await sdk.send(new DeleteConnectionCommand({ ConnectionId: id }));
  expect(await client.closed).toBe(1000);
});

test('answers 410 GoneException for an unknown connection id', async () => {
  await expect(sdk.send(new PostToConnectionCommand({ ConnectionId: 'bm90LWEtY29ubj0=', Data: 'x' }))).rejects.toBeInstanceOf(GoneException);
  const response = await fetch(`${fixture.httpUrl}/@connections/nope`);
  expect(response.status).toBe(410);
  expect(response.headers.get('x-amzn-errortype')).toBe('GoneException');
});

test('connectionsPath decodes the id and accepts both path shapes', () => {
  expect(connectionsPath('/@connections/ab%2Bc%3D')).toEqual({ stage: undefined, connectionId: 'ab+c=' });
  expect(connectionsPath('/dev/@connections/abc=')).toEqual({ stage: 'dev', connectionId: 'abc=' });
  expect(connectionsPath('/dev/%40connections/abc%3D')).toEqual({ stage: 'dev', connectionId: 'abc=' });
  expect(connectionsPath('/dev/other/abc')).toBeUndefined();
});

describe('two stages of one WebSocket API, one handler behind both', () => {
  const reply = async (client: Awaited<ReturnType<typeof connect>>, to?: string) => {
    client.ws.send(JSON.stringify({ action: 'reply', to }));
    return JSON.parse(await client.next());
  };

  test('each client gets its reply on its own stage, from an endpoint the handler derives from the event', async () => {
    const port = new URL(fixture.httpUrl).port;
    const [dev, live] = await Promise.all([connect(fixture.wsUrl), connect(`ws://localhost:${port}/live`)]);
    const devId = await whoami(dev);
    const liveId = await whoami(live);
    // requestContext.domainName is the Host each client used, port included.
    expect(await reply(dev)).toEqual({ stage: 'dev', domainName: `127.0.0.1:${port}`, from: devId });
    expect(await reply(live)).toEqual({ stage: 'live', domainName: `localhost:${port}`, from: liveId });
    expect(dev.received).toHaveLength(2);
    expect(live.received).toHaveLength(2);
    dev.ws.close();
    live.ws.close();
  });

  test('the @connections endpoint of one stage does not reach a connection of the other (410 GoneException)', async () => {
    const [dev, live] = await Promise.all([connect(fixture.wsUrl), connect(fixture.wsUrl.replace(/\/dev$/, '/live'))]);
    const devId = await whoami(dev);
    expect(await reply(live, devId)).toEqual({ error: 'GoneException' });
    const liveSdk = new ApiGatewayManagementApiClient({ endpoint: `${fixture.httpUrl}/live`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await expect(liveSdk.send(new PostToConnectionCommand({ ConnectionId: devId, Data: 'x' }))).rejects.toBeInstanceOf(GoneException);
    // With two stages, /@connections without a stage names none of them.
    expect((await fetch(`${fixture.httpUrl}/@connections/${encodeURIComponent(devId)}`, { method: 'POST', body: 'x' })).status).toBe(410);
    await sdk.send(new PostToConnectionCommand({ ConnectionId: devId, Data: 'on dev' }));
    expect(await dev.next()).toBe('on dev');
    expect(dev.received).not.toContain('x');
    liveSdk.destroy();
    dev.ws.close();
    live.ws.close();
  });
});
