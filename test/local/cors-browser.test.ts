// A real browser (Debian's chromium, driven by playwright-core) against the emulator's CORS handling: a page
// from an allowed origin gets the handler's answer, a page from any other origin gets a CORS failure.
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import { Browser, chromium } from 'playwright-core';
import { RunningFixture, startFixture, TEST_API_KEY } from './fixtures/start-fixture';

const CHROMIUM = '/usr/bin/chromium';

/** A one-page site on its own loopback port, i.e. its own origin. */
interface PageServer {
  readonly origin: string;
  readonly server: http.Server;
}

async function startPageServer(): Promise<PageServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>cors page</title><p>cors page</p>');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** What the page's fetch() and the browser's network log say about one cross-origin POST. */
interface Outcome {
  readonly fetch: { ok: true; status: number; body: string } | { ok: false; name: string; message: string };
  /** Headers of the preflight response the browser received (lower-cased), if it received one. */
  readonly preflight?: Record<string, string>;
  readonly preflightMethod?: string;
  /** The CORS error (or other network error) the browser reported for the POST, if any. */
  readonly corsError?: string;
  /** Whether the browser received a response to the POST itself. */
  readonly postAnswered: boolean;
}

let browser: Browser;
let fixture: RunningFixture;
let allowedPage: PageServer;
let refusedPage: PageServer;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser CORS test needs Debian's chromium. Install it with `
      + '`apt-get update && apt-get install -y chromium` (CI installs it in .ci/run).');
  }
  [allowedPage, refusedPage] = await Promise.all([startPageServer(), startPageServer()]);
  fixture = await startFixture({}, { extraCorsOrigins: [allowedPage.origin] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await fixture?.emulator.close();
  for (const page of [allowedPage, refusedPage]) {
    page?.server.close();
  }
});

/**
 * Opens the page of `origin` in a fresh browser context and runs, in the page, a fetch() POST with a JSON body and
 * an `x-api-key` header to the emulator (both make it a non-simple request, so the browser sends a preflight).
 */
async function postFromPage(origin: string): Promise<Outcome> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const methods = new Map<string, string>();
    let preflight: Record<string, string> | undefined;
    let preflightMethod: string | undefined;
    let postAnswered = false;
    cdp.on('Network.requestWillBeSent', e => methods.set(e.requestId, e.request.method));
    cdp.on('Network.responseReceived', e => {
      if (e.type === 'Preflight') {
        preflightMethod = methods.get(e.requestId);
        preflight = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      } else if (methods.get(e.requestId) === 'POST') {
        postAnswered = true;
      }
    });
    // The browser's last word on the POST (CDP events may arrive after fetch() has settled in the page).
    const postSettled = new Promise<string | undefined>(resolve => {
      cdp.on('Network.loadingFinished', e => methods.get(e.requestId) === 'POST' && resolve(undefined));
      cdp.on('Network.loadingFailed', e => methods.get(e.requestId) === 'POST' && resolve(e.corsErrorStatus?.corsError ?? e.errorText));
    });
    await cdp.send('Network.enable');
    await page.goto(`${origin}/`);
    const result = await page.evaluate(async ({ url, apiKey }) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify({ hello: 'from the browser' }),
        });
        return { ok: true as const, status: response.status, body: await response.text() };
      } catch (e: any) {
        return { ok: false as const, name: e.name, message: e.message };
      }
    }, { url: `${fixture.httpUrl}/files/browser.json`, apiKey: TEST_API_KEY });
    const corsError = await postSettled;
    return { fetch: result, preflight, preflightMethod, corsError, postAnswered };
  } finally {
    await context.close();
  }
}

test('a page from an allowed origin gets the handler\'s answer after a successful preflight', async () => {
  const outcome = await postFromPage(allowedPage.origin);

  expect(outcome.fetch).toMatchObject({ ok: true, status: 200 });
  const event = JSON.parse((outcome.fetch as { body: string }).body);
  expect(event).toMatchObject({
    routeKey: 'ANY /files/{proxy+}',
    body: '{"hello":"from the browser"}',
    headers: { 'origin': allowedPage.origin, 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/files/browser.json' } },
  });
  expect(outcome.preflightMethod).toBe('OPTIONS');
  expect(outcome.preflight).toMatchObject({
    'access-control-allow-origin': allowedPage.origin,
    'access-control-allow-methods': 'GET,POST',
    'access-control-allow-headers': 'content-type,x-api-key',
    'access-control-max-age': '3600',
  });
  expect(outcome.corsError).toBeUndefined();
  expect(outcome.postAnswered).toBe(true);
});

test('a page from another origin gets a CORS failure (TypeError) and the POST is never sent', async () => {
  const outcome = await postFromPage(refusedPage.origin);

  expect(outcome.fetch).toEqual({ ok: false, name: 'TypeError', message: 'Failed to fetch' });
  expect(outcome.preflightMethod).toBe('OPTIONS');
  expect(outcome.preflight).toBeDefined();
  expect(Object.keys(outcome.preflight!).filter(h => h.startsWith('access-control-'))).toEqual([]);
  expect(outcome.corsError).toBe('PreflightMissingAllowOriginHeader');
  expect(outcome.postAnswered).toBe(false);
});

test('the emulator answers the same preflights to Node with Access-Control-Allow-Origin only for the allowed origin', async () => {
  const preflight = (origin: string) => fetch(`${fixture.httpUrl}/files/browser.json`, {
    method: 'OPTIONS',
    headers: { 'origin': origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
  });
  const allowed = await preflight(allowedPage.origin);
  const refused = await preflight(refusedPage.origin);
  expect([allowed.status, refused.status]).toEqual([204, 204]);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedPage.origin);
  expect(refused.headers.get('access-control-allow-origin')).toBeNull();
});
