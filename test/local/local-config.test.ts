import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addLocalConfigValue, readLocalConfig } from '../../src/local/local-config';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'local-config-'));
const file = (d: string) => path.join(d, '.api-service.local.json');

test('reads nothing from a directory without the file', () => {
  const d = dir();
  expect(readLocalConfig(d)).toEqual({ file: file(d), values: {}, exists: false });
});

test('adds a value, keeping the other entries, and never replaces one that is set', () => {
  const d = dir();
  expect(addLocalConfigValue(d, 'a', 1)).toBe(1);
  fs.writeFileSync(file(d), JSON.stringify({ ...JSON.parse(fs.readFileSync(file(d), 'utf-8')), apiKeys: ['k'] }));
  expect(addLocalConfigValue(d, 'b', 2)).toBe(2);
  expect(addLocalConfigValue(d, 'a', 3)).toBe(1);
  expect(readLocalConfig(d).values).toEqual({ a: 1, apiKeys: ['k'], b: 2 });
});

test('throws when the file is not JSON, or not an object, saying what to do', () => {
  const d = dir();
  fs.writeFileSync(file(d), '{ apiKeys: [');
  expect(() => readLocalConfig(d)).toThrow(/\.api-service\.local\.json is not valid JSON \(.*\): fix it, or delete it to start afresh\.$/);
  fs.writeFileSync(file(d), '["k"]');
  expect(() => readLocalConfig(d)).toThrow(/must hold a JSON object such as \{ "apiKeys": \["<key>"\] \}, got \["k"\]\.$/);
});
