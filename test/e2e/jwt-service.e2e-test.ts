/**
 * End to end: a service authorized with JWTs from an OIDC issuer, made by the real `projen new --from <packed
 * tarball> --authorization jwt --jwt-issuer ... --jwt-audience ...`, given a per-route IAM route, a public route
 * and a route that needs a scope in `.projenrc.ts`; built green (CloudFormation validation and cdk-nag as
 * errors), then served by `npx projen dev` and called with tokens minted by `npx projen dev:token`.
 */
import * as fs from 'fs';
import * as path from 'path';
import WebSocket from 'ws';
import {
  attempt, build, DevServer, emptyRepoDir, killDev, MINUTES, projenNew, run, signalAndWaitForStop, startDev,
} from './generated-repo';

const dir = emptyRepoDir('books-jwt');
const ISSUER = 'https://issuer.example.com/';

/** A token from `npx projen dev:token <flags>`: its stdout is the token alone. */
function devToken(...flags: string[]): string {
  return run(dir, 'npx', ['projen', 'dev:token', ...flags]).trim();
}

/** The claims of a JWT (not verified). */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf-8'));
}

describe('projen new --authorization jwt --jwt-issuer ... --jwt-audience ...', () => {
  test('writes the options into .projenrc.ts', () => {
    const { status, output } = projenNew(dir, '--authorization', 'jwt', '--jwt-issuer', ISSUER, '--jwt-audience', 'books-api');
    expect({ status, output: status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
    const rc = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8');
    expect(rc).toContain("authorization: 'jwt',");
    expect(rc).toContain(`jwtIssuer: '${ISSUER}',`);
    expect(rc).toContain("jwtAudience: ['books-api'],");
  }, 15 * MINUTES);

  test('routeAuthorization added in .projenrc.ts (a public route, a scope, an IAM route) reaches the wiring with npx projen', () => {
    const rc = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8');
    const routeAuthorization = "  routeAuthorization: { 'GET /books': 'none', 'GET /books/{id}': 'jwt:books/read', 'POST /books': 'iam' },\n";
    fs.writeFileSync(path.join(dir, '.projenrc.ts'), rc.replace("  publicRoutes: ['GET /health'],\n", `  publicRoutes: ['GET /health'],\n${routeAuthorization}`));
    const { status } = attempt(dir, 'npx', ['projen']);
    expect(status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/api.generated.ts'), 'utf-8')).toContain("  ['GET /books/{id}']: 'jwt:books/read',\n  ['POST /books']: 'iam',\n");
  });

  test('builds green, with CloudFormation validation and cdk-nag as errors', () => {
    build(dir);
    const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'BooksJwt.template.json'), 'utf-8'));
    const types = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => `${r.Properties.RouteKey} ${r.Properties.AuthorizationType}`);
    expect(types.sort()).toEqual([
      '$connect CUSTOM', '$default NONE', '$disconnect NONE', 'GET /books NONE', 'GET /books/{id} JWT', 'GET /health NONE', 'POST /books AWS_IAM', 'sendmessage NONE',
    ]);
  }, 30 * MINUTES);
});

describe('npx projen dev, with tokens from npx projen dev:token', () => {
  let dev: DevServer;
  let admin: string;
  let reader: string;

  beforeAll(async () => {
    dev = await startDev(dir);
    reader = devToken('--scope', 'books/read', '--sub', 'alice');
    admin = devToken('--scope', 'books/admin', '--sub', 'bob');
  }, 10 * MINUTES);

  afterAll(() => killDev(dev));

  const connect = (query: string) => new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${dev.port}/prod${query}`);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });

  test('dev:token mints a token for the app\'s issuer and first audience, with the scope and subject asked for', () => {
    expect(claimsOf(reader)).toMatchObject({ iss: ISSUER, aud: 'books-api', sub: 'alice', scope: 'books/read' });
  });

  test('a JWT route: 401 without a token, 401 with a forged one, 403 without its scope, 200 with it; the handler knows the caller', async () => {
    const url = `${dev.url}/books/7`;
    const none = await fetch(url);
    expect([none.status, await none.json()]).toEqual([401, { message: 'Unauthorized' }]);
    const [header, payload] = reader.split('.');
    expect((await fetch(url, { headers: { authorization: `Bearer ${header}.${payload}.c2lnbmF0dXJl` } })).status).toBe(401);
    const wrongScope = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
    expect([wrongScope.status, await wrongScope.json()]).toEqual([403, { message: 'Forbidden' }]);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${reader}` } });
    expect([ok.status, await ok.json()]).toEqual([200, { route: 'GET /books/{id}', caller: 'alice', pathParameters: { id: '7' }, query: {} }]);
  });

  test('a public route answers without a token', async () => {
    expect((await fetch(`${dev.url}/books`)).status).toBe(200);
    expect((await fetch(`${dev.url}/health`)).status).toBe(200);
  });

  test('an IAM route: 403 unsigned, even with a valid JWT; a SigV4-signed request passes (signatures are not verified locally)', async () => {
    const post = (headers: Record<string, string>) => fetch(`${dev.url}/books`, { method: 'POST', body: '{"title":"Dune"}', headers: { 'content-type': 'application/json', ...headers } });
    expect((await post({})).status).toBe(403);
    expect((await post({ authorization: `Bearer ${reader}` })).status).toBe(403);
    const signed = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123';
    expect((await post({ 'authorization': signed, 'x-amz-date': '20300101T000000Z' })).status).toBe(201);
  });

  test('WebSocket: $connect refuses no token and a bad one, connects with a good ?token=, and the echo works', async () => {
    await expect(connect('')).rejects.toThrow('upgrade refused: 401');
    await expect(connect('?token=not-a-jwt')).rejects.toThrow('upgrade refused: 401');
    const socket = await connect(`?token=${reader}`);
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(JSON.stringify({ action: 'sendmessage', text: 'hello' }));
    expect(JSON.parse(await reply)).toEqual({ route: 'sendmessage', echo: { text: 'hello' } });
    socket.close();
    // The $connect handler logged the caller from the claims the token authorizer passed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(dev.output()).toMatch(/"route":"\$connect","connectionId":"[^"]+","caller":"alice"/);
  });

  test('SIGINT to the process group (Ctrl-C in a terminal) stops the emulator, frees its port and leaves no process', async () => {
    const stoppedAfterMs = await signalAndWaitForStop(dev, 'SIGINT', 'group');
    console.log(`npx projen dev: stopped ${stoppedAfterMs} ms after SIGINT to its process group`);
  });
});
