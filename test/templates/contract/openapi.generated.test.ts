import { z } from 'zod';
import { DEMO_HTTP_ROUTES, postBooks } from './fixtures/books-contracts';
import { validateOpenApi } from './fixtures/validators';
import { httpContract } from '../../../templates/api-service/src/contract/http-contract.generated';
import { buildOpenApiDocument, OpenApiRoute } from '../../../templates/api-service/src/contract/openapi.generated';

const INFO = { title: 'Books', version: '1.0.0' };
const document = (routes: readonly OpenApiRoute[], extra: object = {}): any => buildOpenApiDocument({ ...INFO, routes, ...extra });

/** Every authorization kind, an ANY route with a greedy parameter, and $default. */
const ALL_KINDS: OpenApiRoute[] = [
  ...DEMO_HTTP_ROUTES,
  { key: 'DELETE /books/{id}', authorization: 'jwt:books/admin,books/owner' },
  { key: 'GET /me', authorization: { kind: 'jwt', scopes: [] } },
  { key: 'POST /internal/reindex', authorization: 'iam' },
  { key: 'ANY /files/{proxy+}', authorization: 'api-key' },
  { key: 'GET /files/{proxy+}', authorization: 'none' },
  { key: '$default', authorization: 'none' },
];

describe('the document', () => {
  test.each([
    ['the demo', DEMO_HTTP_ROUTES, {}],
    ['every authorization kind, ANY, a greedy parameter and $default, with a JWT issuer', ALL_KINDS, { jwtIssuer: 'https://example.auth0.com/' }],
    ['every authorization kind, without a JWT issuer', ALL_KINDS, { servers: [{ url: 'https://api.example.com' }] }],
  ])('of %s is valid OpenAPI 3.1', (_, routes, extra) => {
    expect(validateOpenApi(document(routes, extra))).toEqual({ valid: true });
  });

  test('the validator refuses a document the builder must never write (so the test above can fail)', () => {
    const broken = document(DEMO_HTTP_ROUTES);
    broken.paths['/books'].get.responses['200'] = { content: {} }; // a response without its required description
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  test('has every declared route, those without a contract with their path parameters and a generic response', () => {
    const doc = document(ALL_KINDS);
    expect(Object.keys(doc.paths)).toEqual(['/books', '/books/{id}', '/files/{proxy+}', '/health', '/internal/reindex', '/me']);
    expect(Object.keys(doc.paths['/books/{id}'])).toEqual(['get', 'delete']);
    expect(doc.paths['/books/{id}'].delete).toMatchObject({
      operationId: 'deleteBooksById',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { default: { description: 'The response of the handler (this route has no contract).' } },
    });
    expect(doc.paths['/health'].get.responses).toEqual({ default: { description: 'The response of the handler (this route has no contract).' } });
  });

  test('an ANY route gets every method not declared on its own, and a greedy parameter keeps its "+"', () => {
    const doc = document(ALL_KINDS);
    expect(Object.keys(doc.paths['/files/{proxy+}'])).toEqual(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);
    expect(doc.paths['/files/{proxy+}'].get.security).toEqual([]); // GET /files/{proxy+} is its own, public route
    expect(doc.paths['/files/{proxy+}'].put).toMatchObject({
      operationId: 'putFilesByProxy',
      parameters: [{ name: 'proxy+', in: 'path', required: true, description: expect.stringContaining('slashes included') }],
      security: [{ 'api-key': [] }],
    });
  });

  test('$default has no path: info says where other requests go, and a contract on it is refused', () => {
    expect(document(ALL_KINDS).info.description).toBe('Requests that match no path here go to the API\'s `$default` route.');
    const contract = httpContract('$default', { responses: { 200: z.string() } });
    expect(() => document([{ key: '$default', authorization: 'none', contract }])).toThrow(
      'The contract of $default cannot be documented: OpenAPI has no path for "any other request"; give the requests it serves routes of their own.');
  });
});

describe('operations from contracts', () => {
  const doc = document(DEMO_HTTP_ROUTES);

  test('the body is the input JSON Schema of the contract (2020-12), named schemas in components.schemas', () => {
    expect(doc.paths['/books'].post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewBookInput' } } } });
    expect(doc.components.schemas.NewBookInput).toEqual({
      type: 'object',
      properties: { title: { type: 'string', minLength: 1 }, author: { type: 'string', minLength: 1 } },
      required: ['title', 'author'],
    });
  });

  test('responses by status, with their output schemas and the reason phrase', () => {
    expect(doc.paths['/books'].post.responses['201']).toEqual({ description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Book' } } } });
    expect(doc.components.schemas.Book).toMatchObject({ required: ['id', 'title', 'author'], additionalProperties: false, description: 'A book of the catalogue.' });
    expect(doc.paths['/books/{id}'].get.responses['304']).toEqual({ description: 'Not Modified' });
  });

  test('query and header parameters, required as their schemas say; descriptions shown on the parameter', () => {
    expect(doc.paths['/books'].get.parameters).toEqual([
      { name: 'limit', in: 'query', required: false, description: 'How many books to return.', schema: expect.objectContaining({ type: 'integer', default: 20, maximum: 100 }) },
      { name: 'author', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/books/{id}'].get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } },
      { name: 'if-none-match', in: 'header', required: false, schema: { type: 'string' } },
    ]);
  });

  test('a route that validates its request documents 400 with the RFC 9457 problem schema', () => {
    expect(doc.paths['/books'].post.responses['400']).toEqual({ $ref: '#/components/responses/ValidationProblem' });
    expect(doc.components.responses.ValidationProblem.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'errors']);
    expect(doc.components.schemas.FieldError.properties.in.enum).toEqual(['path', 'query', 'header', 'body', 'message', 'response']);
  });

  test('a contract that reads nothing from the request documents no 400', () => {
    const contract = httpContract('GET /health', { responses: { 200: z.object({ ok: z.boolean() }) } });
    expect(document([{ key: 'GET /health', authorization: 'none', contract }]).paths['/health'].get.responses).toEqual({
      200: { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } } } },
    });
  });

  test('summary, description, tags and operationId come from the contract', () => {
    const contract = httpContract('GET /x', { summary: 'S', description: 'D', tags: ['t'], operationId: 'listX', responses: { 200: z.string() } });
    expect(document([{ key: 'GET /x', authorization: 'none', contract }]).paths['/x'].get).toMatchObject({ operationId: 'listX', summary: 'S', description: 'D', tags: ['t'] });
  });

  test('recursive schemas are named after their operation in components.schemas', () => {
    const node: z.ZodType<{ name: string; children: unknown[] }> = z.object({ name: z.string(), get children() { return z.array(node); } });
    const contract = httpContract('GET /tree', { responses: { 200: z.object({ root: node }) } });
    const tree = document([{ key: 'GET /tree', authorization: 'none', contract }]);
    expect(tree.paths['/tree'].get.responses['200'].content['application/json'].schema.properties.root).toEqual({ $ref: '#/components/schemas/getTree.200.schema0' });
    expect(tree.components.schemas['getTree.200.schema0'].properties.children.items).toEqual({ $ref: '#/components/schemas/getTree.200.schema0' });
    expect(validateOpenApi(tree)).toEqual({ valid: true });
  });
});

describe('security matching the route\'s real authorization', () => {
  const doc = document(ALL_KINDS, { jwtIssuer: 'https://example.auth0.com/' });

  test('api-key: the x-api-key header; API Gateway\'s 401 and 403 documented', () => {
    expect(doc.components.securitySchemes['api-key']).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key of the service.' });
    expect(doc.paths['/books'].post.security).toEqual([{ 'api-key': [] }]);
    expect(doc.paths['/books'].post.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(doc.paths['/books'].post.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
    expect(doc.components.responses.Unauthorized.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GatewayError' });
  });

  test('jwt with scopes: one requirement per scope, since API Gateway needs any one of them', () => {
    expect(doc.paths['/books/{id}'].delete.security).toEqual([{ jwt: ['books/admin'] }, { jwt: ['books/owner'] }]);
    expect(doc.paths['/me'].get.security).toEqual([{ jwt: [] }]);
  });

  test('jwt with a known issuer: its OpenID Connect discovery document', () => {
    expect(doc.components.securitySchemes.jwt).toMatchObject({ type: 'openIdConnect', openIdConnectUrl: 'https://example.auth0.com/.well-known/openid-configuration' });
  });

  test('jwt without an issuer (e.g. a user pool created by the stack): a bearer JWT', () => {
    expect(document(ALL_KINDS).components.securitySchemes.jwt).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  test('iam: SigV4 in the Authorization header, as AWS declares it (x-amazon-apigateway-authtype: awsSigv4); 403 only', () => {
    expect(doc.components.securitySchemes.iam).toMatchObject({ 'type': 'apiKey', 'in': 'header', 'name': 'Authorization', 'x-amazon-apigateway-authtype': 'awsSigv4' });
    expect(doc.paths['/internal/reindex'].post.security).toEqual([{ iam: [] }]);
    expect(Object.keys(doc.paths['/internal/reindex'].post.responses)).toEqual(['403', 'default']);
  });

  test('none: an empty requirement (public even under a document-wide one) and no refusals', () => {
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/health'].get.responses)).toEqual(['default']);
  });

  test('only the schemes in use are declared', () => {
    expect(Object.keys(document(DEMO_HTTP_ROUTES).components.securitySchemes)).toEqual(['api-key']);
  });
});

describe('deterministic output', () => {
  test('the order routes are declared in does not change the document', () => {
    const shuffled = [...ALL_KINDS].reverse();
    expect(JSON.stringify(document(shuffled))).toBe(JSON.stringify(document(ALL_KINDS)));
  });

  test('components and paths are sorted by name, operations in OpenAPI\'s method order, responses by status', () => {
    const doc = document(ALL_KINDS);
    const sorted = (keys: string[]) => [...keys].sort();
    for (const map of [doc.paths, doc.components.schemas, doc.components.responses, doc.components.securitySchemes]) {
      expect(Object.keys(map)).toEqual(sorted(Object.keys(map)));
    }
    expect(Object.keys(doc.paths['/books/{id}'].get.responses)).toEqual(['200', '304', '400', '401', '403', '404']);
  });

  test('operationIds are unique: clashing ones made of method and path get a number', () => {
    const doc = document([{ key: 'GET /a-b', authorization: 'none' }, { key: 'GET /a_b', authorization: 'none' }]);
    expect([doc.paths['/a-b'].get.operationId, doc.paths['/a_b'].get.operationId]).toEqual(['getAB', 'getAB2']);
  });
});

describe('bad input', () => {
  test('throws when a route is declared twice', () => {
    expect(() => document([DEMO_HTTP_ROUTES[0], DEMO_HTTP_ROUTES[0]])).toThrow('Route "GET /health" is declared twice: declare each route once.');
  });

  test('throws when a contract does not fit its route (the build fails, naming route and field)', () => {
    expect(() => document([{ key: 'POST /books/{id}', authorization: 'api-key', contract: postBooks }])).toThrow(
      'The contract of POST /books/{id}: it is the contract of "POST /books": give httpContract() the route it is wired to, "POST /books/{id}".');
    const extra = httpContract('GET /books', { pathParameters: z.object({ id: z.string() }), responses: { 200: z.string() } });
    expect(() => document([{ key: 'GET /books', authorization: 'none', contract: extra }])).toThrow('pathParameters has "id", which the route has no {id} for');
  });

  test('throws when an authorization is unknown, or has scopes without being jwt', () => {
    expect(() => document([{ key: 'GET /x', authorization: 'cognito' }])).toThrow(
      'Route "GET /x" has the authorization "cognito", which is not one of api-key, jwt, iam, none: use one of them, e.g. "jwt:books/read".');
    expect(() => document([{ key: 'GET /x', authorization: 'iam:admin' }])).toThrow(
      'Route "GET /x" has the authorization "iam" with scopes (admin): only jwt routes have scopes, e.g. "jwt:admin".');
  });

  test('throws when two contracts give the same operationId', () => {
    const a = httpContract('GET /a', { operationId: 'list', responses: { 200: z.string() } });
    const b = httpContract('GET /b', { operationId: 'list', responses: { 200: z.string() } });
    expect(() => document([{ key: 'GET /a', authorization: 'none', contract: a }, { key: 'GET /b', authorization: 'none', contract: b }])).toThrow(
      'The operationId "list" of GET /b is already used by another operation: give each contract its own.');
  });

  test('throws when a schema cannot be JSON Schema, naming the route and the part', () => {
    const contract = httpContract('POST /events', { body: z.object({ at: z.date() }), responses: { 204: null } });
    expect(() => document([{ key: 'POST /events', authorization: 'none', contract }])).toThrow(
      'the body of POST /events cannot be written as JSON Schema (Date cannot be represented in JSON Schema): use types JSON can carry, e.g. z.iso.datetime() instead of z.date().');
  });

  test('throws when two different schemas have the same id', () => {
    const other = httpContract('GET /other', { responses: { 200: z.object({ isbn: z.string() }).meta({ id: 'Book' }) } });
    expect(() => document([...DEMO_HTTP_ROUTES, { key: 'GET /other', authorization: 'none', contract: other }])).toThrow(
      'Two different schemas are named "Book" (.meta({ id })), one of them in the 200 response of GET /other: give each its own id.');
  });
});
