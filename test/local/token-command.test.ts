import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { FIXTURE_AUDIENCE, FIXTURE_ISSUER, synthAuthFixture } from './fixtures/auth-fixture-app';
import { startBin } from './fixtures/bin';
import { RunningFixture, startAuthFixture, synthesized } from './fixtures/start-fixture';
import { jwtApiResources, writeAssembly } from './fixtures/template-assembly';
import { connect } from './fixtures/ws-client';
import { mintToken, parseTokenArgs } from '../../src/local/token-command';

describe('parseTokenArgs', () => {
  test('reads the assembly dir, scopes, subject, claims, lifetime and issuer, with defaults', () => {
    expect(parseTokenArgs([])).toEqual({ assemblyDir: 'cdk.out', scopes: [], sub: 'local-user', claims: {}, expiresInSeconds: 3600, issuer: undefined });
    expect(parseTokenArgs(['out', '--scope', 'books/admin', '--scope=books/read', '--sub', 'alice', '--claim', 'email=a@example.com',
      '--claim', 'level=3', '--claim', 'groups=["admin"]', '--expires-in', '30m', '--issuer', 'https://a.example.com/'])).toEqual({
      assemblyDir: 'out',
      scopes: ['books/admin', 'books/read'],
      sub: 'alice',
      claims: { email: 'a@example.com', level: 3, groups: ['admin'] },
      expiresInSeconds: 1800,
      issuer: 'https://a.example.com/',
    });
    expect(parseTokenArgs(['--expires-in', '2d']).expiresInSeconds).toBe(172800);
    expect(parseTokenArgs(['--expires-in', '90']).expiresInSeconds).toBe(90);
  });

  test('throws when an option is bad, naming it and showing the usage', () => {
    expect(() => parseTokenArgs(['--expires-in', 'soon'])).toThrow(/^--expires-in takes a duration such as 3600, 90s, 30m, 1h or 7d, got 'soon'\. usage: projen-api-service-dev token /);
    expect(() => parseTokenArgs(['--expires-in', '0'])).toThrow(/got '0'/);
    expect(() => parseTokenArgs(['--claim', 'nameless'])).toThrow(/^--claim takes NAME=VALUE, got 'nameless'/);
    expect(() => parseTokenArgs(['--scope', 'a b'])).toThrow(/^--scope takes one scope without spaces, got 'a b': repeat --scope for several/);
    expect(() => parseTokenArgs(['--port', '3000'])).toThrow(/^Unknown option '--port'\. usage: projen-api-service-dev token /);
    expect(() => parseTokenArgs(['a.out', 'b.out'])).toThrow(/^One cloud assembly directory expected, got 'a\.out' and 'b\.out'/);
  });
});

describe('tokens minted for an issuer/audience app', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startAuthFixture();
  });
  afterAll(() => fixture?.emulator.close());

  test('the bin prints only a token that the running emulator accepts on JWT routes and on $connect', async () => {
    const { stdout, stderr, code } = await runBin(['token', fixture.assemblyDir, '--scope', 'books/admin', '--sub', 'alice'], fixture.localConfigDir);
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeJwt(token)).toMatchObject({ iss: FIXTURE_ISSUER, aud: FIXTURE_AUDIENCE[0], sub: 'alice', scope: 'books/admin' });
    expect(stderr).toContain(`iss ${FIXTURE_ISSUER}, aud ${FIXTURE_AUDIENCE[0]}, sub alice, scope 'books/admin'`);

    const response = await fetch(`${fixture.httpUrl}/books/1`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect((await response.json() as any).requestContext.authorizer.jwt.claims.sub).toBe('alice');
    const client = await connect(`${fixture.wsUrl}?token=${token}`, {});
    client.ws.close();
  });

  test('the key is made once, kept in .api-service.local.json next to the API keys, reused, and never printed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-key-'));
    const file = path.join(dir, '.api-service.local.json');
    fs.writeFileSync(file, JSON.stringify({ apiKeys: ['kept'] }));
    const first = await runBin(['token', fixture.assemblyDir], dir);
    const stored = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const second = await runBin(['token', fixture.assemblyDir], dir);
    expect(stored.apiKeys).toEqual(['kept']);
    expect(stored.jwtSigningKey).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: expect.any(String), d: expect.any(String) });
    expect(JSON.parse(fs.readFileSync(file, 'utf-8'))).toEqual(stored);
    expect(decodeProtectedHeader(second.stdout.trim()).kid).toBe(decodeProtectedHeader(first.stdout.trim()).kid);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(stored.jwtSigningKey.d);
  });

  test('throws when the assembly has no JWT authorizer, saying how to add one', async () => {
    const assemblyDir = synthesized(dir => synthAuthFixture(dir, { withoutJwt: true }));
    await expect(mintToken(parseTokenArgs([assemblyDir]), fixture.localConfigDir)).rejects.toThrow(
      `The cloud assembly at '${assemblyDir}' has no JWT authorizer (HTTP API JWT authorizer or WebSocketTokenAuthorizer), so no local token would be checked: set authorization 'jwt' in .projenrc.ts (or add a JWT authorizer), run 'npx projen synth', then mint a token.`);
  });

  test('throws when --issuer names an issuer the app does not trust', async () => {
    await expect(mintToken(parseTokenArgs([fixture.assemblyDir, '--issuer', 'https://nobody.example.com/']), fixture.localConfigDir))
      .rejects.toThrow(/^--issuer 'https:\/\/nobody\.example\.com\/' is not an issuer the app trusts; it trusts 'https:\/\/issuer\.example\.com\/' \(HTTP API Http/);
  });
});

test('throws when the app trusts several issuers, and mints for the one --issuer names', async () => {
  const dir = writeAssembly({ ...jwtApiResources('One', 'https://a.example.com/', ['web']), ...jwtApiResources('Two', 'https://b.example.com/', ['svc']) });
  await expect(mintToken(parseTokenArgs([dir]), dir)).rejects.toThrow(
    "The app trusts several token issuers: 'https://a.example.com/' (HTTP API One (JWT authorizer OneJwt)), 'https://b.example.com/' (HTTP API Two (JWT authorizer TwoJwt)). Choose one with --issuer.");
  expect((await mintToken(parseTokenArgs([dir, '--issuer', 'https://b.example.com/']), dir)).claims).toMatchObject({ iss: 'https://b.example.com/', aud: 'svc' });
});

describe('tokens minted for a Cognito user pool app', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startAuthFixture({}, { userPool: true });
  });
  afterAll(() => fixture?.emulator.close());

  test('are shaped as the pool\'s access tokens and accepted on JWT routes and by the Cognito verifier on $connect', async () => {
    const { token, claims } = await mintToken(parseTokenArgs([fixture.assemblyDir, '--scope', 'books/admin', '--sub', 'bob']), fixture.localConfigDir);
    const [issuer] = fixture.emulator.jwtIssuers;
    expect(issuer.cognitoUserPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(claims).toMatchObject({
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${issuer.cognitoUserPoolId}`,
      client_id: issuer.audience[0],
      token_use: 'access',
      username: 'bob',
      scope: 'books/admin',
    });
    expect(claims.aud).toBeUndefined();
    const response = await fetch(`${fixture.httpUrl}/books/1`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const client = await connect(`${fixture.wsUrl}?token=${token}`, {});
    client.ws.send(JSON.stringify({ action: 'context' }));
    expect(JSON.parse(await client.next()).authorizer).toMatchObject({ principalId: 'bob', scope: 'books/admin' });
    client.ws.close();
  });
});

/** Runs the real bin in `cwd` to its end. */
async function runBin(args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const bin = startBin(args, { cwd });
  const code = await bin.exited;
  return { stdout: bin.stdout(), stderr: bin.stderr(), code };
}
