import * as net from 'net';
import { FIXTURE_AUDIENCE, FIXTURE_ISSUER } from './fixtures/auth-fixture-app';
import { startBin } from './fixtures/bin';
import { RunningFixture, startAuthFixture, startFixture } from './fixtures/start-fixture';
import { banner, parseArgs } from '../../src/local/cli';

describe('parseArgs', () => {
  test('reads the assembly dir, port, host and concurrency, with defaults', () => {
    expect(parseArgs([])).toEqual({ assemblyDir: 'cdk.out', port: 3000, host: '127.0.0.1', concurrency: 10 });
    expect(parseArgs(['out', '--port', '0', '--host', '::1', '--concurrency', '2'])).toEqual({ assemblyDir: 'out', port: 0, host: '::1', concurrency: 2 });
  });

  test('takes options in any order and as --name=value, as `npx projen dev --port 4000` passes them after the dir', () => {
    const expected = { assemblyDir: 'cdk.out', port: 4000, host: '127.0.0.1', concurrency: 3 };
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
    const lines = banner(fixture.emulator);
    expect(lines).toContain(`[emulator] HTTP API Http: ${fixture.httpUrl}/`);
    expect(lines).toContain(`[emulator] WebSocket API Ws: ${fixture.wsUrl} (@connections: ${fixture.httpUrl}/dev/@connections/{id})`);
    expect(lines.some(l => l.startsWith('[emulator] API key: test-key'))).toBe(true);
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
    const lines = banner(fixture.emulator);
    expect(lines).toContain('[emulator] JWT (HTTP API Http (JWT authorizer Jwt), function AuthFixture-TokenFunction919CCBDD (WebSocket token authorizer)): ' +
      `tokens of ${FIXTURE_ISSUER} (audience ${FIXTURE_AUDIENCE.join(', ')}) are verified against the local signing key in .api-service.local.json, ` +
      'not the issuer\'s keys; get one with: npx projen dev:token --scope <scope> --sub <user> (or projen-api-service-dev token <cdk.out>)');
    expect(lines).toContain('[emulator] IAM (Http GET /internal, WsIam $connect): requests must be SigV4-signed (Authorization header or presigned URL); ' +
      'the signature is NOT verified locally');
    expect(lines.filter(l => l.includes('not enforced locally'))).toEqual([]);
  });
});

/** The real bin, with the API key `cli-key`, and a way to wait for a line it prints. */
function startCli(args: string[]) {
  const cli = startBin(args, { env: { API_SERVICE_LOCAL_API_KEYS: 'cli-key' } });
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
