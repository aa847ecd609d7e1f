import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { loadLocalSigningKey } from '../../src/local/local-signing-key';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'signing-key-'));
const file = (d: string) => path.join(d, '.api-service.local.json');

test('makes an RS256 key on first use, owner-readable only, and reuses it', async () => {
  const d = dir();
  const first = await loadLocalSigningKey(d);
  expect(fs.statSync(file(d)).mode.toString(8).slice(-3)).toBe('600');
  const second = await loadLocalSigningKey(d);
  expect(second.kid).toBe(first.kid);
  const token = await second.sign({ sub: 'a' });
  expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: first.kid });
  expect((await jwtVerify(token, createLocalJWKSet(first.jwks))).payload).toEqual({ sub: 'a' });
});

test('adds the key to an existing file, keeping its entries, and serves only the public half', async () => {
  const d = dir();
  fs.writeFileSync(file(d), JSON.stringify({ apiKeys: ['k1'] }));
  const key = await loadLocalSigningKey(d);
  const stored = JSON.parse(fs.readFileSync(file(d), 'utf-8'));
  expect(stored.apiKeys).toEqual(['k1']);
  expect(stored.jwtSigningKey).toMatchObject({ kty: 'RSA', kid: key.kid, alg: 'RS256', use: 'sig', d: expect.any(String) });
  expect(key.jwks.keys).toEqual([{ kty: 'RSA', kid: key.kid, alg: 'RS256', use: 'sig', n: stored.jwtSigningKey.n, e: stored.jwtSigningKey.e }]);
});

test('throws when the stored key is not a private RSA key, saying how to get a new one', async () => {
  const d = dir();
  fs.writeFileSync(file(d), JSON.stringify({ jwtSigningKey: { kty: 'oct', k: 'AAAA' } }));
  await expect(loadLocalSigningKey(d)).rejects.toThrow(/holds a jwtSigningKey that is not an RS256 private key .*: delete that entry, and a new key is made on the next run\.$/);
});
