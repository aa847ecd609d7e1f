/**
 * End to end: the packed tarball, the real `projen new --from`, the real `npx projen build` in each generated repo.
 * Runs after `package` in its own jest task.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { build, ENV, FROM, MINUTES, projenNew, run } from './generated-repo';

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf-8');
const exists = (dir: string, file: string) => fs.existsSync(path.join(dir, file));
const gitStatus = (dir: string) => run(dir, 'git', ['status', '--porcelain']);

test('no flags: the demo (HTTP + WebSocket echo) builds green', () => {
  const dir = projenNew();
  expect(read(dir, '.projenrc.ts')).toContain("httpRoutes: ['GET /health', 'GET /books', 'GET /books/{id}', 'POST /books']");
  expect(read(dir, '.projenrc.ts')).toContain("websocketRoutes: ['sendmessage']");
  expect(JSON.parse(read(dir, 'package.json')).dependencies['projen-api-service']).toBe(FROM.replace('projen-api-service@', ''));
  build(dir);
  expect(exists(dir, 'cdk.out')).toBe(true);
}, 30 * MINUTES);

test('HTTP routes only builds green; then routes are added and removed', () => {
  const dir = projenNew('--http-routes', 'GET /items', '--http-routes', 'GET /items/{id}', '--no-api-key-required');
  expect(exists(dir, 'src/websocket')).toBe(false);
  build(dir);
  run(dir, 'git', ['add', '-A']);
  run(dir, 'git', ['commit', '-qm', 'built', '--allow-empty']);

  // Add a route and edit a handler.
  const edited = '// my own handler\nexport const handler = async () => ({ statusCode: 204 });\n';
  fs.writeFileSync(path.join(dir, 'src/http/get-items.lambda.ts'), edited);
  const rc = read(dir, '.projenrc.ts').replace("'GET /items/{id}']", "'GET /items/{id}', 'DELETE /items/{id}']");
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), rc);
  run(dir, 'npx', ['projen']);

  expect(read(dir, 'src/http/get-items.lambda.ts')).toBe(edited);
  expect(exists(dir, 'src/http/delete-items-by-id.lambda.ts')).toBe(true);
  expect(exists(dir, 'test/http/delete-items-by-id.lambda.test.ts')).toBe(true);
  expect(read(dir, 'src/api.generated.ts')).toContain("addLambdaRoute('DELETE /items/{id}'");
  const changed = gitStatus(dir).split('\n').filter(Boolean).map((l) => l.slice(3));
  const userOwned = changed.filter((f) => /^(src\/(main|service-stack)\.ts|README\.md|src\/http\/.*\.lambda\.ts|test\/)/.test(f) && !f.includes('delete-items'));
  expect(userOwned).toEqual(['src/http/get-items.lambda.ts']);

  // A second run changes nothing.
  const before = gitStatus(dir);
  run(dir, 'npx', ['projen']);
  expect(gitStatus(dir)).toBe(before);

  // The edited handler's own test now fails by design: restore a handler that still satisfies it, then build.
  run(dir, 'git', ['checkout', 'src/http/get-items.lambda.ts']);
  build(dir);

  // Remove a route: unwired, file kept, warning names it.
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), read(dir, '.projenrc.ts').replace("'GET /items/{id}', ", ''));
  const output = spawnSync('npx', ['projen'], { cwd: dir, env: ENV, encoding: 'utf-8' });
  expect(output.status).toBe(0);
  expect(output.stdout + output.stderr).toContain('src/http/get-items-by-id.lambda.ts is no longer wired to a route');
  expect(exists(dir, 'src/http/get-items-by-id.lambda.ts')).toBe(true);
  expect(read(dir, 'src/api.generated.ts')).not.toContain("'GET /items/{id}'");
}, 40 * MINUTES);

test('WebSocket routes only builds green', () => {
  const dir = projenNew('--websocket-routes', 'chat', '--stage-name', 'live');
  expect(exists(dir, 'src/http')).toBe(false);
  expect(read(dir, 'src/api.generated.ts')).toContain("stageName: 'live'");
  build(dir);
}, 30 * MINUTES);

test('a bad flag fails with one clear error and writes no project file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-service-e2e-'));
  const result = spawnSync('npx', ['--yes', 'projen@0.103.25', 'new', '--from', FROM, '--http-routes', 'GETT /x'], {
    cwd: dir, env: ENV, encoding: 'utf-8',
  });
  expect(result.status).not.toBe(0);
  expect(result.stderr + result.stdout).toContain('httpRoutes: HTTP route key "GETT /x" has an unknown method "GETT": use one of GET, POST');
  // npm's own install of the package (node_modules, package.json) happens before the project type runs.
  for (const file of ['.projenrc.ts', 'src', 'test', '.projen', 'cdk.json', 'tsconfig.json']) {
    expect(exists(dir, file)).toBe(false);
  }
}, 15 * MINUTES);
