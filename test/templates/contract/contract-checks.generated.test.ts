import { z } from 'zod';
import { DEMO_HTTP_ROUTES, sendMessage } from './fixtures/books-contracts';
import { checkHttpContract, checkWebSocketContract, httpRouteParts } from '../../../templates/api-service/src/contract/contract-checks.generated';
import { httpContract } from '../../../templates/api-service/src/contract/http-contract.generated';
import { webSocketContract } from '../../../templates/api-service/src/contract/websocket-contract.generated';

const ok = { 200: z.object({}) };

test.each([
  ['GET /books/{id}', { method: 'GET', path: '/books/{id}', parameters: [{ name: 'id', template: 'id' }] }],
  ['ANY /files/{proxy+}', { method: 'ANY', path: '/files/{proxy+}', parameters: [{ name: 'proxy', template: 'proxy+' }] }],
  ['GET /a/{x}/b/{y}', { method: 'GET', path: '/a/{x}/b/{y}', parameters: [{ name: 'x', template: 'x' }, { name: 'y', template: 'y' }] }],
  ['$default', undefined],
])('httpRouteParts(%s)', (key, parts) => {
  expect(httpRouteParts(key)).toEqual(parts);
});

test('the demo\'s contracts fit their routes', () => {
  for (const { key, contract } of DEMO_HTTP_ROUTES) {
    if (contract) expect(() => checkHttpContract(key, contract)).not.toThrow();
  }
  expect(() => checkWebSocketContract('sendmessage', sendMessage)).not.toThrow();
});

describe('checkHttpContract', () => {
  test('throws when the contract is wired to another route than its own', () => {
    const contract = httpContract('GET /books/{id}', { responses: ok });
    expect(() => checkHttpContract('GET /books/{bookId}', contract)).toThrow(
      'The contract of GET /books/{bookId}: it is the contract of "GET /books/{id}": give httpContract() the route it is wired to, "GET /books/{bookId}".');
  });

  test('throws when pathParameters has a parameter the route does not have', () => {
    const contract = httpContract('GET /books', { pathParameters: z.object({ id: z.string() }), responses: ok });
    expect(() => checkHttpContract('GET /books', contract)).toThrow(
      'The contract of GET /books: pathParameters has "id", which the route has no {id} for: remove it, or add {id} to the route.');
  });

  test('throws when pathParameters lacks a parameter of the route', () => {
    const contract = httpContract('GET /shelves/{shelf}/books/{id}', { pathParameters: z.object({ id: z.string() }), responses: ok });
    expect(() => checkHttpContract('GET /shelves/{shelf}/books/{id}', contract)).toThrow(
      'The contract of GET /shelves/{shelf}/books/{id}: pathParameters has no schema for the route\'s {shelf}: add one, e.g. shelf: z.string().');
  });

  test('a greedy parameter is named without its "+"', () => {
    const contract = httpContract('ANY /files/{proxy+}', { pathParameters: z.object({ proxy: z.string() }), responses: ok });
    expect(() => checkHttpContract('ANY /files/{proxy+}', contract)).not.toThrow();
  });

  test('throws when a status is declared twice (200 and "200.0": JavaScript already makes 200 and "200" one key)', () => {
    const contract = httpContract('GET /x', { responses: { 200: z.string(), ['200.0' as any]: z.number() } });
    expect(() => checkHttpContract('GET /x', contract)).toThrow('The contract of GET /x: responses declares status 200 twice, as "200" and "200.0": keep one.');
  });

  test('throws when a status is a range', () => {
    const contract = httpContract('GET /x', { responses: { ['2XX' as any]: z.string() } });
    expect(() => checkHttpContract('GET /x', contract)).toThrow(
      'The contract of GET /x: responses has "2XX", which is not a status code: give each status code (100-599) its own entry, e.g. 201.');
  });

  test.each([99, 600, 1000])('throws when the status %d is outside 100-599', (status) => {
    const contract = httpContract('GET /x', { responses: { [status]: z.string() } });
    expect(() => checkHttpContract('GET /x', contract)).toThrow(`The contract of GET /x: responses has the status ${status}, outside 100-599: use an HTTP status code.`);
  });

  test('throws when responses is empty', () => {
    expect(() => checkHttpContract('GET /x', httpContract('GET /x', { responses: {} }))).toThrow('The contract of GET /x: responses is empty');
  });

  test('throws when a header is named in upper case (API Gateway passes them in lower case)', () => {
    const contract = httpContract('GET /x', { headers: z.object({ 'X-Request-Id': z.string() }), responses: ok });
    expect(() => checkHttpContract('GET /x', contract)).toThrow(
      'The contract of GET /x: headers has "X-Request-Id", but API Gateway passes header names in lower case: write "x-request-id".');
  });

  test('throws when query is not an object schema', () => {
    const contract = httpContract('GET /x', { query: z.string() as any, responses: ok });
    expect(() => checkHttpContract('GET /x', contract)).toThrow('The contract of GET /x: query is not a z.object({ ... }) of one schema per name: write it as one.');
  });

  test('lists every problem at once', () => {
    const contract = httpContract('GET /a/{id}', { pathParameters: z.object({ ref: z.string() }), responses: { 700: z.string() } });
    expect(() => checkHttpContract('GET /b/{id}', contract)).toThrow([
      'The contract of GET /b/{id} has 4 problems:',
      '- it is the contract of "GET /a/{id}": give httpContract() the route it is wired to, "GET /b/{id}".',
      '- pathParameters has "ref", which the route has no {ref} for: remove it, or add {ref} to the route.',
      '- pathParameters has no schema for the route\'s {id}: add one, e.g. id: z.string().',
      '- responses has the status 700, outside 100-599: use an HTTP status code.',
    ].join('\n'));
  });
});

describe('checkWebSocketContract', () => {
  test('throws when the contract is wired to another route than its own', () => {
    expect(() => checkWebSocketContract('chat', sendMessage)).toThrow(
      'The contract of WebSocket route chat: it is the contract of "sendmessage": give webSocketContract() the route it is wired to, "chat".');
  });

  test.each(['$connect', '$disconnect'])('throws when %s has a message contract', (route) => {
    expect(() => checkWebSocketContract(route, webSocketContract(route, { message: z.object({}) }))).toThrow(
      `The contract of WebSocket route ${route}: ${route} receives no message: only $default and custom routes have message contracts.`);
  });
});
