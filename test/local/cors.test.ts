import { RunningFixture, startFixture } from './fixtures/start-fixture';
import { CorsModel } from '../../src/local/api-model';
import { allowedOrigin, corsResponseHeaders, preflightHeaders } from '../../src/local/cors';

const cors: CorsModel = {
  allowOrigins: ['https://app.example.com', 'https://*.example.org'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['content-type'],
  exposeHeaders: ['x-custom'],
  maxAge: 600,
  allowCredentials: false,
};

test('allowedOrigin matches exact origins, wildcards and *', () => {
  expect(allowedOrigin(cors, 'https://app.example.com')).toBe('https://app.example.com');
  expect(allowedOrigin(cors, 'https://a.example.org')).toBe('https://a.example.org');
  expect(allowedOrigin(cors, 'https://evil.example.net')).toBeUndefined();
  expect(allowedOrigin({ ...cors, allowOrigins: ['*'] }, 'https://x.test')).toBe('*');
  expect(allowedOrigin({ ...cors, allowOrigins: ['*'], allowCredentials: true }, 'https://x.test')).toBe('https://x.test');
});

test('preflightHeaders answer an allowed origin and nothing else', () => {
  expect(preflightHeaders(cors, { 'origin': 'https://app.example.com', 'access-control-request-method': 'POST' })).toEqual({
    'access-control-allow-origin': 'https://app.example.com',
    'access-control-allow-methods': 'GET,POST',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
  });
  expect(preflightHeaders(cors, { 'origin': 'https://evil.test', 'access-control-request-method': 'POST' })).toEqual({});
});

test('corsResponseHeaders drop the backend CORS headers and add the configured ones', () => {
  const backend = { 'access-control-allow-origin': '*', 'x-other': '1' };
  expect(corsResponseHeaders(cors, 'https://app.example.com', backend)).toEqual({
    'x-other': '1', 'access-control-allow-origin': 'https://app.example.com', 'access-control-expose-headers': 'x-custom', 'vary': 'Origin',
  });
  expect(corsResponseHeaders(cors, 'https://evil.test', backend)).toEqual({ 'x-other': '1' });
});

describe('against the emulator', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.emulator.close());

  test('answers a preflight from the API\'s CORS configuration without a route', async () => {
    const response = await fetch(`${fixture.httpUrl}/hello`, {
      method: 'OPTIONS', headers: { 'origin': 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-max-age')).toBe('3600');
  });

  test('adds CORS headers for an allowed origin and ignores the backend\'s', async () => {
    const allowed = await fetch(`${fixture.httpUrl}/hello`, { headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('x-custom');
    const refused = await fetch(`${fixture.httpUrl}/hello`, { headers: { origin: 'https://evil.test' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
