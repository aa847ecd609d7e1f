import * as Handlebars from 'handlebars';

/** A JSON object of a document. */
type Json = Record<string, unknown>;

/** What the docs page shows: the documents and where the emulator serves the APIs they describe. */
export interface ApiDocsPageInput {
  /** The OpenAPI document of the HTTP API. */
  readonly openapi: Json;
  /** The AsyncAPI document of the WebSocket API. @default - none: the page has no WebSocket section */
  readonly asyncapi?: Json;
  /** The local URLs of the HTTP API's stages, e.g. `HTTP API Http: http://127.0.0.1:3000/`. */
  readonly httpServers: readonly LocalServer[];
  /** The local URLs of the WebSocket API's stages. */
  readonly webSocketServers: readonly LocalServer[];
  /** The absolute paths of the documents, shown next to their links. */
  readonly files: { readonly openapi: string; readonly asyncapi?: string };
}

/** A local URL of a stage and what it serves. */
export interface LocalServer {
  readonly label: string;
  readonly url: string;
}

/** A piece of a schema's JSON text: plain text, or a `$ref` that links to the schema it names. */
interface Segment {
  readonly text: string;
  readonly link: string;
}

/**
 * The docs page, rendered with handlebars' default escaping: every value from a document is HTML-escaped (the
 * template has no triple-stash `{{{ }}}`), and the page loads nothing (no script, no external style).
 */
export function renderApiDocsPage(input: ApiDocsPageInput): string {
  page ??= pageTemplate();
  return page({
    ...info(input.openapi),
    files: [
      { name: 'openapi.json', file: input.files.openapi },
      ...(input.asyncapi && input.files.asyncapi ? [{ name: 'asyncapi.json', file: input.files.asyncapi }] : []),
    ],
    localServers: input.httpServers,
    documentServers: list(input.openapi.servers).map(server => ({ url: text(server.url), description: text(server.description) })),
    operations: operations(input.openapi),
    schemas: schemas(input.openapi, 'openapi'),
    webSocket: input.asyncapi ? webSocket(input.asyncapi, input.webSocketServers) : false,
  });
}

let page: HandlebarsTemplateDelegate | undefined;

/** The page template, in a handlebars environment of its own (its partial stays out of the global one). */
function pageTemplate(): HandlebarsTemplateDelegate {
  const handlebars = Handlebars.create();
  handlebars.registerPartial('schema', '{{#each this}}{{#if link}}<a href="{{link}}">{{text}}</a>{{else}}{{text}}{{/if}}{{/each}}');
  return handlebars.compile(TEMPLATE, { strict: true });
}

function info(document: Json): { title: string; version: string; description: string } {
  const { title, version, description } = object(document.info);
  return { title: text(title) || 'API', version: text(version), description: text(description) };
}

/** The methods of a path item (OpenAPI 3.1), in the order a path item lists them. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the OpenAPI document, path by path. */
function operations(document: Json) {
  return Object.entries(object(document.paths)).flatMap(([path, item]) => METHODS.filter(m => object(item)[m]).map(method => {
    const operation = object(object(item)[method]);
    const parameters = [...list(object(item).parameters), ...list(operation.parameters)].map(p => resolved(document, p));
    const body = resolved(document, operation.requestBody);
    return {
      anchor: `operation-${method}-${path}`,
      method: method.toUpperCase(),
      path,
      operationId: text(operation.operationId),
      summary: text(operation.summary),
      description: text(operation.description),
      tags: (Array.isArray(operation.tags) ? operation.tags : []).map(text).join(', '),
      parameters: parameters.map(p => ({
        name: text(p.name),
        in: text(p.in),
        required: p.required === true ? 'required' : 'optional',
        description: text(p.description),
        schema: schemaText(p.schema, 'openapi'),
      })),
      requestBody: operation.requestBody ? { required: body.required === true ? 'required' : 'optional', content: content(body.content) } : false,
      responses: Object.entries(object(operation.responses)).map(([status, response]) => {
        const { description, content: media } = resolved(document, response);
        return { status, description: text(description), content: content(media) };
      }),
      security: security(document, operation.security ?? document.security),
    };
  }));
}

/** The media types of a body or a response, with their schemas. */
function content(media: unknown) {
  return Object.entries(object(media)).map(([type, value]) => ({ type, schema: schemaText(object(value).schema, 'openapi') }));
}

/**
 * An operation's security requirements in words: any one requirement is enough, and each needs all of its schemes.
 * An empty list (or none) is a public operation.
 */
function security(document: Json, requirements: unknown): string[] {
  const schemes = object(object(document.components).securitySchemes);
  const words = list(requirements).map(requirement => Object.entries(requirement).map(([name, scopes]) => {
    const scopeList = Array.isArray(scopes) && scopes.length > 0 ? ` with scope ${scopes.map(text).join(', ')}` : '';
    return `${name}${scopeList} (${schemeText(object(schemes[name]))})`;
  }).join(' and '));
  return words.length > 0 ? words : ['none: the operation is public'];
}

/** A security scheme in a few words (OpenAPI and AsyncAPI types). */
function schemeText(scheme: Json): string {
  if (scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') {
    return 'AWS Signature Version 4 of an IAM principal';
  }
  switch (scheme.type) {
    case 'apiKey':
    case 'httpApiKey': return `key in the ${text(scheme.in)} ${text(scheme.name)}`;
    case 'http': return `HTTP ${text(scheme.scheme)}${scheme.bearerFormat ? ` ${text(scheme.bearerFormat)}` : ''}`;
    case 'openIdConnect': return `OpenID Connect, ${text(scheme.openIdConnectUrl)}`;
    default: return text(scheme.description) || `type ${text(scheme.type)}`;
  }
}

/** The named schemas of a document's components. */
function schemas(document: Json, prefix: string) {
  return Object.entries(object(object(document.components).schemas)).map(([name, schema]) => ({
    anchor: schemaAnchor(prefix, name), name, schema: schemaText(schema, prefix),
  }));
}

/** The WebSocket section: servers, what `$connect` needs, the operations with their messages, the schemas. */
function webSocket(document: Json, localServers: readonly LocalServer[]) {
  const servers = Object.values(object(document.servers)).map(object);
  const schemes = servers.flatMap(server => list(server.security).map(scheme => schemeText(resolved(document, scheme))));
  const messages = (refs: unknown) => list(refs).map(ref => {
    const message = resolved(document, ref);
    return {
      name: text(message.name),
      summary: text(message.summary),
      description: text(message.description),
      payload: schemaText(message.payload, 'asyncapi'),
    };
  });
  return {
    ...info(document),
    localServers,
    connect: schemes.length > 0 ? `any one of: ${[...new Set(schemes)].join('; ')}` : 'nothing: $connect is public',
    operations: Object.entries(object(document.operations)).map(([name, value]) => {
      const operation = object(value);
      return {
        name,
        direction: operation.action === 'receive' ? 'client to API' : 'API to client',
        summary: text(operation.summary),
        messages: messages(operation.messages),
        replies: messages(object(operation.reply).messages),
      };
    }),
    schemas: schemas(document, 'asyncapi'),
  };
}

/** The schema as indented JSON, each `$ref` to a named schema a link to it. */
function schemaText(schema: unknown, prefix: string): Segment[] {
  if (schema === undefined) {
    return [];
  }
  const json = JSON.stringify(schema, null, 2);
  const segments: Segment[] = [];
  let last = 0;
  for (const match of json.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
    segments.push({ text: json.slice(last, match.index), link: '' }, { text: match[0], link: `#${schemaAnchor(prefix, match[1])}` });
    last = match.index + match[0].length;
  }
  segments.push({ text: json.slice(last), link: '' });
  return segments;
}

function schemaAnchor(prefix: string, name: string): string {
  return `${prefix}-schema-${name}`;
}

/** The object a local `$ref` (`#/components/...`) points at, following chains of them; the value itself otherwise. */
function resolved(document: Json, value: unknown): Json {
  let current = object(value);
  for (let hops = 0; typeof current.$ref === 'string' && current.$ref.startsWith('#/') && hops < 10; hops++) {
    const target = current.$ref.slice(2).split('/').map(part => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => object(node)[key], document);
    current = object(target);
  }
  return current;
}

/** The value if it is a JSON object, else an empty one (a document being rewritten may be anything). */
function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Json : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(object) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

/** The page. No `{{{ }}}` anywhere: everything is escaped. */
const TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} {{version}}: API docs (local)</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 2rem; color: #1f2328; }
h1 small, h2 small { font-weight: normal; color: #59636e; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: 13px; margin: .3rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
th, td { border: 1px solid #d1d9e0; padding: .3rem .5rem; text-align: left; vertical-align: top; }
section.operation { border-top: 1px solid #d1d9e0; padding-top: .5rem; margin-top: 1.5rem; }
.method { display: inline-block; min-width: 4.5rem; font-family: monospace; font-weight: bold; }
.text { white-space: pre-wrap; }
nav li { font-family: monospace; }
</style>
</head>
<body>
<h1>{{title}} <small>{{version}}</small></h1>
{{#if description}}<p class="text">{{description}}</p>{{/if}}
<p>Documents: {{#each files}}<a href="/{{name}}">{{name}}</a> ({{file}}){{#unless @last}}, {{/unless}}{{/each}}. This page reads them again on every load.</p>
<h2>HTTP API</h2>
<h3>Local servers</h3>
<ul>{{#each localServers}}<li>{{label}}: <a href="{{url}}">{{url}}</a></li>{{/each}}</ul>
{{#if documentServers.length}}<h3>Servers in the document</h3>
<ul>{{#each documentServers}}<li>{{url}}{{#if description}}: {{description}}{{/if}}</li>{{/each}}</ul>{{/if}}
<h3>Operations</h3>
<nav><ul>{{#each operations}}<li><a href="#{{anchor}}">{{method}} {{path}}</a>{{#if summary}}: {{summary}}{{/if}}</li>{{/each}}</ul></nav>
{{#each operations}}
<section class="operation" id="{{anchor}}">
<h3><span class="method">{{method}}</span> <code>{{path}}</code></h3>
{{#if summary}}<p><strong>{{summary}}</strong></p>{{/if}}
{{#if description}}<p class="text">{{description}}</p>{{/if}}
<p>operationId <code>{{operationId}}</code>{{#if tags}}; tags: {{tags}}{{/if}}</p>
<p>Security: {{#each security}}{{#unless @first}} <em>or</em> {{/unless}}{{this}}{{/each}}</p>
{{#if parameters.length}}<h4>Parameters</h4>
<table><tr><th>Name</th><th>In</th><th></th><th>Description</th><th>Schema</th></tr>
{{#each parameters}}<tr><td><code>{{name}}</code></td><td>{{in}}</td><td>{{required}}</td><td>{{description}}</td><td><pre>{{> schema schema}}</pre></td></tr>{{/each}}
</table>{{/if}}
{{#if requestBody}}<h4>Request body ({{requestBody.required}})</h4>
{{#each requestBody.content}}<p><code>{{type}}</code></p><pre>{{> schema schema}}</pre>{{/each}}{{/if}}
<h4>Responses</h4>
<table><tr><th>Status</th><th>Description</th><th>Body</th></tr>
{{#each responses}}<tr><td>{{status}}</td><td>{{description}}</td><td>{{#each content}}<code>{{type}}</code><pre>{{> schema schema}}</pre>{{/each}}</td></tr>{{/each}}
</table>
</section>
{{/each}}
{{#if schemas.length}}<h3>Schemas</h3>
{{#each schemas}}<h4 id="{{anchor}}">{{name}}</h4><pre>{{> schema schema}}</pre>{{/each}}{{/if}}
{{#if webSocket}}{{#with webSocket}}
<h2>WebSocket API: {{title}} <small>{{version}}</small></h2>
{{#if description}}<p class="text">{{description}}</p>{{/if}}
<h3>Local servers</h3>
<ul>{{#each localServers}}<li>{{label}}: <code>{{url}}</code></li>{{/each}}</ul>
<p>$connect needs {{connect}}.</p>
<h3>Operations</h3>
{{#each operations}}
<section class="operation" id="asyncapi-operation-{{name}}">
<h3><code>{{name}}</code> <small>{{direction}}</small></h3>
{{#if summary}}<p>{{summary}}</p>{{/if}}
{{#each messages}}<h4>Message <code>{{name}}</code></h4>{{#if summary}}<p>{{summary}}</p>{{/if}}{{#if description}}<p class="text">{{description}}</p>{{/if}}<pre>{{> schema payload}}</pre>{{/each}}
{{#each replies}}<h4>Reply <code>{{name}}</code></h4><pre>{{> schema payload}}</pre>{{/each}}
</section>
{{/each}}
{{#if schemas.length}}<h3>Schemas</h3>
{{#each schemas}}<h4 id="{{anchor}}">{{name}}</h4><pre>{{> schema schema}}</pre>{{/each}}{{/if}}
{{/with}}{{/if}}
</body>
</html>
`;
