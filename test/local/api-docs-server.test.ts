import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { asyncApiDocument, documentsDir, openApiDocument } from './fixtures/api-documents';
import { RunningFixture, startFixture } from './fixtures/start-fixture';
import { apiDocumentFiles, startApiDocsServer } from '../../src/local/api-docs-server';
import { Listening } from '../../src/local/listen';

let fixture: RunningFixture;
let docs: Listening;
let dir: string;
beforeAll(async () => {
  fixture = await startFixture();
  dir = documentsDir({ openapi: openApiDocument(), asyncapi: asyncApiDocument() });
  docs = await startApiDocsServer({ host: '127.0.0.1', port: 0, documents: apiDocumentFiles(dir), endpoints: fixture.emulator.endpoints });
});
afterAll(async () => {
  await docs?.close();
  await fixture?.emulator.close();
});

const get = (urlPath: string, init?: RequestInit) => fetch(`${docs.url}${urlPath}`, init);

test('serves the page on a port of its own, listing the emulator\'s stages as the servers, with a policy that forbids scripts', async () => {
  expect(fixture.emulator.endpoints.map(e => e.url)).not.toContain(docs.url);
  const response = await get('/');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
  const page = await response.text();
  expect(page).toContain('<h1>Books API <small>1.2.3</small></h1>');
  expect(page).toContain(`<li>HTTP API Http: <a href="${fixture.httpUrl}/">${fixture.httpUrl}/</a></li>`);
  expect(page).toContain(`<li>WebSocket API Ws: <code>${fixture.wsUrl}</code></li>`);
  expect(page).toContain(`<a href="/openapi.json">openapi.json</a> (${path.join(dir, 'openapi.json')})`);
});

test.each(['openapi.json', 'asyncapi.json'])('serves %s as it is on disk', async name => {
  const response = await get(`/${name}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await response.text()).toBe(fs.readFileSync(path.join(dir, name), 'utf-8'));
});

test('reads the documents on every request, so a rebuild shows without a restart', async () => {
  const changed = documentsDir({ openapi: openApiDocument('Books API v2') });
  const server = await startApiDocsServer({ host: '127.0.0.1', port: 0, documents: apiDocumentFiles(changed), endpoints: [] });
  try {
    const page = () => fetch(`${server.url}/`).then(r => r.text());
    expect(await page()).not.toContain('WebSocket API');
    fs.writeFileSync(path.join(changed, 'openapi.json'), JSON.stringify(openApiDocument('Books API v3')));
    fs.writeFileSync(path.join(changed, 'asyncapi.json'), JSON.stringify(asyncApiDocument()));
    const after = await page();
    expect(after).toContain('<h1>Books API v3');
    expect(after).toContain('<h2>WebSocket API: Books WebSocket API');
  } finally {
    await server.close();
  }
});

test('says what is wrong when a document is missing or not JSON', async () => {
  const broken = documentsDir({ openapi: openApiDocument() });
  const server = await startApiDocsServer({ host: '127.0.0.1', port: 0, documents: apiDocumentFiles(broken), endpoints: [] });
  try {
    const asyncapi = await fetch(`${server.url}/asyncapi.json`);
    expect([asyncapi.status, await asyncapi.text()]).toEqual([404, `Not Found: there is no ${path.join(broken, 'asyncapi.json')} (npx projen build writes it)`]);
    fs.writeFileSync(path.join(broken, 'openapi.json'), '{"openapi": ');
    const invalid = await fetch(`${server.url}/`);
    expect(invalid.status).toBe(500);
    expect(await invalid.text()).toMatch(new RegExp(`^${path.join(broken, 'openapi.json')} is not valid JSON \\(.+\\): npx projen build writes it again$`));
    fs.rmSync(path.join(broken, 'openapi.json'));
    expect((await fetch(`${server.url}/`)).status).toBe(404);
  } finally {
    await server.close();
  }
});

test('answers 404 for other paths and 405 for other methods', async () => {
  expect((await get('/books')).status).toBe(404);
  const post = await get('/', { method: 'POST', body: 'x' });
  expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
});

test('refuses with 403 a request whose Host is not a loopback name (DNS rebinding), and answers localhost', async () => {
  const port = new URL(docs.url).port;
  const refused = await rawGet('/openapi.json', `rebound.example:${port}`);
  expect(refused.status).toBe(403);
  expect(refused.body).toContain("not Host 'rebound.example:");
  expect((await rawGet('/', `localhost:${port}`)).status).toBe(200);
});

/** A GET with a Host header of our choosing (fetch sets its own). */
function rawGet(urlPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(`${docs.url}${urlPath}`, { headers: { host } }, res => {
      let body = '';
      res.on('data', chunk => body += chunk);
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}
