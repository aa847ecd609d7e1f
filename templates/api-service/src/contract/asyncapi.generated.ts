/**
 * The AsyncAPI 3.0 document of a WebSocket API: one channel (the connection), an operation per route action with
 * its message schema (and reply), the error message an invalid message gets back, and how `$connect` is
 * authorized. Everything comes out in a fixed order, so a committed document changes only when the API does.
 */
import { checkWebSocketContract, WebSocketContractLike } from './contract-checks.generated';
import { JsonObject, SchemaComponents, sortedKeys } from './json-schema.generated';
import { problemSchema } from './problem.generated';
import { CheckedAuthorization, checkedAuthorization, RouteAuthorization } from './route-authorization.generated';

/** A declared route of the WebSocket API: a custom route (an `action`) or `$default`. */
export interface AsyncApiRoute {
  /** The route key, e.g. `sendmessage`. `$connect` and `$disconnect` carry no message and are left out. */
  readonly key: string;
  /** Its contract. @default - none: documented with the `action` that selects it only */
  readonly contract?: WebSocketContractLike;
}

/** What the AsyncAPI document is built from. */
export interface AsyncApiOptions {
  readonly title: string;
  readonly version: string;
  /** @default - none */
  readonly description?: string;
  readonly routes: readonly AsyncApiRoute[];
  /** How `$connect` is authorized: `api-key`, `jwt`, `iam` or `none` (WebSocket APIs authorize only there). */
  readonly connectAuthorization: string | RouteAuthorization;
  /**
   * The server: host and path of the stage.
   * @default - the execute-api host of the API, with `apiId`, `region` and `stage` as variables
   */
  readonly server?: { readonly host: string; readonly pathname?: string; readonly protocol?: 'ws' | 'wss' };
  /** @default 'prod' */
  readonly stage?: string;
  /** The message property the route selection expression reads (`$request.body.action`). @default 'action' */
  readonly selectionKey?: string;
  /** The query parameter that carries an API key on `$connect` (browsers cannot set headers). @default 'apiKey' */
  readonly apiKeyQueryParameter?: string;
  /** The query parameter that carries a JWT on `$connect`. @default 'token' */
  readonly tokenQueryParameter?: string;
}

const CHANNEL = 'connection';
const ERROR_MESSAGE = 'contractError';

/** The AsyncAPI 3.0 document of the routes. Throws when a contract does not fit its route (see `checkWebSocketContract`). */
export function buildAsyncApiDocument(options: AsyncApiOptions): JsonObject {
  const selectionKey = options.selectionKey ?? 'action';
  const schemas = new SchemaComponents('draft-07');
  const messages: Record<string, JsonObject> = {};
  const operations: Record<string, JsonObject> = {};
  const channel = { $ref: `#/channels/${CHANNEL}` };
  const messageRef = (name: string) => ({ $ref: `#/channels/${CHANNEL}/messages/${name}` });
  const messageRoutes = options.routes.filter((r) => r.contract !== undefined || !['$connect', '$disconnect'].includes(r.key));
  for (const route of [...messageRoutes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (route.contract) checkWebSocketContract(route.key, route.contract);
    const name = componentKey(route.key, messages);
    const spec = route.contract?.spec;
    const payload = spec ? schemas.add(spec.message, 'input', name, `the message of WebSocket route ${route.key}`) : {};
    messages[name] = {
      name: route.key,
      ...(spec?.summary ? { summary: spec.summary } : {}),
      ...(spec?.description ? { description: spec.description } : {}),
      payload: route.key === '$default' ? payload : withSelectionKey(payload, selectionKey, route.key),
    };
    const operation: JsonObject = {
      action: 'receive',
      channel,
      summary: spec?.summary ?? (route.key === '$default' ? 'A message no other route selects.' : `A message with ${selectionKey} "${route.key}".`),
      messages: [messageRef(name)],
    };
    if (spec?.reply) {
      const reply = componentKey(`${name}Reply`, messages);
      messages[reply] = { name: reply, payload: schemas.add(spec.reply, 'output', reply, `the reply of WebSocket route ${route.key}`) };
      operation.reply = { channel, messages: [messageRef(reply)] };
    }
    operations[name] = operation;
  }
  messages[ERROR_MESSAGE] = {
    name: ERROR_MESSAGE,
    summary: 'Problem details (RFC 9457) sent back for a message that does not match its route\'s contract, listing every failing field.',
    payload: schemas.add(problemSchema, 'output', 'Problem', 'the problem details'),
  };
  operations.sendContractError = { action: 'send', channel, summary: messages[ERROR_MESSAGE].summary, messages: [messageRef(ERROR_MESSAGE)] };
  const securitySchemes = connectSecurity(checkedAuthorization('$connect', options.connectAuthorization), options);
  return {
    asyncapi: '3.0.0',
    info: { title: options.title, version: options.version, ...(options.description ? { description: options.description } : {}) },
    defaultContentType: 'application/json',
    servers: { [options.server ? 'api' : 'aws']: server(options, Object.keys(securitySchemes)) },
    channels: { [CHANNEL]: { address: '/', messages: sortedKeys(Object.fromEntries(Object.keys(messages).map((m) => [m, { $ref: `#/components/messages/${m}` }]))) } },
    operations: sortedKeys(operations),
    components: {
      messages: sortedKeys(messages),
      schemas: sortedKeys(schemas.schemas),
      ...(Object.keys(securitySchemes).length > 0 ? { securitySchemes: sortedKeys(securitySchemes) } : {}),
    },
  };
}

function server(options: AsyncApiOptions, security: string[]): JsonObject {
  const securityRefs = { security: security.map((name) => ({ $ref: `#/components/securitySchemes/${name}` })) };
  if (options.server) {
    return { host: options.server.host, pathname: options.server.pathname ?? '/', protocol: options.server.protocol ?? 'wss', ...securityRefs };
  }
  return {
    host: '{apiId}.execute-api.{region}.amazonaws.com',
    pathname: '/{stage}',
    protocol: 'wss',
    variables: {
      apiId: { description: 'The id of the WebSocket API (the stack outputs its URL).' },
      region: { description: 'The AWS Region of the API.', default: 'us-east-1' },
      stage: { description: 'The stage.', default: options.stage ?? 'prod' },
    },
    ...securityRefs,
  };
}

/**
 * How a client authorizes `$connect`. Browsers cannot set headers on a WebSocket, so keys and tokens can travel
 * in the query string; any one of the schemes is enough.
 */
function connectSecurity({ kind }: CheckedAuthorization, options: AsyncApiOptions): Record<string, JsonObject> {
  switch (kind) {
    case 'api-key': return {
      apiKeyHeader: { type: 'httpApiKey', in: 'header', name: 'x-api-key', description: 'An API key of the service.' },
      apiKeyQuery: { type: 'httpApiKey', in: 'query', name: options.apiKeyQueryParameter ?? 'apiKey', description: 'An API key of the service, in the query string (from a browser).' },
    };
    case 'jwt': return {
      token: { type: 'httpApiKey', in: 'query', name: options.tokenQueryParameter ?? 'token', description: 'A JWT of the API\'s issuer, in the query string.' },
    };
    case 'iam': return {
      sigv4: { type: 'httpApiKey', in: 'header', name: 'Authorization', description: 'AWS Signature Version 4 of an IAM principal allowed to call execute-api:Invoke on $connect.' },
    };
    default: return {};
  }
}

/** The payload with the route selection property (`action: "<route>"`) that makes API Gateway select the route. */
function withSelectionKey(payload: JsonObject, key: string, route: string): JsonObject {
  const selection = { type: 'object', properties: { [key]: { const: route } }, required: [key] };
  if (payload.type === 'object' && payload.properties && typeof payload.properties === 'object') {
    const properties = payload.properties as Record<string, unknown>;
    if (key in properties) return payload;
    const required = (payload.required ?? []) as string[];
    return { ...payload, properties: { [key]: { const: route }, ...properties }, required: [key, ...required] };
  }
  return Object.keys(payload).length === 0 ? selection : { allOf: [payload, selection] };
}

/** A component key for a route key (AsyncAPI allows letters, digits, `.`, `-` and `_`), unique among `taken`. */
function componentKey(route: string, taken: Record<string, unknown>): string {
  const base = route.replace(/^\$/, '').replace(/[^\w.-]/g, '_');
  let key = base;
  for (let n = 2; key in taken || key === ERROR_MESSAGE; n++) key = `${base}${n}`;
  return key;
}
