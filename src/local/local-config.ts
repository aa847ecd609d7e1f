import * as fs from 'fs';
import * as path from 'path';

/**
 * The emulator's own settings file, in the working directory and git-ignored in generated repos:
 * `{ "apiKeys": ["..."], "jwtSigningKey": { <RS256 private JWK> } }`. Every entry is optional.
 */
export const LOCAL_CONFIG_FILE = '.api-service.local.json';

/** The settings file of a directory and what it holds (nothing when it does not exist). */
export interface LocalConfig {
  readonly file: string;
  readonly values: Record<string, unknown>;
  readonly exists: boolean;
}

/** Reads `.api-service.local.json` in `dir`; a file that is not a JSON object is an error that says how to fix it. */
export function readLocalConfig(dir: string): LocalConfig {
  const file = path.join(dir, LOCAL_CONFIG_FILE);
  if (!fs.existsSync(file)) {
    return { file, values: {}, exists: false };
  }
  let values: unknown;
  try {
    values = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}): fix it, or delete it to start afresh.`);
  }
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new Error(`${file} must hold a JSON object such as { "apiKeys": ["<key>"] }, got ${JSON.stringify(values)}.`);
  }
  return { file, values: values as Record<string, unknown>, exists: true };
}

/**
 * Sets `name` in `dir`'s settings file unless it is already set (another process may have set it meanwhile), keeping
 * every other entry, readable by the owner only. Returns the value the file holds afterwards.
 */
export function addLocalConfigValue<T>(dir: string, name: string, value: T): T {
  const file = path.join(dir, LOCAL_CONFIG_FILE);
  const text = (values: Record<string, unknown>) => `${JSON.stringify(values, null, 2)}\n`;
  try {
    // Made whole or not at all: another process starting at the same time finds either nothing or this file.
    fs.writeFileSync(file, text({ [name]: value }), { flag: 'wx', mode: 0o600 });
    return value;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw e;
    }
  }
  const { values } = readLocalConfig(dir);
  if (values[name] !== undefined) {
    return values[name] as T;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text({ ...values, [name]: value }), { mode: 0o600 });
  fs.renameSync(temporary, file);
  return value;
}
