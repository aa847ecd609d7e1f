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

test('serves POST, GET and DELETE to the SDK client, with URL-encoded ids, at /{stage}/@connections and /@connections', async () => {
  const client = await connect(fixture.wsUrl);
  const id = await whoami(client);
  await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'from the sdk' }));
  expect(await client.next()).toBe('from the sdk');
  const info = await sdk.send(new GetConnectionCommand({ ConnectionId: id }));
  expect(info.Identity?.SourceIp).toBe('127.0.0.1');
  expect(info.ConnectedAt).toBeInstanceOf(Date);
  const raw = await fetch(`${fixture.httpUrl}/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'raw' });
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
  expect(connectionsPath('/@connections/ab%2Bc%3D')).toBe('ab+c=');
  expect(connectionsPath('/dev/@connections/abc=')).toBe('abc=');
  expect(connectionsPath('/dev/other/abc')).toBeUndefined();
});
