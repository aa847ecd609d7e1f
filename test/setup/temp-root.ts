/**
 * One temporary folder per test run, holding every temporary file of the run: jest's `globalSetup` creates it and
 * points `TMPDIR` at it: `os.tmpdir()` in the tests is inside it, and the tools they start (`projen new`, npm,
 * cdk, the emulator) inherit it. `globalTeardown` removes it. Without it, each run of the suite left its
 * three generated e2e repos (about 470 MB each, with node_modules) and many small folders in the system's
 * temp folder.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Set (to anything) to keep the run's temporary folder, e.g. to look into a failed e2e test's generated repo. */
const KEEP_ENV = 'KEEP_TEST_TMP';

const ROOT_ENV = 'PROJEN_API_SERVICE_TEST_TMP';

/** Creates the run's temporary folder and makes it the temp folder of the tests and of what they start. */
export function createTempRoot(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-api-service-test-'));
  process.env[ROOT_ENV] = root;
  process.env.TMPDIR = root;
}

/**
 * Removes the run's temporary folder, in a process of its own that outlives jest: the generated repos take several
 * seconds each to delete, which no test should wait for.
 */
export function removeTempRoot(): void {
  const root = process.env[ROOT_ENV];
  if (!root) return;
  if (process.env[KEEP_ENV]) {
    console.log(`\nKept the test run's temporary files (${KEEP_ENV} is set): ${root}`);
    return;
  }
  spawn(process.execPath, ['-e', 'require("fs").rmSync(process.argv[1], { recursive: true, force: true })', root], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}
