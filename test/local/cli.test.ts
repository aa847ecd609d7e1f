import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { asyncApiDocument, documentsDir, openApiDocument } from './fixtures/api-documents';
import { FIXTURE_AUDIENCE, FIXTURE_ISSUER } from './fixtures/auth-fixture-app';
import { startBin } from './fixtures/bin';
import { RunningFixture, startAuthFixture, startFixture } from './fixtures/start-fixture';
import { apiDocumentFiles } from '../../src/local/api-docs-server';
import { ApiDocs, banner, parseArgs } from '../../src/local/cli';

/** No documents: what the banner says of an app without openapi.json. */
const NO_DOCS: ApiDocs = { documents: apiDocumentFiles(documentsDir()) };

describe('parseArgs', () => {
  test('reads the assembly dir, port, host, concurrency, docs port and documents folder, with defaults', () => {
    expect(parseArgs([])).toEqual({ assemblyDir: 'cdk.out', port: 3000, host: '127.0.0.1', concurrency: 10, docsPort: 3999, documentsDir: '.' });
    expect(parseArgs(['out', '--port', '4000', '--host', '::1', '--concurrency', '2', '--docs-port', '5000', '--documents', 'api'])).toEqual({
      assemblyDir: 'out', port: 4000, host: '::1', concurrency: 2, docsPort: 5000, documentsDir: 'api',
    });
  });

  test('--port 0 gives the docs page a free port too, unless --docs-port is given', () => {
    expect(parseArgs(['--port', '0'])).toMatchObject({ port: 0, docsPort: 0 });
    expect(parseArgs(['--port', '0', '--docs-port', '3999'])).toMatchObject({ port: 0, docsPort: 3999 });
    expect(parseArgs(['--docs-port', '0'])).toMatchObject({ port: 3000, docsPort: 0 });
  });

  test('takes options in any order and as --name=value, as `npx projen dev --port 4000` passes them after the dir', () => {
    const expected = { assemblyDir: 'cdk.out', port: 4000, host: '127.0.0.1', concurrency: 3, docsPort: 3999, documentsDir: '.' };
    expect(parseArgs(['cdk.out', '--port', '4000', '--concurrency', '3'])).toEqual(expected);
    expect(parseArgs(['--concurrency=3', '--port', '4000', 'cdk.out'])).toEqual(expected);
    expect(parseArgs(['--port=4000', 'cdk.out', '--concurrency', '3'])).toEqual(expected);
  });

  test('throws when an option is bad, naming it and showing the usage', () => {
    expect(() => parseArgs(['--port', 'x'])).toThrow(/^--port must be a port number \(0-65535\), got 'x'\. usage: /);
    expect(() => parseArgs(['--port'])).toThrow(/^Option '--port <value>' argument missing\. usage: /);
    expect(() => parseArgs(['--verbose'])).toThrow(/^Unknown option '--verbose'\. usage: /);
    expect(() => parseArgs(['--concurrency', '0'])).toThrow(/^--concurrency must be a whole number of worker threads per function \(1 or more\), got '0'/);
    expect(() => parseArgs(['--concurrency', '1.5'])).toThrow(/got '1\.5'/);
    expect(() => parseArgs(['--docs-port', '70000'])).toThrow(/^--docs-port must be a port number \(0-65535\), got '70000'\. usage: /);
    expect(() => parseArgs(['--documents='])).toThrow(/^--documents needs the folder of openapi\.json, e\.g\. --documents \. usage: /);
    expect(() => parseArgs(['a.out', 'b.out'])).toThrow(/^One cloud assembly directory expected, got 'a\.out' and 'b\.out'/);
  });
});

describe('the projen-api-service-dev bin', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.emulator.close());

  test('banner lists the endpoints and the API key in use', () => {
    const lines = banner(fixture.emulator, NO_DOCS);
    expect(lines).toContain(`[emulator] HTTP API Http: ${fixture.httpUrl}/`);
    expect(lines).toContain(`[emulator] WebSocket API Ws: ${fixture.wsUrl} (@connections: ${fixture.httpUrl}/dev/@connections/{id})`);
    expect(lines.some(l => l.startsWith('[emulator] API key: test-key'))).toBe(true);
  });

  test('banner says where the API documents are and the URL of their docs page', () => {
    const dir = documentsDir({ openapi: openApiDocument(), asyncapi: asyncApiDocument() });
    const lines = banner(fixture.emulator, { documents: apiDocumentFiles(dir), url: 'http://127.0.0.1:3999' });
    expect(lines).toEqual(expect.arrayContaining([
      '[emulator] API docs: http://127.0.0.1:3999/',
      `[emulator] OpenAPI document: ${path.join(dir, 'openapi.json')} (also at http://127.0.0.1:3999/openapi.json)`,
      `[emulator] AsyncAPI document: ${path.join(dir, 'asyncapi.json')} (also at http://127.0.0.1:3999/asyncapi.json)`,
    ]));
  });

  test('banner says in one line that there is no openapi.json, where, and how to make it', () => {
    const lines = banner(fixture.emulator, NO_DOCS).filter(l => l.includes('openapi.json'));
    expect(lines).toEqual([`[emulator] No openapi.json in ${NO_DOCS.documents.dir}: no API docs page (npx projen build writes it)`]);
  });

  test('banner says responses that break their contract are answered 500', () => {
    expect(banner(fixture.emulator, NO_DOCS)).toContain('[emulator] Responses that break their contract are answered 500 (API_CONTRACT_RESPONSES=strict)');
  });

  test('serves the docs page of the openapi.json in its working directory, and prints where', async () => {
    const dir = documentsDir({ openapi: openApiDocument() });
    const cli = startCli([fixture.assemblyDir, '--port', '0'], dir);
    try {
      await cli.printed('API docs: ');
      const url = /API docs: (\S+)\//.exec(cli.stdout())![1];
      expect(cli.stdout()).toContain(`[emulator] OpenAPI document: ${fs.realpathSync(dir)}/openapi.json (also at ${url}/openapi.json)`);
      expect(await (await fetch(`${url}/`)).text()).toContain('<h1>Books API <small>1.2.3</small></h1>');
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  test('says in one line which --docs-port is busy, with the documents of --documents', async () => {
    const busy = net.createServer();
    const port = await new Promise<number>(resolve => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as net.AddressInfo).port)));
    try {
      const cli = startCli([fixture.assemblyDir, '--port', '0', '--docs-port', String(port), '--documents', documentsDir({ openapi: openApiDocument() })]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr().trim().split('\n')).toEqual([
        `[emulator] Port ${port} on 127.0.0.1 is already in use: stop what is using it, or start on another port, e.g. --docs-port ${port + 100} (--docs-port 0 picks a free one).`,
      ]);
    } finally {
      busy.close();
    }
  });

  test('fails with a clear message when there is no cloud assembly', async () => {
    const cli = startCli(['/nonexistent', '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain("No cloud assembly at '/nonexistent'");
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('serves on the --port given after the dir, and stops with its workers on %s', async signal => {
    const port = await freePort();
    const cli = startCli([fixture.assemblyDir, '--port', String(port), '--concurrency', '2']);
    await cli.printed(`HTTP API Http: http://127.0.0.1:${port}/`);
    expect((await fetch(`http://127.0.0.1:${port}/hello`)).status).toBe(200);
    cli.child.kill(signal);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain(`[emulator] ${signal}: stopping`);
    expect(await freePort(port)).toBe(port);
  });

  test('says in one line, without a stack trace, which port is busy and how to pick another', async () => {
    const busy = net.createServer();
    const port = await new Promise<number>(resolve => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as net.AddressInfo).port)));
    try {
      const cli = startCli([fixture.assemblyDir, '--port', String(port)]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr().trim().split('\n')).toEqual([
        `[emulator] Port ${port} on 127.0.0.1 is already in use: stop what is using it, or start on another port, e.g. --port ${port + 100} (--port 0 picks a free one).`,
      ]);
    } finally {
      busy.close();
    }
  });
});

describe('the banner of an app with JWT and IAM authorization', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startAuthFixture();
  });
  afterAll(() => fixture?.emulator.close());

  test('says which authorization is emulated, how to get a token, and that IAM signatures are not verified', () => {
    const lines = banner(fixture.emulator, NO_DOCS);
    expect(lines).toContain('[emulator] JWT (HTTP API Http (JWT authorizer Jwt), function AuthFixture-TokenFunction919CCBDD (WebSocket token authorizer)): ' +
      `tokens of ${FIXTURE_ISSUER} (audience ${FIXTURE_AUDIENCE.join(', ')}) are verified against the local signing key in .api-service.local.json, ` +
      'not the issuer\'s keys; get one with: npx projen dev:token --scope <scope> --sub <user> (or projen-api-service-dev token <cdk.out>)');
    expect(lines).toContain('[emulator] IAM (Http GET /internal, WsIam $connect): requests must be SigV4-signed (Authorization header or presigned URL); ' +
      'the signature is NOT verified locally');
    expect(lines.filter(l => l.includes('not enforced locally'))).toEqual([]);
  });
});

/** The real bin (in `cwd`), with the API key `cli-key`, and a way to wait for a line it prints. */
function startCli(args: string[], cwd?: string) {
  const cli = startBin(args, { cwd, env: { API_SERVICE_LOCAL_API_KEYS: 'cli-key' } });
  return {
    ...cli,
    printed: async (text: string) => {
      for (const start = Date.now(); !cli.stdout().includes(text); await new Promise(r => setTimeout(r, 100))) {
        if (Date.now() - start > 30_000 || cli.child.exitCode !== null) {
          throw new Error(`the bin did not print '${text}':\n${cli.stdout()}\n${cli.stderr()}`);
        }
      }
    },
  };
}

/** A free port (the given one, if it is free). */
function freePort(port = 0): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
}
