import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startJwksEndpoint } from '../../src/local/jwks-endpoint';
import { loadLocalSigningKey } from '../../src/local/local-signing-key';

test('serves the public key set on loopback at the well-known path, and nothing else', async () => {
  const key = await loadLocalSigningKey(fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-')));
  const endpoint = await startJwksEndpoint(key);
  try {
    expect(endpoint.jwksUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
    const response = await fetch(endpoint.jwksUri);
    expect(response.status).toBe(200);
    const jwks = await response.json() as any;
    expect(jwks).toEqual(key.jwks);
    expect(jwks.keys[0].d).toBeUndefined();
    expect((await fetch(`${endpoint.url}/other`)).status).toBe(404);
  } finally {
    await endpoint.close();
  }
});
