import { z } from 'zod';
import { getBookById, getBooks, postBooks } from './fixtures/books-contracts';
import { captureErrorLog, httpEvent } from './fixtures/events';
import { httpContract } from '../../../templates/api-service/src/contract/http-contract.generated';

const addBook = postBooks.handler(async ({ body }) => ({ statusCode: 201, body: { id: '7', ...body } }));

const logged = captureErrorLog();

/** The JSON body of a result. */
function json(result: { body?: string }): any {
  return JSON.parse(result.body!);
}

describe('a valid request', () => {
  test('reaches the handler parsed, and its response goes out as JSON of the response schema\'s output', async () => {
    const result = await addBook(httpEvent('POST /books', { body: { title: 'Dune', author: 'Frank Herbert', extra: 'dropped' } }));
    expect(result.statusCode).toBe(201);
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
    // z.object() drops unknown properties: the request's `extra` never reaches the handler, nor the client.
    expect(json(result)).toEqual({ id: '7', title: 'Dune', author: 'Frank Herbert' });
  });

  test('path parameters, query and headers are parsed (coerced, defaulted) before the handler sees them', async () => {
    const seen: unknown[] = [];
    const listBooks = getBooks.handler(async ({ query }) => {
      seen.push(query);
      return { statusCode: 200, body: { books: [] } };
    });
    await listBooks(httpEvent('GET /books', { query: { limit: '5' } }));
    await listBooks(httpEvent('GET /books'));
    expect(seen).toEqual([{ limit: 5 }, { limit: 20 }]);
  });

  test('a base64-encoded body is decoded', async () => {
    const event = { ...httpEvent('POST /books'), body: Buffer.from('{"title":"Dune","author":"Frank Herbert"}').toString('base64'), isBase64Encoded: true };
    expect((await addBook(event)).statusCode).toBe(201);
  });

  test('a status declared without a body answers without body or content type; the handler\'s headers are kept', async () => {
    const getBook = getBookById.handler(async () => ({ statusCode: 304, headers: { etag: '"1"' } }));
    const result = await getBook(httpEvent('GET /books/{id}', { pathParameters: { id: '1' } }));
    expect(result).toEqual({ statusCode: 304, headers: { etag: '"1"' } });
  });

  test('a content type set by the handler is kept', async () => {
    const contract = httpContract('GET /text', { responses: { 200: z.string() } });
    const result = await contract.handler(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/vnd.books+json' }, body: 'x' }))(httpEvent('GET /text'));
    expect(result.headers).toEqual({ 'Content-Type': 'application/vnd.books+json' });
  });
});

describe('an invalid request', () => {
  test('gets 400 application/problem+json (RFC 9457) listing every failing field with its location, pointer and reason', async () => {
    const handler = jest.fn();
    const result = await postBooks.handler(handler)(httpEvent('POST /books', { body: { title: '', author: 42 } }));
    expect(handler).not.toHaveBeenCalled();
    expect(result.statusCode).toBe(400);
    expect(result.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(json(result)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request does not match the contract of POST /books: 2 fields are invalid.',
      errors: [
        { in: 'body', pointer: '/title', code: 'too_small', detail: 'Too small: expected string to have >=1 characters' },
        { in: 'body', pointer: '/author', code: 'invalid_type', detail: 'Invalid input: expected string, received number' },
      ],
    });
  });

  test('fields failing in the path, the query and the headers are all listed at once', async () => {
    const contract = httpContract('GET /shelves/{shelf}/books', {
      pathParameters: z.object({ shelf: z.coerce.number().int() }),
      query: z.object({ limit: z.coerce.number().max(10) }),
      headers: z.object({ 'x-request-id': z.uuid() }),
      responses: { 200: z.object({}) },
    });
    const result = await contract.handler(async () => ({ statusCode: 200, body: {} }))(
      httpEvent('GET /shelves/{shelf}/books', { pathParameters: { shelf: 'top' }, query: { limit: '50' }, headers: { 'x-request-id': 'nope' } }));
    expect(result.statusCode).toBe(400);
    expect(json(result).errors.map((e: any) => [e.in, e.pointer, e.code])).toEqual([
      ['path', '/shelf', 'invalid_type'],
      ['query', '/limit', 'too_big'],
      ['header', '/x-request-id', 'invalid_format'],
    ]);
  });

  test('a body that is not JSON is one failing field of the body', async () => {
    const result = await addBook(httpEvent('POST /books', { body: '{"title": ' }));
    expect(result.statusCode).toBe(400);
    expect(json(result).errors).toEqual([{ in: 'body', pointer: '', code: 'invalid_json', detail: 'The body is not valid JSON.' }]);
  });

  test('a missing body fails a required body schema', async () => {
    const result = await addBook(httpEvent('POST /books'));
    expect(json(result).errors).toEqual([{ in: 'body', pointer: '', code: 'invalid_type', detail: 'Invalid input: expected object, received undefined' }]);
  });

  test('pointers escape "~" and "/" in keys (RFC 6901)', async () => {
    const contract = httpContract('POST /x', { body: z.object({ 'a/b~c': z.array(z.string()) }), responses: { 204: null } });
    const result = await contract.handler(async () => ({ statusCode: 204 }))(httpEvent('POST /x', { body: { 'a/b~c': ['ok', 1] } }));
    expect(json(result).errors[0].pointer).toBe('/a~1b~0c/1');
  });
});

describe('a response that breaks its contract', () => {
  const brokenBook = postBooks.handler(async ({ body }) => ({ statusCode: 201, body: { id: 7, secret: 's3cret', ...body } as any }));
  const request = () => httpEvent('POST /books', { body: { title: 'Dune', author: 'Frank Herbert' } });

  test('is logged as one JSON line naming the route, status and fields, without the body\'s values', async () => {
    await brokenBook(request());
    expect(logged()).toHaveBeenCalledTimes(1);
    const line = logged().mock.calls[0][0] as string;
    expect(JSON.parse(line)).toEqual({
      level: 'ERROR',
      message: 'The response (status 201) breaks the contract of POST /books',
      route: 'POST /books',
      statusCode: 201,
      errors: [{ in: 'response', pointer: '/id', code: 'invalid_type', detail: 'Invalid input: expected string, received number' }],
    });
    expect(line).not.toMatch(/Dune|Frank|s3cret/);
  });

  test('fails with 500 problem details under jest (NODE_ENV=test)', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const result = await brokenBook(request());
    expect(result.statusCode).toBe(500);
    expect(result.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(json(result)).toMatchObject({ type: 'about:blank', title: 'Internal Server Error', status: 500, errors: [{ in: 'response', pointer: '/id' }] });
    expect(json(result).detail).toMatch(/^The response \(status 201\) breaks the contract of POST \/books: 1 field is invalid\. .*API_CONTRACT_RESPONSES=strict/);
  });

  test('is still sent as the handler returned it with API_CONTRACT_RESPONSES=log (as in production)', async () => {
    process.env.API_CONTRACT_RESPONSES = 'log';
    const result = await brokenBook(request());
    expect(result.statusCode).toBe(201);
    expect(json(result)).toEqual({ id: 7, secret: 's3cret', title: 'Dune', author: 'Frank Herbert' });
    expect(logged()).toHaveBeenCalledTimes(1);
  });

  test('a status the contract does not declare fails too', async () => {
    const undeclared = postBooks.handler(async () => ({ statusCode: 200, body: {} } as any));
    const result = await undeclared(request());
    expect(result.statusCode).toBe(500);
    expect(json(result).errors).toEqual([{ in: 'response', pointer: '', code: 'undeclared_status', detail: 'Status 200 is not one of the declared statuses (201).' }]);
  });

  test('a body on a status declared without one fails too', async () => {
    const getBook = getBookById.handler(async () => ({ statusCode: 304, body: 'x' } as any));
    const result = await getBook(httpEvent('GET /books/{id}', { pathParameters: { id: '1' } }));
    expect(json(result).errors).toEqual([{ in: 'response', pointer: '', code: 'unexpected_body', detail: 'Status 304 is declared without a body.' }]);
  });
});
