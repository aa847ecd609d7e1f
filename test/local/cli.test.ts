import { execFile } from 'child_process';
import * as path from 'path';
import { RunningFixture, startFixture } from './fixtures/start-fixture';
import { banner, parseArgs } from '../../src/local/cli';

test('parseArgs reads the assembly dir, port and host', () => {
  expect(parseArgs([])).toEqual({ assemblyDir: 'cdk.out', port: 3000, host: '127.0.0.1' });
  expect(parseArgs(['out', '--port', '0', '--host', '::1'])).toEqual({ assemblyDir: 'out', port: 0, host: '::1' });
});

test('throws when an option is bad', () => {
  expect(() => parseArgs(['--port', 'x'])).toThrow(/--port must be a port number \(0-65535\), got 'x'/);
  expect(() => parseArgs(['--verbose'])).toThrow(/Unknown option '--verbose'/);
});

describe('banner', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.emulator.close());

  test('lists the endpoints and the API key in use', () => {
    const lines = banner(fixture.emulator);
    expect(lines).toContain(`[emulator] HTTP API Http: ${fixture.httpUrl}/`);
    expect(lines).toContain(`[emulator] WebSocket API Ws: ${fixture.wsUrl} (@connections: ${fixture.httpUrl}/dev/@connections/{id})`);
    expect(lines.some(l => l.startsWith('[emulator] API key: test-key'))).toBe(true);
  });

  test('the cli fails with a clear message when there is no cloud assembly', async () => {
    const cli = path.resolve(__dirname, '../../src/local/cli.ts');
    const result = await new Promise<{ code: number | null; stderr: string }>(resolve => {
      const child = execFile(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), cli, '/nonexistent', '--port', '0'],
        { env: { ...process.env, TS_NODE_COMPILER_OPTIONS: '{"module":"commonjs","moduleResolution":"node10","ignoreDeprecations":"6.0"}' } },
        (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }));
    });
    expect(result.stderr).toContain("No cloud assembly at '/nonexistent'");
    expect(result.code).toBe(1);
  });
});
