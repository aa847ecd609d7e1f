import { asyncApiDocument, HOSTILE_SUMMARY, openApiDocument } from './fixtures/api-documents';
import { ApiDocsPageInput, renderApiDocsPage } from '../../src/local/api-docs-page';

const INPUT: ApiDocsPageInput = {
  openapi: openApiDocument() as Record<string, unknown>,
  asyncapi: asyncApiDocument() as Record<string, unknown>,
  httpServers: [{ label: 'HTTP API Http', url: 'http://127.0.0.1:3000/' }, { label: 'HTTP API Http', url: 'http://127.0.0.1:3000/dev/' }],
  webSocketServers: [{ label: 'WebSocket API Ws', url: 'ws://127.0.0.1:3001/dev' }],
  files: { openapi: '/repo/openapi.json', asyncapi: '/repo/asyncapi.json' },
};
const html = renderApiDocsPage(INPUT);

/** The HTML from the element with this id up to `end` (a schema ends with its `</pre>`). */
function section(id: string, end = '</section>'): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf(end, start));
}

/** Text content with the markup and the schema links' escaping undone, so JSON reads as JSON. */
function text(part: string): string {
  return part.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#x27;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('has the title and version, the documents, the local URL of each HTTP stage as servers, and the document\'s own servers', () => {
  expect(html).toContain('<h1>Books API <small>1.2.3</small></h1>');
  expect(text(html)).toContain('Documents: openapi.json (/repo/openapi.json), asyncapi.json (/repo/asyncapi.json)');
  expect(html).toContain('<li>HTTP API Http: <a href="http://127.0.0.1:3000/">http://127.0.0.1:3000/</a></li>');
  expect(html).toContain('<li>HTTP API Http: <a href="http://127.0.0.1:3000/dev/">http://127.0.0.1:3000/dev/</a></li>');
  expect(text(html)).toContain('Servers in the document\nhttps://api.example.com: production');
});

test('lists every operation of the document with method and path, in a table of contents that links to it', () => {
  const operations = [...html.matchAll(/<h3><span class="method">(\w+)<\/span> <code>([^<]+)<\/code><\/h3>/g)].map(m => `${m[1]} ${m[2]}`);
  expect(operations).toEqual(['GET /books', 'POST /books', 'GET /books/{id}', 'DELETE /books/{id}', 'GET /health', 'POST /internal/reindex']);
  expect(html).toContain('<li><a href="#operation-post-/books">POST /books</a>: Add a book</li>');
});

test('an operation has its summary, parameters, request body schema, responses and security requirement', () => {
  const getBooks = text(section('operation-get-/books'));
  expect(getBooks).toContain('List the books');
  expect(getBooks).toMatch(/limit\s*query\s*optional\s*How many books to return\.\s*\{\s*"default": 20,/);
  expect(getBooks).toContain('Security: api-key (key in the header x-api-key)');

  const postBooks = section('operation-post-/books');
  expect(text(postBooks)).toMatch(/Request body \(required\)\s*application\/json\s*\{\s*"\$ref": "#\/components\/schemas\/NewBookInput"/);
  expect(postBooks).toContain('<a href="#openapi-schema-NewBookInput">&quot;#/components/schemas/NewBookInput&quot;</a>');
  expect(text(postBooks)).toMatch(/201\s*Created\s*application\/json\s*\{\s*"\$ref": "#\/components\/schemas\/Book"/);
  expect(text(postBooks)).toMatch(/400\s*The request does not match the contract[^\n]*\s*application\/problem\+json/);
  expect(text(section('openapi-schema-NewBookInput', '</pre>'))).toMatch(/"title": \{\s*"type": "string",\s*"minLength": 1/);

  expect(text(section('operation-get-/books/{id}'))).toMatch(/id\s*path\s*required[\s\S]*if-none-match\s*header\s*optional[\s\S]*304\s*Not Modified/);
  expect(text(section('operation-delete-/books/{id}'))).toContain('Security: jwt with scope books/admin (OpenID Connect, ' +
    'https://issuer.example.com/.well-known/openid-configuration) or jwt with scope books/owner (OpenID Connect, https://issuer.example.com/.well-known/openid-configuration)');
  expect(text(section('operation-post-/internal/reindex'))).toContain('Security: iam (AWS Signature Version 4 of an IAM principal)');
  expect(text(section('operation-get-/health'))).toMatch(/Security: none: the operation is public[\s\S]*default\s*The response of the handler \(this route has no contract\)\./);
});

test('escapes everything from the document: a summary with <script> renders as text', () => {
  expect(text(section('operation-delete-/books/{id}'))).toContain(HOSTILE_SUMMARY);
  expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  const hostile = '"><script>alert(1)</script>';
  const page = renderApiDocsPage({
    ...INPUT,
    openapi: { openapi: '3.1.0', info: { title: hostile, version: hostile }, servers: [{ url: 'javascript:alert(1)' }], paths: { [`/x${hostile}`]: { get: { operationId: hostile, tags: [hostile], responses: {} } } } },
  });
  expect(page).not.toMatch(/<script|<img|href="javascript/i);
  expect(text(page)).toContain(`${hostile} ${hostile}`);
});

test('loads nothing: no script, stylesheet, image or frame', () => {
  expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b|\bsrc=/i);
});

test('shows the WebSocket API of asyncapi.json: local servers, what $connect needs, each action with its message and reply schemas', () => {
  expect(html).toContain('<h2>WebSocket API: Books WebSocket API <small>1.2.3</small></h2>');
  expect(html).toContain('<li>WebSocket API Ws: <code>ws://127.0.0.1:3001/dev</code></li>');
  expect(text(html)).toContain('$connect needs any one of: key in the header x-api-key; key in the query apiKey.');
  const sendMessage = text(section('asyncapi-operation-sendmessage'));
  expect(sendMessage).toMatch(/sendmessage client to API\s*Send a message to yourself\s*Message sendmessage/);
  expect(sendMessage).toMatch(/"action": \{\s*"const": "sendmessage"\s*\},\s*"text": \{\s*"type": "string",\s*"minLength": 1,\s*"maxLength": 1000/);
  expect(sendMessage).toMatch(/Reply sendmessageReply\s*\{[\s\S]*"echo": \{\s*"type": "string"/);
  expect(text(section('asyncapi-operation-sendContractError'))).toMatch(/sendContractError API to client[\s\S]*"\$ref": "#\/components\/schemas\/Problem"/);
  expect(section('asyncapi-operation-sendContractError')).toContain('<a href="#asyncapi-schema-Problem">');
  expect(html).toContain('<h4 id="asyncapi-schema-Problem">Problem</h4>');
});

test('has no WebSocket section without asyncapi.json', () => {
  const page = renderApiDocsPage({ ...INPUT, asyncapi: undefined, files: { openapi: '/repo/openapi.json' } });
  expect(page).not.toContain('WebSocket API');
  expect(page).not.toContain('asyncapi.json');
});

test('renders a document of unexpected shape (e.g. one being rewritten) without failing', () => {
  const page = renderApiDocsPage({ ...INPUT, openapi: { info: 'x', paths: { '/a': { get: 'nope', post: { parameters: 'no', responses: [] } } }, components: [] }, asyncapi: { operations: 1 } });
  expect(page).toContain('<h1>API <small></small></h1>');
  expect(page).toContain('<code>/a</code>');
});
