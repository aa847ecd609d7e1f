import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiServiceProject, ApiServiceProjectOptions } from '../../src/project';

/** A repo whose stack and stack test an earlier version wrote (its demo, with apiKeyRequired). */
function earlierRepo(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-service-'));
  const previous = path.join(__dirname, 'fixtures', 'previous-version');
  fs.mkdirSync(path.join(outdir, 'src'));
  fs.mkdirSync(path.join(outdir, 'test'));
  fs.copyFileSync(path.join(previous, 'service-stack.ts.txt'), path.join(outdir, 'src/service-stack.ts'));
  fs.copyFileSync(path.join(previous, 'service-stack.test.ts.txt'), path.join(outdir, 'test/service-stack.test.ts'));
  return outdir;
}

/** Synthesizes the project into `outdir` (without installing anything); returns its warnings. */
function warningsOf(options: Partial<ApiServiceProjectOptions>, outdir: string): string[] {
  process.env.PROJEN_DISABLE_POST = 'true';
  const p = new ApiServiceProject({ name: 'books-api', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', outdir, ...options });
  const warn = jest.spyOn(p.logger, 'warn').mockImplementation(() => undefined);
  p.synth();
  delete process.env.PROJEN_DISABLE_POST;
  return warn.mock.calls.map(([message]) => String(message));
}

test('the stack and stack test of an earlier version stay silent while the options fit them', () => {
  expect(warningsOf({ apiKeyRequired: false }, earlierRepo())).toEqual([]);
  expect(warningsOf({ authorization: 'api-key' }, earlierRepo())).toEqual([]);
});

test('they get a warning saying what to change when a user pool, JWT or IAM routes outgrow them; following it silences it', () => {
  const outdir = earlierRepo();
  const options = { userPool: true, routeAuthorization: { 'POST /books': 'iam' } };
  expect(warningsOf(options, outdir)).toEqual([
    'src/service-stack.ts (written by an earlier version) passes apiServiceDefaultsProps to ApiServiceDefaults, which has no user pool (userPool: true): write new ApiServiceDefaults(this.api.apiServiceDefaultsProps) instead.',
    'test/service-stack.test.ts (written by an earlier version) expects every HTTP route to need an API key or nothing, but routes are now authorized with jwt and iam: delete it and run npx projen for one that reads ROUTE_AUTHORIZATION, or change that test.',
  ]);
  fs.rmSync(path.join(outdir, 'src/service-stack.ts'));
  fs.rmSync(path.join(outdir, 'test/service-stack.test.ts'));
  expect(warningsOf(options, outdir)).toEqual([]);
});
