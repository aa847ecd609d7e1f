import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateKeyPair, importJWK, JWTPayload, SignJWT } from 'jose';
import { FIXTURE_AUDIENCE, FIXTURE_ISSUER } from './fixtures/auth-fixture-app';
import { RunningFixture, startAuthFixture } from './fixtures/start-fixture';
import { loadLocalSigningKey, LocalSigningKey } from '../../src/local/local-signing-key';

// API Gateway's JWT authorizer, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html:
// 401 {"message":"Unauthorized"} with a www-authenticate header for a missing or invalid token
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html), 403
// {"message":"Forbidden"} when the token holds none of the route's scopes; claims and scopes in
// requestContext.authorizer.jwt (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).

let fixture: RunningFixture;
let key: LocalSigningKey;
beforeAll(async () => {
  fixture = await startAuthFixture();
  key = await loadLocalSigningKey(fixture.localConfigDir);
});
afterAll(() => fixture?.emulator.close());

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({ iss: FIXTURE_ISSUER, aud: FIXTURE_AUDIENCE[0], sub: 'alice', iat: now(), exp: now() + 600, ...extra });
const call = (route: string, token?: string, method = 'GET') =>
  fetch(`${fixture.httpUrl}${route}`, { method, headers: token === undefined ? {} : { authorization: token } });

test('answers 401 without a token, with a bare Bearer challenge (RFC 6750 3.1)', async () => {
  const response = await call('/books');
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
  expect(response.headers.get('www-authenticate')).toBe('Bearer scope=""');
  expect((await call('/books/1', undefined, 'DELETE')).headers.get('www-authenticate')).toBe('Bearer scope="books/admin books/owner"');
});

test.each([
  ['signed by another key', async () => (await otherKey()).sign(claims()), 'the token is not signed by a key of the issuer'],
  ['with a forged signature (the local kid, another key)', async () => forged(claims()), 'the token is not signed by a key of the issuer'],
  ['without a kid', async () => withoutKid(claims()), 'the token is not signed by a key of the issuer'],
  ['of another issuer', () => key.sign(claims({ iss: 'https://other.example.com/' })), 'the token does not have a valid issuer'],
  ['for another audience', () => key.sign(claims({ aud: 'someone-else' })), 'the token does not have a valid audience'],
  ['whose client_id is not an audience (no aud)', () => key.sign(claims({ aud: undefined, client_id: 'someone-else' })), 'the token does not have a valid audience'],
  ['expired', () => key.sign(claims({ exp: now() - 10 })), 'the token has expired'],
  ['without exp', () => key.sign(claims({ exp: undefined })), 'the token has no expiry'],
  ['not yet valid (nbf)', () => key.sign(claims({ nbf: now() + 600 })), 'the token is not valid yet'],
  ['issued in the future (iat)', () => key.sign(claims({ iat: now() + 600 })), 'the token was issued in the future'],
  ['that is not a JWT', async () => 'not-a-jwt', 'the token is not a valid JWT'],
])('answers 401 with an invalid_token challenge for a token %s', async (_what, token, description) => {
  const response = await call('/books', `Bearer ${await token()}`);
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
  expect(response.headers.get('www-authenticate')).toBe(`Bearer scope="" error="invalid_token" error_description="${description}"`);
});

test('answers 403 Forbidden to a valid token holding none of the route\'s scopes (scope or scp)', async () => {
  for (const extra of [{}, { scope: 'books/read' }, { scp: ['books/read'] }]) {
    const response = await call('/books/1', `Bearer ${await key.sign(claims(extra))}`, 'DELETE');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  }
});

test('passes a good token, its claims as strings and its scopes in requestContext.authorizer.jwt, as payload 2.0 does', async () => {
  const token = await key.sign(claims({ 'scope': 'books/read books/owner', 'cognito:groups': ['admin', 'staff'], 'email_verified': true, 'nickname': null }));
  const response = await call('/books/7', `Bearer ${token}`, 'DELETE');
  expect(response.status).toBe(200);
  const event = await response.json() as any;
  expect(event.requestContext.authorizer).toEqual({
    jwt: {
      claims: {
        'iss': FIXTURE_ISSUER,
        'aud': FIXTURE_AUDIENCE[0],
        'sub': 'alice',
        'iat': expect.stringMatching(/^\d+$/),
        'exp': expect.stringMatching(/^\d+$/),
        'scope': 'books/read books/owner',
        'cognito:groups': '[admin staff]',
        'email_verified': 'true',
      },
      // The token's scopes, not only the ones the route asks for.
      scopes: ['books/read', 'books/owner'],
    },
  });
});

test('gives scopes null on a route without authorization scopes', async () => {
  const event = await (await call('/books', `Bearer ${await key.sign(claims({ scope: 'books/read' }))}`)).json() as any;
  expect(event.requestContext.authorizer.jwt.scopes).toBeNull();
});

test('accepts the token without "Bearer", any of the audiences, and client_id when the token has no aud', async () => {
  expect((await call('/books', await key.sign(claims()))).status).toBe(200);
  expect((await call('/books', `Bearer ${await key.sign(claims({ aud: [FIXTURE_AUDIENCE[1], 'x'] }))}`)).status).toBe(200);
  expect((await call('/books', `Bearer ${await key.sign(claims({ aud: undefined, client_id: FIXTURE_AUDIENCE[1] }))}`)).status).toBe(200);
});

test('leaves routes without an authorizer open', async () => {
  expect((await call('/public')).status).toBe(200);
});

/** Another local key: what a token of the real issuer (or anyone else) is signed with. */
async function otherKey(): Promise<LocalSigningKey> {
  return loadLocalSigningKey(fs.mkdtempSync(path.join(os.tmpdir(), 'other-key-')));
}

/** A token that names the local key's kid but is signed by another key. */
async function forged(payload: JWTPayload): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(privateKey);
}

/** A token signed by the local key whose header names no kid. */
async function withoutKid(payload: JWTPayload): Promise<string> {
  const stored = JSON.parse(fs.readFileSync(path.join(fixture.localConfigDir, '.api-service.local.json'), 'utf-8')).jwtSigningKey;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(await importJWK(stored, 'RS256'));
}
