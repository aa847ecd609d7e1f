import * as crypto from 'crypto';
import { LOCAL_CONFIG_FILE, readLocalConfig } from './local-config';

/** Environment variable holding the local API key(s), comma-separated. */
export const API_KEYS_ENV = 'API_SERVICE_LOCAL_API_KEYS';
/** The settings file that may hold the keys, as `{ "apiKeys": ["..."] }`. */
export const API_KEYS_FILE = LOCAL_CONFIG_FILE;

/** The API keys the emulator accepts, and where they came from. */
export interface LocalApiKeys {
  readonly keys: string[];
  readonly source: string;
}

/**
 * The local API keys: from `API_SERVICE_LOCAL_API_KEYS`, else from the `apiKeys` of `.api-service.local.json`, else
 * one key generated for this run.
 */
export function loadLocalApiKeys(dir: string, env: NodeJS.ProcessEnv = process.env): LocalApiKeys {
  const fromEnv = (env[API_KEYS_ENV] ?? '').split(',').map(k => k.trim()).filter(Boolean);
  if (fromEnv.length > 0) {
    return { keys: fromEnv, source: `$${API_KEYS_ENV}` };
  }
  const { file, values } = readLocalConfig(dir);
  if (values.apiKeys !== undefined) {
    const keys = Array.isArray(values.apiKeys) ? values.apiKeys.map(String).filter(Boolean) : [];
    if (keys.length === 0) {
      throw new Error(`${file} has no API keys: expected { "apiKeys": ["<key>"] }, got ${JSON.stringify(values)}.`);
    }
    return { keys, source: file };
  }
  return { keys: [`local-${crypto.randomBytes(12).toString('hex')}`], source: 'generated for this run' };
}
