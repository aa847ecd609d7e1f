import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadLocalApiKeys } from '../../src/local/local-api-keys';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));

test('reads keys from API_SERVICE_LOCAL_API_KEYS first', () => {
  expect(loadLocalApiKeys(dir(), { API_SERVICE_LOCAL_API_KEYS: 'a, b' }).keys).toEqual(['a', 'b']);
});

test('reads keys from .api-service.local.json', () => {
  const d = dir();
  fs.writeFileSync(path.join(d, '.api-service.local.json'), JSON.stringify({ apiKeys: ['k1'] }));
  expect(loadLocalApiKeys(d, {})).toEqual({ keys: ['k1'], source: path.join(d, '.api-service.local.json') });
});

test('generates a key when none is configured', () => {
  expect(loadLocalApiKeys(dir(), {}).keys[0]).toMatch(/^local-[0-9a-f]{24}$/);
});

test('throws when the config file has no keys', () => {
  const d = dir();
  fs.writeFileSync(path.join(d, '.api-service.local.json'), '{"apiKeys": []}');
  expect(() => loadLocalApiKeys(d, {})).toThrow(/has no API keys: expected \{ "apiKeys": \["<key>"\] \}/);
});

test('generates a key when the config file holds only other entries (the local signing key)', () => {
  const d = dir();
  fs.writeFileSync(path.join(d, '.api-service.local.json'), JSON.stringify({ jwtSigningKey: { kty: 'RSA' } }));
  expect(loadLocalApiKeys(d, {})).toEqual({ keys: [expect.stringMatching(/^local-[0-9a-f]{24}$/)], source: 'generated for this run' });
});
