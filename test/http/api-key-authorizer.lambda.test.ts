import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, KEY_CACHE_TTL_MS } from '../../src/http/api-key-authorizer.lambda';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:api-keys-AbCdEf';
const KEY = 'k3yOne0123456789abcdefghijklmnopqrstuvwx';
const secretsManager = mockClient(SecretsManagerClient);

/** An authorizer event (payload 2.0) carrying the given headers. */
function eventWith(headers: Record<string, string>): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:111111111111:abc123/$default/GET/books',
    identitySource: headers['x-api-key'] === undefined ? [] : [headers['x-api-key']],
    routeKey: 'GET /books',
    rawPath: '/books',
    rawQueryString: '',
    cookies: [],
    headers,
    requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

function storeSecret(secretString: string) {
  secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: secretString });
}

// The handler caches the keys per container; moving the clock past the cache TTL gives each test a cold cache.
let now = Date.parse('2030-01-01T00:00:00Z');
beforeEach(() => {
  now += KEY_CACHE_TTL_MS + 1;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  process.env.API_KEY_SECRET_ARN = SECRET_ARN;
  secretsManager.reset();
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.API_KEY_SECRET_ARN;
});

describe('api-key-authorizer handler', () => {
  test('allows the right key', async () => {
    storeSecret(KEY);
    await expect(handler(eventWith({ 'x-api-key': KEY }))).resolves.toEqual({ isAuthorized: true });
  });

  test('denies a wrong key of the same length', async () => {
    storeSecret(KEY);
    const wrong = KEY.slice(0, -1) + 'y';
    await expect(handler(eventWith({ 'x-api-key': wrong }))).resolves.toEqual({ isAuthorized: false });
  });

  test('denies a key of a different length', async () => {
    storeSecret(KEY);
    await expect(handler(eventWith({ 'x-api-key': KEY.slice(0, 8) }))).resolves.toEqual({ isAuthorized: false });
    await expect(handler(eventWith({ 'x-api-key': KEY + KEY }))).resolves.toEqual({ isAuthorized: false });
  });

  test('denies a request without the header, without reading the secret', async () => {
    storeSecret(KEY);
    await expect(handler(eventWith({ accept: 'application/json' }))).resolves.toEqual({ isAuthorized: false });
    await expect(handler(eventWith({ 'x-api-key': '' }))).resolves.toEqual({ isAuthorized: false });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('reads the key from identitySource when the header map lacks it', async () => {
    storeSecret(KEY);
    const event = { ...eventWith({}), identitySource: [KEY] };
    await expect(handler(event)).resolves.toEqual({ isAuthorized: true });
  });

  test('accepts every key of a newline-separated list, for rotation', async () => {
    storeSecret(`old-key-0123456789\r\n\n  ${KEY}  \n`);
    await expect(handler(eventWith({ 'x-api-key': 'old-key-0123456789' }))).resolves.toEqual({ isAuthorized: true });
    await expect(handler(eventWith({ 'x-api-key': KEY }))).resolves.toEqual({ isAuthorized: true });
    await expect(handler(eventWith({ 'x-api-key': 'another-key' }))).resolves.toEqual({ isAuthorized: false });
  });

  test('fetches the secret once within the cache TTL and again after it', async () => {
    storeSecret(KEY);
    await handler(eventWith({ 'x-api-key': KEY }));
    now += KEY_CACHE_TTL_MS - 1;
    await handler(eventWith({ 'x-api-key': 'wrong' }));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    storeSecret('new-key-0123456789');
    now += 2;
    await expect(handler(eventWith({ 'x-api-key': KEY }))).resolves.toEqual({ isAuthorized: false });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('throws when Secrets Manager fails, and logs the failure without the key', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    secretsManager.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException: not allowed'));

    await expect(handler(eventWith({ 'x-api-key': KEY }))).rejects.toThrow(/AccessDeniedException/);
    expect(logged).toHaveBeenCalledWith('Cannot read the API key secret', {
      secretId: SECRET_ARN,
      error: { name: 'Error', message: 'AccessDeniedException: not allowed' },
    });
    expect(JSON.stringify(logged.mock.calls)).not.toContain(KEY);
  });

  test('throws when the secret holds no key', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    storeSecret(' \n\n');
    await expect(handler(eventWith({ 'x-api-key': KEY }))).rejects.toThrow(/holds no key: store one key per line/);
  });

  test('throws when API_KEY_SECRET_ARN is not set', async () => {
    delete process.env.API_KEY_SECRET_ARN;
    await expect(handler(eventWith({ 'x-api-key': KEY }))).rejects.toThrow(/API_KEY_SECRET_ARN is not set/);
  });
});
