/**
 * What a broken contract looks like to a caller and in the logs: problem details (RFC 9457) listing every failing
 * field, and the switch that decides whether a response that breaks its contract fails or is only logged.
 */
import { z } from 'zod';

/** Where a failing field is: a part of the request, a WebSocket message, or a response of the handler. */
export const FIELD_LOCATIONS = ['path', 'query', 'header', 'body', 'message', 'response'] as const;

/** A failing field: where it is, a JSON Pointer to it, and zod's reason. */
export const fieldErrorSchema = z.object({
  in: z.enum(FIELD_LOCATIONS).describe('The part of the request (or the message, or the response) the field is in.'),
  pointer: z.string().describe('A JSON Pointer (RFC 6901) to the field within that part: "/title", "/tags/0"; "" is the whole part.'),
  detail: z.string().describe('Why the field is invalid.'),
  code: z.string().describe('The zod issue code, e.g. "invalid_type", "too_small"; "invalid_json" when the part is not JSON.'),
}).meta({ id: 'FieldError' });

/** A failing field. */
export type FieldError = z.infer<typeof fieldErrorSchema>;

/**
 * Problem details (RFC 9457, `application/problem+json`) with the extension member `errors`, which lists every
 * failing field, in the shape of the RFC's own validation example (section 3).
 */
export const problemSchema = z.object({
  type: z.string().describe('"about:blank": the problem means what its HTTP status means (RFC 9457, section 4.2.1).'),
  title: z.string().describe('The reason phrase of the status, e.g. "Bad Request".'),
  status: z.int().min(100).max(599).describe('The HTTP status code.'),
  detail: z.string().describe('What is wrong, for a human.'),
  errors: z.array(fieldErrorSchema).describe('Every failing field.'),
}).meta({ id: 'Problem' });

/** Problem details with the failing fields. */
export type Problem = z.infer<typeof problemSchema>;

/** The media type of problem details (RFC 9457, section 3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = { 400: 'Bad Request', 500: 'Internal Server Error' };

/** Problem details for a status and its failing fields. */
export function problem(status: 400 | 500, detail: string, errors: FieldError[]): Problem {
  return { type: 'about:blank', title: TITLES[status], status, detail, errors };
}

/** "1 field is invalid" or "<n> fields are invalid", for a problem's detail. */
export function invalidFields(errors: readonly FieldError[]): string {
  return errors.length === 1 ? '1 field is invalid' : `${errors.length} fields are invalid`;
}

/** The failing fields of zod issues found in one location. */
export function fieldErrors(location: FieldError['in'], issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({ in: location, pointer: jsonPointer(issue.path), detail: issue.message, code: issue.code }));
}

/** A JSON Pointer (RFC 6901) for a zod issue path: "~" and "/" in a key are escaped as "~0" and "~1". */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((key) => '/' + String(key).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Whether a response (or a WebSocket reply) that breaks its contract fails instead of being sent:
 * `API_CONTRACT_RESPONSES=strict` (the local emulator sets it) or, when that variable is unset, `NODE_ENV=test`
 * (jest sets it). `API_CONTRACT_RESPONSES=log` only logs, and so does production, where the variable is unset:
 * a client keeps getting what it got before the contract was broken, and the log says what to fix.
 */
export function strictResponses(): boolean {
  const mode = process.env.API_CONTRACT_RESPONSES;
  return mode === 'strict' || (mode !== 'log' && process.env.NODE_ENV === 'test');
}

/**
 * Logs one JSON line for a response or a reply that breaks its contract: the route, the status, and the failing
 * fields with zod's reasons, never the values themselves (they may hold personal data).
 */
export function logBrokenContract(route: string, what: string, errors: FieldError[], statusCode?: number): void {
  console.error(JSON.stringify({ level: 'ERROR', message: `${what} breaks the contract of ${route}`, route, statusCode, errors }));
}
