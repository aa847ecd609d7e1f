/**
 * The typed client of an HTTP API, as a generated repo (or a browser app) gets it: types from the OpenAPI document
 * (`openapi-typescript openapi.json -o src/client/api.d.ts`) and openapi-fetch's client. Wrong paths, parameters
 * and bodies do not compile; the client calls a local server that runs the contract handlers as API Gateway would.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import createClient from 'openapi-fetch';
import * as ts from 'typescript';
import { DEMO_HTTP_ROUTES, getBookById, getBooks, postBooks } from './fixtures/books-contracts';
import { diagnostics, expectedErrorLines, generatedCompilerOptions, generatedRepo, ROOT, unmarked } from './fixtures/generated-repo';
import { httpEvent, httpResponse, newRequestId, requestHeaders } from '../../../src/local/http-event';
import { selectHttpRoute } from '../../../src/local/http-router';
import { buildOpenApiDocument } from '../../../templates/api-service/src/contract/openapi.generated';

const VIRTUAL = path.join(ROOT, '.typed-client-test');
const API_TYPES = path.join(VIRTUAL, 'api.d.ts');
const CLIENT = path.join(VIRTUAL, 'client.ts');

/** Code of a client app. Each `@ts-expect-error` marks a line that must not compile. */
const CLIENT_CODE = `import createClient from 'openapi-fetch';
import type { paths } from './api';

const client = createClient<paths>({ baseUrl: 'https://api.example.com', headers: { 'x-api-key': 'key' } });

export async function calls(): Promise<string[]> {
  const created = await client.POST('/books', { body: { title: 'Dune', author: 'Frank Herbert' } });
  const id: string | undefined = created.data?.id;
  // The error is the 400 problem details, or API Gateway's 401/403 { message }: narrow it.
  const problem: string | undefined = created.error && 'errors' in created.error ? created.error.errors[0]?.pointer : created.error?.message;
  const listed = await client.GET('/books', { params: { query: { limit: 10, author: 'Frank Herbert' } } });
  const titles: string[] = listed.data?.books.map((book) => book.title) ?? [];
  await client.GET('/books/{id}', { params: { path: { id: '1' }, header: { 'if-none-match': '"1"' } } });
  // @ts-expect-error: no such path
  await client.GET('/book');
  // @ts-expect-error: GET /books/{id} needs its path parameter
  await client.GET('/books/{id}', {});
  // @ts-expect-error: limit is a number
  await client.GET('/books', { params: { query: { limit: 'ten' } } });
  // @ts-expect-error: the body needs an author
  await client.POST('/books', { body: { title: 'Dune' } });
  // @ts-expect-error: /health has no POST
  await client.POST('/health', { body: {} });
  return [id ?? '', problem ?? '', ...titles];
}
`;

let apiTypes: string;
beforeAll(() => {
  // The commands a generated repo runs: write openapi.json, then its CLI (an ESM module, which jest cannot load).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typed-client-'));
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(buildOpenApiDocument({ title: 'Books', version: '1.0.0', routes: DEMO_HTTP_ROUTES }), null, 2));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'openapi-typescript'), ['openapi.json', '-o', 'api.d.ts'], { cwd: dir, stdio: 'pipe' });
  apiTypes = fs.readFileSync(path.join(dir, 'api.d.ts'), 'utf-8');
}, 60_000);

/** A program of the generated types and the client code (given, or `CLIENT_CODE`), under the generated repo's tsconfig. */
const options = generatedCompilerOptions(generatedRepo());
function program(client = CLIENT_CODE): ts.Program {
  const files = new Map([[API_TYPES, apiTypes], [CLIENT, client]]);
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, directoryExists, getSourceFile } = host;
  host.fileExists = (p) => files.has(p) || fileExists(p);
  host.readFile = (p) => files.get(p) ?? readFile(p);
  host.directoryExists = (p) => p === VIRTUAL || directoryExists!(p);
  host.getSourceFile = (p, language, ...rest) => (files.has(p)
    ? ts.createSourceFile(p, files.get(p)!, language, true)
    : getSourceFile(p, language, ...rest));
  return ts.createProgram([CLIENT], options, host);
}

test('client code typed from the document compiles (every @ts-expect-error is used)', () => {
  expect(apiTypes).toContain('"/books/{id}"');
  expect(diagnostics(program(), [CLIENT, API_TYPES])).toEqual([]);
}, 120_000);

test('a wrong path, parameter or body fails to compile, on exactly the marked lines', () => {
  const failing = diagnostics(program(unmarked(CLIENT_CODE)), [CLIENT]).map((d) => Number(/:(\d+): /.exec(d)![1]));
  expect([...new Set(failing)]).toEqual(expectedErrorLines(CLIENT_CODE));
}, 120_000);

describe('the client calls a local server running the contract handlers', () => {
  const books = new Map<string, { id: string; title: string; author: string }>();
  const handlers: Record<string, (event: any) => Promise<unknown>> = {
    'POST /books': postBooks.handler(async ({ body }) => {
      const book = { id: String(books.size + 1), ...body };
      books.set(book.id, book);
      return { statusCode: 201, body: book };
    }),
    'GET /books': getBooks.handler(async ({ query }) => ({ statusCode: 200, body: { books: [...books.values()].slice(0, query.limit) } })),
    'GET /books/{id}': getBookById.handler(async ({ pathParameters }) => {
      const book = books.get(pathParameters.id);
      return book ? { statusCode: 200, body: book } : { statusCode: 404, body: { message: `No book ${pathParameters.id}.` } };
    }),
  };
  const routes = Object.keys(handlers).map((routeKey) => ({ routeKey, authorizationType: 'NONE', apiKeyRequired: false, returnsResponse: false, authorizationScopes: [] }));
  let server: http.Server;
  let client: ReturnType<typeof createClient<any>>;

  beforeAll(async () => {
    // Payload format 2.0 events and response mapping as the local emulator builds them.
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url!, 'http://localhost');
      const match = selectHttpRoute(routes, req.method!, url.pathname)!;
      const { headers, cookies } = requestHeaders(req.rawHeaders);
      const event = httpEvent(
        { method: req.method!, rawPath: url.pathname, rawQueryString: url.search.slice(1), headers, cookies, body: Buffer.concat(chunks), sourceIp: '127.0.0.1', protocol: 'HTTP/1.1' },
        { routeKey: match.route.routeKey, stage: '$default', apiId: 'local', requestId: newRequestId(), now: new Date(), path: url.pathname, pathParameters: match.pathParameters },
      );
      const response = httpResponse(await handlers[match.route.routeKey](event))!;
      res.writeHead(response.statusCode, response.headers).end(response.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = createClient<any>({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('a valid body: 201 with the book', async () => {
    const { data, response } = await client.POST('/books', { body: { title: 'Dune', author: 'Frank Herbert' } });
    expect(response.status).toBe(201);
    expect(data).toEqual({ id: '1', title: 'Dune', author: 'Frank Herbert' });
  });

  test('an invalid body: 400 problem details naming the field', async () => {
    const { error, response } = await client.POST('/books', { body: { title: 'Dune' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(error.errors).toEqual([{ in: 'body', pointer: '/author', code: 'invalid_type', detail: 'Invalid input: expected string, received undefined' }]);
  });

  test('query and path parameters travel as the document says', async () => {
    await client.POST('/books', { body: { title: 'Emma', author: 'Jane Austen' } });
    expect((await client.GET('/books', { params: { query: { limit: 1 } } })).data.books).toHaveLength(1);
    expect((await client.GET('/books/{id}', { params: { path: { id: '2' } } })).data).toMatchObject({ title: 'Emma' });
    expect((await client.GET('/books/{id}', { params: { path: { id: 'x' } } })).error.errors[0]).toMatchObject({ in: 'path', pointer: '/id', detail: 'A book id is a number.' });
  });
});
