import { CONNECT_METHOD_ARN, connectEvent } from './connect-event';
import { handler } from '../../src/websocket/websocket-api-key-authorizer.lambda';

const KEY = 'k3yOne0123456789abcdefghijklmnopqrstuvwx';

const allowedWithKey = (key: string) => ({
  principalId: 'api-key',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: CONNECT_METHOD_ARN }] },
  usageIdentifierKey: key,
});

beforeEach(() => {
  process.env.API_KEY_QUERY_PARAMETER = 'apiKey';
});
afterEach(() => {
  delete process.env.API_KEY_QUERY_PARAMETER;
  jest.restoreAllMocks();
});

describe('websocket-api-key-authorizer handler', () => {
  test('hands the key from the query string to API Gateway as usageIdentifierKey (browsers)', async () => {
    await expect(handler(connectEvent({ apiKey: KEY }))).resolves.toEqual(allowedWithKey(KEY));
  });

  test.each(['x-api-key', 'X-Api-Key', 'X-API-KEY'])('hands the key from the %s header to API Gateway (other clients)', async (header) => {
    await expect(handler(connectEvent(null, { [header]: KEY }))).resolves.toEqual(allowedWithKey(KEY));
  });

  test('prefers the query-string key when both are given', async () => {
    await expect(handler(connectEvent({ apiKey: KEY }, { 'x-api-key': 'other' }))).resolves.toEqual(allowedWithKey(KEY));
  });

  test('reads the configured query-string parameter', async () => {
    process.env.API_KEY_QUERY_PARAMETER = 'key';
    await expect(handler(connectEvent({ key: KEY }))).resolves.toEqual(allowedWithKey(KEY));
    await expect(handler(connectEvent({ apiKey: KEY }))).rejects.toThrow(/^Unauthorized$/);
  });

  // A thrown "Unauthorized" is API Gateway's 401:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
  test.each([
    ['no key at all', null, {}],
    ['an empty query-string key', { apiKey: '' }, {}],
    ['an empty header key', null, { 'x-api-key': '' }],
  ])('throws Unauthorized (401) for %s', async (_name, query, headers) => {
    await expect(handler(connectEvent(query, headers))).rejects.toThrow(/^Unauthorized$/);
  });

  test('never logs the key', async () => {
    const logged: unknown[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, level).mockImplementation((...args) => void logged.push(...args));
    }
    await handler(connectEvent({ apiKey: KEY }));
    await handler(connectEvent(null, { 'x-api-key': KEY }));
    expect(JSON.stringify(logged)).not.toContain(KEY);
  });

  test('throws when API_KEY_QUERY_PARAMETER is not set (API Gateway answers 500, not 401)', async () => {
    delete process.env.API_KEY_QUERY_PARAMETER;
    await expect(handler(connectEvent({ apiKey: KEY }))).rejects.toThrow(
      'API_KEY_QUERY_PARAMETER is not set: deploy this function with WebSocketApiKeyAuthorizer, which sets it',
    );
  });
});
