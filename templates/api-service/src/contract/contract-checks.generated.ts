/**
 * Checks of the contracts against the routes they are wired to, run when the API documents are built (so by the
 * build): each problem is an error naming the route and the field, and saying what to write instead.
 */
import type { z } from 'zod';
import type { HttpContractSpec } from './http-contract.generated';
import type { WebSocketContractSpec } from './websocket-contract.generated';

/** What the checks and the documents read of an HTTP contract. */
export interface HttpContractLike {
  readonly route: string;
  readonly spec: HttpContractSpec;
}

/** What the checks and the documents read of a WebSocket contract. */
export interface WebSocketContractLike {
  readonly route: string;
  readonly spec: WebSocketContractSpec;
}

/** A path parameter of a route key: `{id}` is `id`, the greedy `{proxy+}` is `proxy`. */
export interface PathParameter {
  readonly name: string;
  /** As written in the path template, e.g. `proxy+`. */
  readonly template: string;
}

/** The method and path of an HTTP route key (`GET /books/{id}`), and its path parameters. */
export interface HttpRouteParts {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly PathParameter[];
}

/** The parts of a route key as the project type validated it; undefined for `$default`. */
export function httpRouteParts(key: string): HttpRouteParts | undefined {
  if (key === '$default') return undefined;
  const [method, path] = key.split(' ');
  const parameters = [...path.matchAll(/\{([^{}]+)\}/g)].map(([, template]) => ({ name: template.replace(/\+$/, ''), template }));
  return { method, path, parameters };
}

/** Throws, listing every problem, when an HTTP contract does not fit the route it is wired to. */
export function checkHttpContract(route: string, contract: HttpContractLike): void {
  const problems = wiringProblems(route, contract.route, 'httpContract');
  const { pathParameters, query, headers, responses } = contract.spec;
  const parameters = httpRouteParts(route)?.parameters ?? [];
  for (const [part, schema] of Object.entries({ pathParameters, query, headers })) {
    if (schema !== undefined && !isObjectSchema(schema)) problems.push(`${part} is not a z.object({ ... }) of one schema per name: write it as one`);
  }
  if (isObjectSchema(pathParameters)) {
    const declared = Object.keys(pathParameters.shape);
    for (const name of declared.filter((n) => !parameters.some((p) => p.name === n))) {
      problems.push(`pathParameters has "${name}", which the route has no {${name}} for: remove it, or add {${name}} to the route`);
    }
    for (const { name } of parameters.filter((p) => !declared.includes(p.name))) {
      problems.push(`pathParameters has no schema for the route's {${name}}: add one, e.g. ${name}: z.string()`);
    }
  }
  // Payload format 2.0 passes header names in lower case
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
  if (isObjectSchema(headers)) {
    for (const name of Object.keys(headers.shape).filter((n) => n !== n.toLowerCase())) {
      problems.push(`headers has "${name}", but API Gateway passes header names in lower case: write "${name.toLowerCase()}"`);
    }
  }
  problems.push(...statusProblems(responses));
  throwIfAny(`The contract of ${route}`, problems);
}

/** Throws, listing every problem, when a WebSocket contract does not fit the route it is wired to. */
export function checkWebSocketContract(route: string, contract: WebSocketContractLike): void {
  const problems = wiringProblems(route, contract.route, 'webSocketContract');
  if (route === '$connect' || route === '$disconnect') {
    problems.push(`${route} receives no message: only $default and custom routes have message contracts`);
  }
  throwIfAny(`The contract of WebSocket route ${route}`, problems);
}

function wiringProblems(route: string, contractRoute: string, factory: string): string[] {
  return contractRoute === route ? [] : [`it is the contract of "${contractRoute}": give ${factory}() the route it is wired to, "${route}"`];
}

/**
 * Status codes as written in `responses`: each an integer from 100 to 599 written plainly (JavaScript makes
 * `200` and `'200'` one key; `'200.0'`, `' 200'` or `'2XX'` are refused rather than read as a second 200 or a range).
 */
function statusProblems(responses: HttpContractSpec['responses']): string[] {
  const keys = Object.keys(responses);
  if (keys.length === 0) return ['responses is empty: declare a schema for each status the handler returns, e.g. { 200: z.object({ ... }) }'];
  return keys.flatMap((key) => {
    const status = Number(key);
    if (/^\d+$/.test(key) && status >= 100 && status <= 599) return [];
    const twin = Number.isInteger(status) && keys.find((k) => k !== key && Number(k) === status);
    if (twin) return [`responses declares status ${status} twice, as "${twin}" and "${key}": keep one`];
    if (/^\d+$/.test(key)) return [`responses has the status ${key}, outside 100-599: use an HTTP status code`];
    return [`responses has "${key}", which is not a status code: give each status code (100-599) its own entry, e.g. 201`];
  });
}

function isObjectSchema(schema: z.ZodType | undefined): schema is z.ZodObject {
  return schema !== undefined && typeof (schema as Partial<z.ZodObject>).shape === 'object';
}

function throwIfAny(subject: string, problems: string[]): void {
  if (problems.length === 1) throw new Error(`${subject}: ${problems[0]}.`);
  if (problems.length > 1) throw new Error(`${subject} has ${problems.length} problems:\n${problems.map((p) => `- ${p}.`).join('\n')}`);
}
