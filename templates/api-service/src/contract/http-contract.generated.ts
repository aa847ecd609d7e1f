/**
 * HTTP route contracts: what a route takes (path parameters, query, headers, JSON body) and answers (a schema per
 * status code), as zod schemas. `contract.handler(fn)` turns a typed handler into a Lambda handler for API Gateway's
 * payload format 2.0 that validates the request before `fn` runs and the response after.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { FieldError, fieldErrors, invalidFields, logBrokenContract, problem, Problem, PROBLEM_CONTENT_TYPE, strictResponses } from './problem.generated';

/** The response schemas of a route by status code; `null` for a response without a body (e.g. 204). */
export type ResponseSchemas = { readonly [status: number]: z.ZodType | null };

/** What a route takes and answers. Path parameters, query and headers arrive as strings: use `z.coerce.number()`. */
export interface HttpContractSpec {
  /** A one-line summary for the API documents. @default - none */
  readonly summary?: string;
  /** A longer description for the API documents (Markdown). @default - none */
  readonly description?: string;
  /** Tags that group operations in the API documents. @default - none */
  readonly tags?: readonly string[];
  /**
   * The operationId in the OpenAPI document.
   * @default - method and path in camel case, e.g. `getBooksById`
   */
  readonly operationId?: string;
  /** One schema per path parameter of the route, by name. @default - each parameter a string */
  readonly pathParameters?: z.ZodObject;
  /**
   * The query string parameters (repeated parameters arrive joined by commas, as API Gateway passes them).
   * @default - not validated, passed on as strings
   */
  readonly query?: z.ZodObject;
  /**
   * The headers the handler reads, by lower-case name (API Gateway passes header names in lower case).
   * @default - not validated, passed on as strings
   */
  readonly headers?: z.ZodObject;
  /** The JSON body. @default - the route takes no body: the handler gets `undefined` */
  readonly body?: z.ZodType;
  /** A schema per status code the handler returns. */
  readonly responses: ResponseSchemas;
}

/** The parameter names of a route key: `'GET /books/{id}'` gives `'id'`, `'ANY /{proxy+}'` gives `'proxy'`. */
export type RouteParameterName<K extends string> = K extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${infer Greedy}+` ? Greedy : P) | RouteParameterName<Rest>
  : never;

type Part<S, Name extends string, Default> = S extends { readonly [N in Name]: infer T extends z.ZodType } ? z.output<T> : Default;

/** The validated request a typed handler receives. */
export interface HttpRequest<K extends string, S extends HttpContractSpec, E extends APIGatewayProxyEventV2> {
  /** The path parameters, parsed by `pathParameters`, else as strings. */
  readonly pathParameters: Part<S, 'pathParameters', { readonly [P in RouteParameterName<K>]: string }>;
  /** The query parameters, parsed by `query`, else as API Gateway passed them. */
  readonly query: Part<S, 'query', Readonly<Record<string, string | undefined>>>;
  /** The headers, parsed by `headers`, else as API Gateway passed them. */
  readonly headers: Part<S, 'headers', Readonly<Record<string, string | undefined>>>;
  /** The JSON body, parsed by `body`; undefined when the contract has no body. */
  readonly body: Part<S, 'body', undefined>;
  /** The event as API Gateway sent it (request context, authorizer claims, cookies ...). */
  readonly event: E;
}

type StatusCode<Key> = Key extends number ? Key : Key extends `${infer N extends number}` ? N : never;

/** What a typed handler returns: one of the declared status codes, with a body of that status's schema. */
export type HttpResult<R extends ResponseSchemas> = {
  [Key in keyof R]: {
    readonly statusCode: StatusCode<Key>;
    readonly headers?: Readonly<Record<string, string>>;
    readonly cookies?: readonly string[];
  } & (R[Key] extends z.ZodType ? { readonly body: z.input<R[Key]> } : { readonly body?: undefined });
}[keyof R];

/** What any typed handler returns. */
interface AnyHttpResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  readonly body?: unknown;
}

/** A typed handler. */
export type TypedHttpHandler<K extends string, S extends HttpContractSpec, E extends APIGatewayProxyEventV2> =
  (request: HttpRequest<K, S, E>) => Promise<HttpResult<S['responses']>>;

/** A Lambda handler for API Gateway's payload format 2.0. */
export type LambdaHttpHandler<E extends APIGatewayProxyEventV2> = (event: E) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route's contract. */
export interface HttpContract<K extends string = string, S extends HttpContractSpec = HttpContractSpec> {
  /** The route key, e.g. `POST /books`: the route the contract must be wired to. */
  readonly route: K;
  readonly spec: S;
  /**
   * A Lambda handler that answers an invalid request with 400 and problem details listing every failing field,
   * calls `fn` with the validated request, and checks its result against the schema of the status it returns
   * (see `strictResponses`). Give the event type for authorizer claims, e.g. `APIGatewayProxyEventV2WithJWTAuthorizer`.
   */
  handler<E extends APIGatewayProxyEventV2 = APIGatewayProxyEventV2>(fn: TypedHttpHandler<K, S, E>): LambdaHttpHandler<E>;
}

/** The contract of a route: `httpContract('POST /books', { body, responses: { 201: bookSchema } })`. */
export function httpContract<const K extends string, const S extends HttpContractSpec>(route: K, spec: S): HttpContract<K, S> {
  return {
    route,
    spec,
    handler: (fn) => async (event) => {
      const errors: FieldError[] = [];
      const request = {
        pathParameters: parsed(spec.pathParameters, event.pathParameters ?? {}, 'path', errors),
        query: parsed(spec.query, event.queryStringParameters ?? {}, 'query', errors),
        headers: parsed(spec.headers, event.headers ?? {}, 'header', errors),
        body: spec.body && parsed(spec.body, jsonBody(event, errors), 'body', errors),
        event,
      };
      if (errors.length > 0) {
        return problemResult(problem(400, `The request does not match the contract of ${route}: ${invalidFields(errors)}.`, errors));
      }
      return response(route, spec.responses, await fn(request as HttpRequest<K, S, typeof event>));
    },
  };
}

/** What `jsonBody` returns for a body that is not JSON (its error is already listed). */
const INVALID_JSON = Symbol('invalid JSON');

/** The value parsed by `schema` (the raw value when there is none); a failure adds its fields to `errors`. */
function parsed(schema: z.ZodType | undefined, value: unknown, location: FieldError['in'], errors: FieldError[]): unknown {
  if (!schema || value === INVALID_JSON) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...fieldErrors(location, result.error.issues));
  return undefined;
}

/** The request body as JSON (undefined when empty); a body that is not JSON adds an error. */
function jsonBody(event: APIGatewayProxyEventV2, errors: FieldError[]): unknown {
  if (!event.body) return undefined;
  try {
    return JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body);
  } catch {
    errors.push({ in: 'body', pointer: '', detail: 'The body is not valid JSON.', code: 'invalid_json' });
    return INVALID_JSON;
  }
}

/**
 * The API Gateway result of a typed handler's result: the body as its schema's output (unknown properties of
 * objects dropped). A result that breaks the contract is logged, and then fails with 500 under `strictResponses()`
 * or goes out as the handler returned it.
 */
function response(route: string, responses: ResponseSchemas, result: AnyHttpResult): APIGatewayProxyStructuredResultV2 {
  const { statusCode, headers, cookies } = result;
  const schema = Object.hasOwn(responses, statusCode) ? responses[statusCode] : undefined;
  let body: unknown = result.body;
  let errors: FieldError[] = [];
  if (schema === undefined) {
    const declared = Object.keys(responses).join(', ');
    errors = [{ in: 'response', pointer: '', detail: `Status ${statusCode} is not one of the declared statuses (${declared}).`, code: 'undeclared_status' }];
  } else if (schema === null) {
    if (body !== undefined) errors = [{ in: 'response', pointer: '', detail: `Status ${statusCode} is declared without a body.`, code: 'unexpected_body' }];
  } else {
    const checked = schema.safeParse(body);
    if (checked.success) body = checked.data;
    else errors = fieldErrors('response', checked.error.issues);
  }
  if (errors.length > 0) {
    logBrokenContract(route, `The response (status ${statusCode})`, errors, statusCode);
    if (strictResponses()) {
      return problemResult(problem(500, `The response (status ${statusCode}) breaks the contract of ${route}: ${invalidFields(errors)}. `
        + 'This fails only where API_CONTRACT_RESPONSES=strict (the local emulator) or NODE_ENV=test; in production it is logged and sent.', errors));
    }
  }
  const hasContentType = headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  return {
    statusCode,
    headers: body === undefined || hasContentType ? { ...headers } : { 'content-type': 'application/json', ...headers },
    ...(cookies ? { cookies: [...cookies] } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

function problemResult(details: Problem): APIGatewayProxyStructuredResultV2 {
  return { statusCode: details.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: JSON.stringify(details) };
}
