/**
 * WebSocket route contracts: the message a route takes and, optionally, the reply it sends back, as zod schemas.
 * `contract.handler(fn, { send })` turns a typed handler into a Lambda handler that validates each message; an
 * invalid one gets problem details back on the caller's connection (never a silent drop).
 */
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { FieldError, fieldErrors, invalidFields, logBrokenContract, problem, strictResponses } from './problem.generated';

/** What a WebSocket route takes and sends back. */
export interface WebSocketContractSpec {
  /** A one-line summary for the API documents. @default - none */
  readonly summary?: string;
  /** A longer description for the API documents (Markdown). @default - none */
  readonly description?: string;
  /**
   * The JSON message. The route selection key (`action`) need not be in it: the documents add it, and `z.object`
   * drops it (declare it to read it; a `z.strictObject` must declare it).
   */
  readonly message: z.ZodType;
  /** What the handler sends back with `reply`. @default - no reply: `reply` throws */
  readonly reply?: z.ZodType;
}

/**
 * Posts data to the connection an event came from, e.g. through the `@connections` API of the event's stage:
 * `(event, data) => connectionsClient(event).send(new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: data }))`.
 */
export type SendToCaller = (event: APIGatewayProxyWebsocketEventV2, data: string) => Promise<unknown>;

/** How a WebSocket handler reaches its caller. */
export interface WebSocketHandlerOptions {
  /**
   * Sends replies and error messages to the caller. Leave it out for a route whose integration response goes back
   * to the caller (`returnResponse`): the error then travels as the route's response.
   * @default - errors only in the Lambda result; `reply` throws
   */
  readonly send?: SendToCaller;
}

/** The validated message a typed handler receives. */
export interface WebSocketRequest<S extends WebSocketContractSpec> {
  /** The message, parsed by the contract's `message` schema. */
  readonly message: z.output<S['message']>;
  /** Sends a reply to the caller, checked against the contract's `reply` schema (see `strictResponses`). */
  readonly reply: (data: S extends { readonly reply: infer R extends z.ZodType } ? z.input<R> : never) => Promise<void>;
  /** The event as API Gateway sent it. */
  readonly event: APIGatewayProxyWebsocketEventV2;
}

/** A typed WebSocket handler; its result (if any) is the Lambda result, `{ statusCode: 200 }` when it returns nothing. */
export type TypedWebSocketHandler<S extends WebSocketContractSpec> =
  (request: WebSocketRequest<S>) => Promise<APIGatewayProxyResultV2 | void>;

/** A Lambda handler for a WebSocket route. */
export type LambdaWebSocketHandler = (event: APIGatewayProxyWebsocketEventV2) => Promise<APIGatewayProxyResultV2>;

/** A WebSocket route's contract. */
export interface WebSocketContract<K extends string = string, S extends WebSocketContractSpec = WebSocketContractSpec> {
  /** The route key (the value of `action` that selects it), e.g. `sendmessage`. */
  readonly route: K;
  readonly spec: S;
  /**
   * A Lambda handler that answers an invalid message with problem details (status 400, every failing field) sent
   * to the caller with `options.send`, and otherwise calls `fn` with the parsed message.
   */
  handler(fn: TypedWebSocketHandler<S>, options?: WebSocketHandlerOptions): LambdaWebSocketHandler;
}

/** The contract of a WebSocket route: `webSocketContract('sendmessage', { message: z.object({ text: z.string() }) })`. */
export function webSocketContract<const K extends string, const S extends WebSocketContractSpec>(route: K, spec: S): WebSocketContract<K, S> {
  return {
    route,
    spec,
    handler: (fn, options = {}) => async (event) => {
      const { send } = options;
      const errors: FieldError[] = [];
      const message = parsedMessage(spec.message, event.body, errors);
      if (errors.length > 0) {
        const details = JSON.stringify(problem(400, `The message does not match the contract of route ${route}: ${invalidFields(errors)}.`, errors));
        await send?.(event, details).catch((e: unknown) => console.error(JSON.stringify({ level: 'ERROR', message: 'Could not send the error to the caller', route, error: String(e) })));
        return { statusCode: 400, body: details };
      }
      const reply = async (data: unknown): Promise<void> => {
        if (!send) throw new Error(`reply() on route ${route} needs a send function: contract.handler(fn, { send }).`);
        await send(event, JSON.stringify(checkedReply(route, spec.reply, data)));
      };
      return (await fn({ message, reply, event } as WebSocketRequest<S>)) ?? { statusCode: 200 };
    },
  };
}

function parsedMessage(schema: z.ZodType, body: string | undefined, errors: FieldError[]): unknown {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    errors.push({ in: 'message', pointer: '', detail: 'The message is not valid JSON.', code: 'invalid_json' });
    return undefined;
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  errors.push(...fieldErrors('message', result.error.issues));
  return undefined;
}

/** The reply as its schema's output; one that breaks the contract is logged, and throws under `strictResponses()`. */
function checkedReply(route: string, schema: z.ZodType | undefined, data: unknown): unknown {
  if (!schema) throw new Error(`reply() on route ${route} needs a reply schema in the contract.`);
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = fieldErrors('response', result.error.issues);
  logBrokenContract(route, 'The reply', errors);
  if (strictResponses()) {
    throw new Error(`The reply breaks the contract of route ${route}: ${errors.map((e) => `${e.pointer || '(the reply)'}: ${e.detail}`).join('; ')}`);
  }
  return data;
}
