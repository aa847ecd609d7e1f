import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { CONNECT_METHOD_ARN, connectEvent } from './connect-event';
import { handler } from '../../src/websocket/websocket-token-authorizer.lambda';

const ISSUER = 'https://issuer.example.com';
const AUDIENCE = 'books-api';
const KID = 'key-1';
const COGNITO_POOL_ID = 'eu-west-1_AbCdEf123';
const COGNITO_ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${COGNITO_POOL_ID}`;
const COGNITO_CLIENT_ID = 'client0123456789';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let issuerKeys: KeyPair;
let otherKeys: KeyPair;
let jwksServer: http.Server;
let jwksUri: string;
let jwksRequests = 0;

beforeAll(async () => {
  issuerKeys = await generateKeyPair('RS256');
  otherKeys = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(issuerKeys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] });
  jwksServer = http.createServer((_req, res) => {
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise((resolve) => jwksServer.close(resolve)));

const VARIABLES = ['TOKEN_QUERY_PARAMETER', 'JWKS_URI', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_REQUIRED_SCOPES', 'COGNITO_USER_POOL_ID'];
function configure(variables: Record<string, string>) {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, { TOKEN_QUERY_PARAMETER: 'token', JWKS_URI: jwksUri, ...variables });
}
beforeEach(() => configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }));
afterEach(() => {
  jest.restoreAllMocks();
  for (const name of VARIABLES) delete process.env[name];
});

/** A token signed by the issuer's key, valid for 5 minutes, unless `claims` or `options` say otherwise. */
async function token(claims: JWTPayload = {}, options: { key?: KeyPair; expiresIn?: string | number; noExpiry?: boolean } = {}) {
  const jwt = new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuedAt();
  if (!options.noExpiry) jwt.setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign((options.key ?? issuerKeys).privateKey);
}

const allowed = (principalId: string) => expect.objectContaining({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: CONNECT_METHOD_ARN }] },
});

describe('websocket-token-authorizer handler', () => {
  test('allows a good token and passes sub, scope and every claim (as JSON) in the context', async () => {
    const jwt = await token({ scope: 'books/read books/write', email: 'alice@example.com' });

    const result = await handler(connectEvent({ token: jwt }));

    expect(result).toEqual(allowed('alice'));
    expect(result.context).toEqual({ sub: 'alice', scope: 'books/read books/write', claims: expect.any(String) });
    expect(JSON.parse(result.context!.claims as string)).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', email: 'alice@example.com' });
  });

  test('fetches the keys from JWKS_URI once per container, not once per connection', async () => {
    const before = jwksRequests;
    configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'other-audience,books-api' }); // a new configuration: a cold cache
    await handler(connectEvent({ token: await token() }));
    await handler(connectEvent({ token: await token({ sub: 'bob' }) }));
    expect(jwksRequests - before).toBe(1);
  });

  test('accepts any one of several audiences', async () => {
    configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'web-app, books-api' });
    await expect(handler(connectEvent({ token: await token({ aud: ['books-api', 'x'] }) }))).resolves.toEqual(allowed('alice'));
  });

  test('like API Gateway, checks client_id when the token has no aud (Cognito access tokens)', async () => {
    const jwt = await token({ aud: undefined, client_id: AUDIENCE });
    await expect(handler(connectEvent({ token: jwt }))).resolves.toEqual(allowed('alice'));
  });

  test('like API Gateway, checks aud and not client_id when the token has both', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const jwt = await token({ aud: 'someone-else', client_id: AUDIENCE });
    await expect(handler(connectEvent({ token: jwt }))).rejects.toThrow(/^Unauthorized$/);
  });

  test('reads the token from the configured query-string parameter', async () => {
    configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, TOKEN_QUERY_PARAMETER: 'access_token' });
    const jwt = await token();
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(handler(connectEvent({ access_token: jwt }))).resolves.toEqual(allowed('alice'));
    await expect(handler(connectEvent({ token: jwt }))).rejects.toThrow(/^Unauthorized$/);
  });

  // A thrown "Unauthorized" is API Gateway's 401, a Deny policy its 403:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
  test.each([
    ['no query string', async () => null, undefined],
    ['an empty token parameter', async () => ({ token: '' }), undefined],
    ['a token that is not a JWT', async () => ({ token: 'not-a-jwt' }), /JWT string does not consist of exactly 3 parts/],
    ['a wrong issuer', async () => ({ token: await token({ iss: 'https://evil.example.com' }) }), /Issuer not allowed: https:\/\/evil.example.com/],
    ['a wrong audience', async () => ({ token: await token({ aud: 'another-api' }) }), /Audience \(aud\) not allowed: another-api/],
    ['an expired token', async () => ({ token: await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }) }), /Token expired at/],
    ['a token that is not valid yet (nbf)', async () => ({ token: await token({ nbf: Math.floor(Date.now() / 1000) + 600 }) }), /Token can't be used before/],
    ['a token without exp', async () => ({ token: await token({}, { noExpiry: true }) }), /Token has no exp claim/],
    ['a bad signature (another key, same kid)', async () => ({ token: await token({}, { key: otherKeys }) }), /Invalid signature/],
  ])('throws Unauthorized (401) for %s', async (_name, query, reason) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    await expect(handler(connectEvent(await query()))).rejects.toThrow(/^Unauthorized$/);

    // The log says which check refused the token (and nothing is logged when there was no token to check).
    expect(warn.mock.calls).toEqual(reason ? [['Token refused', { reason: expect.stringMatching(reason) }]] : []);
  });

  test('denies (403) a valid token that has none of the required scopes', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_REQUIRED_SCOPES: 'books/admin books/write' });

    const result = await handler(connectEvent({ token: await token({ scope: 'books/read' }) }));

    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: CONNECT_METHOD_ARN }]);
    expect(result.context).toBeUndefined();
  });

  test('allows a token that has one of the required scopes', async () => {
    configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_REQUIRED_SCOPES: 'books/admin books/write' });
    await expect(handler(connectEvent({ token: await token({ scope: 'books/read books/write' }) }))).resolves.toEqual(allowed('alice'));
  });

  test('never logs the token, whatever happens to it', async () => {
    const logged: unknown[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, level).mockImplementation((...args) => void logged.push(...args));
    }
    configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_REQUIRED_SCOPES: 'books/admin' });
    const tokens = [
      await token({ scope: 'books/admin' }),
      await token({ scope: 'books/read' }),
      await token({ iss: 'https://evil.example.com' }),
      await token({}, { key: otherKeys }),
      'not-a-jwt-but-secret',
    ];
    for (const jwt of tokens) {
      await handler(connectEvent({ token: jwt })).catch(() => undefined);
    }

    expect(logged.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    for (const jwt of tokens) {
      expect(text).not.toContain(jwt);
      expect(text).not.toContain(jwt.split('.')[2] ?? jwt);
    }
  });

  test('the bundled, minified asset carries aws-jwt-verify: allows a good token, refuses another key', async () => {
    // Built by `npx projen pre-compile` (esbuild, externals none): what Lambda and the local emulator run.
    const bundle = jest.requireActual<{ handler: typeof handler }>(path.join(__dirname, '../../assets/websocket/websocket-token-authorizer.lambda/index.js'));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    await expect(bundle.handler(connectEvent({ token: await token() }))).resolves.toEqual(allowed('alice'));
    await expect(bundle.handler(connectEvent({ token: await token({}, { key: otherKeys }) }))).rejects.toThrow(/^Unauthorized$/);
  });

  describe('Cognito mode (COGNITO_USER_POOL_ID)', () => {
    beforeEach(() => configure({ COGNITO_USER_POOL_ID: COGNITO_POOL_ID, JWT_AUDIENCE: COGNITO_CLIENT_ID }));

    test('allows an access token by client_id, with the keys from JWKS_URI', async () => {
      const jwt = await token({ iss: COGNITO_ISSUER, aud: undefined, client_id: COGNITO_CLIENT_ID, token_use: 'access', scope: 'books/read' });
      await expect(handler(connectEvent({ token: jwt }))).resolves.toEqual(allowed('alice'));
    });

    test('allows an ID token by aud', async () => {
      const jwt = await token({ iss: COGNITO_ISSUER, aud: COGNITO_CLIENT_ID, token_use: 'id' });
      await expect(handler(connectEvent({ token: jwt }))).resolves.toEqual(allowed('alice'));
    });

    test.each([
      ['another app client', { client_id: 'another-client' }],
      ['no token_use', { token_use: undefined }],
      ['another user pool', { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }],
    ])('throws Unauthorized for an access token of %s', async (_name, claims) => {
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const jwt = await token({ iss: COGNITO_ISSUER, aud: undefined, client_id: COGNITO_CLIENT_ID, token_use: 'access', ...claims });
      await expect(handler(connectEvent({ token: jwt }))).rejects.toThrow(/^Unauthorized$/);
    });
  });

  describe('configuration errors fail loudly (API Gateway answers 500), never as 401', () => {
    test('throws when JWT_AUDIENCE is not set', async () => {
      delete process.env.JWT_AUDIENCE;
      await expect(handler(connectEvent({ token: await token() }))).rejects.toThrow(/JWT_AUDIENCE is not set: deploy this function with WebSocketTokenAuthorizer/);
    });

    test('throws when neither JWT_ISSUER nor COGNITO_USER_POOL_ID is set', async () => {
      delete process.env.JWT_ISSUER;
      await expect(handler(connectEvent({ token: await token() }))).rejects.toThrow(/JWT_ISSUER is not set/);
    });

    test('throws when JWKS_URI is plain http off loopback', async () => {
      configure({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWKS_URI: 'http://keys.example.com/jwks.json' });
      await expect(handler(connectEvent({ token: await token() }))).rejects.toThrow(
        'JWKS_URI is http://keys.example.com/jwks.json, but signing keys must come over https:// (or http:// on loopback for a local issuer)',
      );
    });
  });
});
