/**
 * The OpenAPI 3.1 document of an HTTP API, from its declared routes, their authorization and the contracts of the
 * routes that have one. Paths, operations, responses and components come out in a fixed order, so a committed
 * document changes only when the API does.
 */
import { STATUS_CODES } from 'http';
import { z } from 'zod';
import { checkHttpContract, HttpContractLike, httpRouteParts, HttpRouteParts } from './contract-checks.generated';
import { JsonObject, SchemaComponents, sortedKeys } from './json-schema.generated';
import { problemSchema, PROBLEM_CONTENT_TYPE } from './problem.generated';
import { CheckedAuthorization, checkedAuthorization, RouteAuthorization } from './route-authorization.generated';

/** A declared route of the HTTP API. */
export interface OpenApiRoute {
  /** The route key as declared, e.g. `GET /books/{id}`. */
  readonly key: string;
  /** How API Gateway authorizes it: `api-key`, `jwt`, `jwt:<scope>,...`, `iam`, `none`, or an `Authorization`. */
  readonly authorization: string | RouteAuthorization;
  /** Its contract. @default - none: documented with its path parameters and a generic response */
  readonly contract?: HttpContractLike;
}

/** What the OpenAPI document is built from. */
export interface OpenApiOptions {
  readonly title: string;
  readonly version: string;
  /** @default - none */
  readonly description?: string;
  /** @default - none: clients use the URL the document was served from */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  /** Every declared route, with or without a contract (`$default` has no path and is mentioned in `info`). */
  readonly routes: readonly OpenApiRoute[];
  /**
   * The issuer of the JWTs of `jwt` routes: they are then described by its OpenID Connect discovery document, the
   * one API Gateway reads the signing keys from.
   * @default - a bearer JWT scheme without an issuer
   */
  readonly jwtIssuer?: string;
}

/** The methods an `ANY` route answers, in the order OpenAPI lists them in a path item. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** API Gateway's own error body (`{"message":"Unauthorized"}`), e.g. when an authorizer refuses a request. */
const gatewayErrorSchema = z.object({ message: z.string() }).meta({ id: 'GatewayError', description: 'An error API Gateway answers itself.' });

/** The OpenAPI 3.1 document of the routes. Throws when a contract does not fit its route (see `checkHttpContract`). */
export function buildOpenApiDocument(options: OpenApiOptions): JsonObject {
  const keys = options.routes.map((r) => r.key);
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) throw new Error(`Route "${twice}" is declared twice: declare each route once.`);
  const document = new DocumentParts(options.jwtIssuer);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of [...options.routes].sort((a, b) => compareRoutes(a.key, b.key))) {
    if (route.contract) checkHttpContract(route.key, route.contract);
    const parts = httpRouteParts(route.key);
    if (!parts) {
      if (route.contract) throw new Error('The contract of $default cannot be documented: OpenAPI has no path for "any other request"; give the requests it serves routes of their own.');
      continue;
    }
    const operation = document.operation(route, parts);
    const methods = parts.method === 'ANY' ? METHODS.filter((m) => !keys.includes(`${m.toUpperCase()} ${parts.path}`)) : [parts.method.toLowerCase()];
    const item = paths[parts.path] ??= {};
    for (const method of methods) {
      item[method] = { operationId: document.operationId(route, parts, method), ...operation };
    }
  }
  const description = [options.description, keys.includes('$default') ? 'Requests that match no path here go to the API\'s `$default` route.' : undefined]
    .filter((text) => text !== undefined).join('\n\n');
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, ...(description ? { description } : {}) },
    ...(options.servers ? { servers: options.servers.map((server) => ({ ...server })) } : {}),
    paths: sortedKeys(Object.fromEntries(Object.entries(paths).map(([path, item]) => [path, inMethodOrder(item)]))),
    components: document.components(),
  };
}

/** The components of a document being built, and the operations that use them. */
class DocumentParts {
  private readonly schemas = new SchemaComponents('draft-2020-12');
  private readonly responses: Record<string, JsonObject> = {};
  private readonly securitySchemes: Record<string, JsonObject> = {};
  private readonly operationIds = new Set<string>();

  constructor(private readonly jwtIssuer: string | undefined) {}

  /** The operation of a route, without its operationId. */
  operation(route: OpenApiRoute, parts: HttpRouteParts): JsonObject {
    const spec = route.contract?.spec;
    const name = operationName(route, parts);
    const parameters = [
      ...this.pathParameters(parts, spec?.pathParameters, name, route.key),
      ...this.parameters('query', spec?.query, name, route.key),
      ...this.parameters('header', spec?.headers, name, route.key),
    ];
    const authorization = checkedAuthorization(route.key, route.authorization);
    return {
      ...(spec?.summary ? { summary: spec.summary } : {}),
      ...(spec?.description ? { description: spec.description } : {}),
      ...(spec?.tags?.length ? { tags: [...spec.tags] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec?.body ? { requestBody: this.requestBody(spec.body, name, route.key) } : {}),
      responses: { ...this.contractResponses(spec, name, route.key), ...this.refusals(authorization) },
      security: this.security(authorization),
    };
  }

  /** A unique operationId: the contract's (plus the method for an `ANY` route), else one made of method and path. */
  operationId(route: OpenApiRoute, parts: HttpRouteParts, method: string): string {
    const given = route.contract?.spec.operationId;
    const base = given !== undefined
      ? given + (parts.method === 'ANY' ? capitalized(method) : '')
      : operationName({ key: `${method} ${parts.path}`, authorization: 'none' }, parts);
    let id = base;
    for (let n = 2; this.operationIds.has(id); n++) {
      if (given !== undefined) throw new Error(`The operationId "${base}" of ${route.key} is already used by another operation: give each contract its own.`);
      id = `${base}${n}`;
    }
    this.operationIds.add(id);
    return id;
  }

  /** The components used by the operations, each map sorted by name. */
  components(): JsonObject {
    const parts = { schemas: this.schemas.schemas, responses: this.responses, securitySchemes: this.securitySchemes };
    return Object.fromEntries(Object.entries(parts).filter(([, map]) => Object.keys(map).length > 0).map(([key, map]) => [key, sortedKeys(map)]));
  }

  /** Every path parameter of the route (required), with its contract's schema where there is one. */
  private pathParameters(parts: HttpRouteParts, schema: z.ZodObject | undefined, name: string, route: string): JsonObject[] {
    const properties = schema ? this.objectSchema(schema, `${name}.path`, `the path parameters of ${route}`).properties : {};
    return parts.parameters.map(({ name: parameter, template }) => ({
      name: template,
      in: 'path',
      required: true,
      ...(template.endsWith('+') ? { description: 'The rest of the path, slashes included (a greedy path variable).' } : {}),
      ...described(properties[parameter] ?? { type: 'string' }),
    }));
  }

  /** Query or header parameters: one per property of the contract's object schema. */
  private parameters(location: 'query' | 'header', schema: z.ZodObject | undefined, name: string, route: string): JsonObject[] {
    if (!schema) return [];
    const { properties, required } = this.objectSchema(schema, `${name}.${location}`, `the ${location} parameters of ${route}`);
    return Object.entries(properties).map(([parameter, property]) => ({
      name: parameter,
      in: location,
      required: required.includes(parameter),
      ...described(property),
    }));
  }

  private objectSchema(schema: z.ZodObject, name: string, where: string): { properties: Record<string, JsonObject>; required: string[] } {
    const json = this.schemas.add(schema, 'input', name, where);
    return { properties: (json.properties ?? {}) as Record<string, JsonObject>, required: (json.required ?? []) as string[] };
  }

  private requestBody(schema: z.ZodType, name: string, route: string): JsonObject {
    return {
      required: !schema.safeParse(undefined).success,
      content: { 'application/json': { schema: this.schemas.add(schema, 'input', `${name}.body`, `the body of ${route}`) } },
    };
  }

  /** The declared responses (a route without a contract gets a generic one), and 400 for a route that validates. */
  private contractResponses(spec: HttpContractLike['spec'] | undefined, name: string, route: string): JsonObject {
    if (!spec) return { default: { description: 'The response of the handler (this route has no contract).' } };
    const responses: JsonObject = {};
    for (const [status, schema] of Object.entries(spec.responses).sort(([a], [b]) => Number(a) - Number(b))) {
      const description = STATUS_CODES[status] ?? `Status ${status}`;
      responses[status] = schema
        ? { description, content: { 'application/json': { schema: this.schemas.add(schema, 'output', `${name}.${status}`, `the ${status} response of ${route}`) } } }
        : { description };
    }
    if (spec.pathParameters || spec.query || spec.headers || spec.body) {
      responses['400'] ??= this.sharedResponse('ValidationProblem', {
        description: 'The request does not match the contract: problem details (RFC 9457) listing every failing field.',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: this.schemas.add(problemSchema, 'output', 'Problem', 'the problem details') } },
      });
    }
    return responses;
  }

  /** API Gateway's refusals of requests without valid credentials: 401 and 403, or 403 for IAM. */
  private refusals({ kind }: CheckedAuthorization): JsonObject {
    if (kind === 'none') return {};
    const gatewayError = { 'application/json': { schema: this.schemas.add(gatewayErrorSchema, 'output', 'GatewayError', 'the gateway error') } };
    const forbidden = this.sharedResponse('Forbidden', { description: 'API Gateway refused the request: the credentials do not allow it.', content: gatewayError });
    if (kind === 'iam') return { 403: forbidden };
    return { 401: this.sharedResponse('Unauthorized', { description: 'API Gateway refused the request: no credentials, or invalid ones.', content: gatewayError }), 403: forbidden };
  }

  private sharedResponse(name: string, response: JsonObject): JsonObject {
    this.responses[name] = response;
    return { $ref: `#/components/responses/${name}` };
  }

  /**
   * The security requirements of an operation. JWT scopes: API Gateway accepts a token with at least one of the
   * route's scopes, so each scope is a requirement of its own (OpenAPI requires all scopes of one requirement,
   * and any one of the requirements).
   */
  private security({ kind, scopes }: CheckedAuthorization): JsonObject[] {
    if (kind === 'none') return [];
    this.securitySchemes[kind] = SECURITY_SCHEMES[kind](this.jwtIssuer);
    return scopes.length > 0 ? scopes.map((scope) => ({ [kind]: [scope] })) : [{ [kind]: [] }];
  }
}

/**
 * The security schemes, by authorization kind.
 * - api-key: the `x-api-key` header, which projen-api-service's API-key authorizer reads.
 * - jwt: API Gateway takes the token from the `Authorization` header, with or without `Bearer `
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html), and reads the
 *   issuer's signing keys through its OpenID Connect discovery document
 *   (https://docs.aws.amazon.com/apigateway/latest/api/API_JwtIssuer.html): with a known issuer, that document
 *   is the scheme (`openIdConnect`), else a bearer JWT.
 * - iam: SigV4 in the `Authorization` header, declared as AWS declares it in OpenAPI: an `apiKey` scheme with
 *   `x-amazon-apigateway-authtype: awsSigv4` (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html).
 */
const SECURITY_SCHEMES: Record<Exclude<CheckedAuthorization['kind'], 'none'>, (issuer: string | undefined) => JsonObject> = {
  'api-key': () => ({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key of the service.' }),
  'jwt': (issuer) => (issuer
    ? { type: 'openIdConnect', openIdConnectUrl: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, description: `A JWT of ${issuer}, in the Authorization header.` }
    : { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT of the API\'s issuer, in the Authorization header.' }),
  'iam': () => ({
    'type': 'apiKey',
    'in': 'header',
    'name': 'Authorization',
    'description': 'AWS Signature Version 4 of an IAM principal allowed to call execute-api:Invoke on the route.',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  }),
};

/** A parameter's `schema`, and its description also on the parameter, where documentation tools show it. */
function described(schema: JsonObject): JsonObject {
  return typeof schema.description === 'string' ? { description: schema.description, schema } : { schema };
}

/** The contract's operationId, else method and path in camel case: `GET /books/{id}` is `getBooksById`. */
function operationName(route: OpenApiRoute, parts: HttpRouteParts): string {
  const given = route.contract?.spec.operationId;
  if (given !== undefined) return given;
  const [method, path] = route.key.split(' ');
  const words = path.split('/').filter(Boolean).map((segment) => {
    const parameter = /^\{([^{}]+?)\+?\}$/.exec(segment);
    return parameter ? `By${capitalized(camel(parameter[1]))}` : capitalized(camel(segment));
  });
  return method.toLowerCase() + (words.join('') || (parts.path === '/' ? 'Root' : ''));
}

function camel(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).filter(Boolean).map((word, i) => (i === 0 ? word : capitalized(word))).join('');
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A path item with its operations in OpenAPI's method order. */
function inMethodOrder(item: Record<string, JsonObject>): Record<string, JsonObject> {
  return Object.fromEntries(METHODS.filter((method) => item[method]).map((method) => [method, item[method]]));
}

/** By path, then by method in OpenAPI's order, `ANY` last. */
function compareRoutes(a: string, b: string): number {
  const [methodA, pathA = ''] = a.split(' ');
  const [methodB, pathB = ''] = b.split(' ');
  const rank = (method: string) => (method === 'ANY' ? METHODS.length : METHODS.indexOf(method.toLowerCase()));
  return pathA < pathB ? -1 : pathA > pathB ? 1 : rank(methodA) - rank(methodB);
}
