import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Environment variable holding the local API key(s), comma-separated. */
export const API_KEYS_ENV = 'API_SERVICE_LOCAL_API_KEYS';
/** Config file (in the working directory) holding `{ "apiKeys": ["..."] }`. */
export const API_KEYS_FILE = '.api-service.local.json';

/** The API keys the emulator accepts, and where they came from. */
export interface LocalApiKeys {
  readonly keys: string[];
  readonly source: string;
}

/**
 * The local API keys: from `API_SERVICE_LOCAL_API_KEYS`, else from `.api-service.local.json`, else one key
 * generated for this run.
 */
export function loadLocalApiKeys(dir: string, env: NodeJS.ProcessEnv = process.env): LocalApiKeys {
  const fromEnv = (env[API_KEYS_ENV] ?? '').split(',').map(k => k.trim()).filter(Boolean);
  if (fromEnv.length > 0) {
    return { keys: fromEnv, source: `$${API_KEYS_ENV}` };
  }
  const file = path.join(dir, API_KEYS_FILE);
  if (fs.existsSync(file)) {
    const config = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const keys = Array.isArray(config.apiKeys) ? config.apiKeys.map(String).filter(Boolean) : [];
    if (keys.length === 0) {
      throw new Error(`${file} has no API keys: expected { "apiKeys": ["<key>"] }, got ${JSON.stringify(config)}.`);
    }
    return { keys, source: file };
  }
  return { keys: [`local-${crypto.randomBytes(12).toString('hex')}`], source: 'generated for this run' };
}
