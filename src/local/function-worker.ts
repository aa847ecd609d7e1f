// Runs inside a worker thread: loads one Lambda handler from its bundled code and invokes it on request.
import { randomUUID } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parentPort, workerData } from 'worker_threads';

/** What the pool passes to a worker. */
export interface WorkerData {
  readonly codeDir: string;
  readonly handler: string;
  readonly functionName: string;
  readonly memoryMb: number;
  readonly region: string;
}

/** An invocation request from the pool. */
export interface InvokeMessage {
  readonly id: number;
  /** The event, serialized as JSON (as Lambda receives it). */
  readonly eventJson: string;
  /** The function's timeout: the invocation's deadline is this long after it starts. */
  readonly timeoutMs: number;
  /** When the caller stops waiting (`Date.now()` time): an invocation not started by then is skipped. */
  readonly notAfter?: number;
}

/** Asks the worker to give back the invocations it has been sent but not started. */
export interface ReclaimMessage {
  readonly reclaim: true;
}

/** Sent once, when the handler's module has loaded (or failed to): the end of the init phase. */
export interface ReadyMessage {
  readonly ready: true;
}

/** The answer to a `ReclaimMessage`: the ids of the invocations given back, none of which will run here. */
export interface ReclaimedMessage {
  readonly reclaimed: number[];
}

/** The answer to an invocation. */
export interface InvokeReply {
  readonly id: number;
  /** The handler's result, serialized the way Lambda does (JSON). */
  readonly json?: string;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** Set when the invocation was not run: its caller had stopped waiting (`notAfter`) before it could start. */
  readonly skipped?: true;
}

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, value?: unknown) => void) => unknown;

const data = workerData as WorkerData;

async function loadHandler(): Promise<Handler> {
  // "dir/file.export.nested": the module is everything up to the first dot after the last slash.
  const slash = data.handler.lastIndexOf('/') + 1;
  const dot = data.handler.indexOf('.', slash);
  const modulePath = path.resolve(data.codeDir, data.handler.slice(0, dot));
  const exportPath = data.handler.slice(dot + 1).split('.');
  const mod = await importModule(modulePath);
  const fn = exportPath.reduce((obj: any, key) => obj?.[key], mod);
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${data.handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return fn;
}

async function importModule(modulePath: string): Promise<any> {
  for (const ext of ['.js', '.cjs', '.mjs']) {
    const file = modulePath + ext;
    try {
      // The handler's module is only known at run time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return ext === '.mjs' ? await import(pathToFileURL(file).href) : require(file);
    } catch (e: any) {
      if (e.code === 'ERR_REQUIRE_ESM') {
        return import(pathToFileURL(file).href);
      }
      const missing = e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND';
      if (!missing || !String(e.message).includes(file)) {
        throw e;
      }
    }
  }
  throw Object.assign(new Error(`Cannot find module '${path.basename(modulePath)}' in ${data.codeDir}`), { name: 'Runtime.ImportModuleError' });
}

function context(requestId: string, deadline: number) {
  return {
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${data.region}:123456789012:function:${data.functionName}`,
    memoryLimitInMB: String(data.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${data.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

async function invoke(message: InvokeMessage): Promise<unknown> {
  const handler = await handlerPromise;
  const ctx = context(randomUUID(), Date.now() + message.timeoutMs);
  const event = JSON.parse(message.eventJson);
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, ctx, (error, value) => (error ? reject(error) : resolve(value)));
      Promise.resolve(result).then(v => v !== undefined && resolve(v), reject);
    });
  }
  return handler(event, ctx);
}

// Init: the handler's module loads when the worker starts, as in a Lambda execution environment.
const handlerPromise = loadHandler();
const ready = () => parentPort!.postMessage({ ready: true } as ReadyMessage);
handlerPromise.then(ready, ready);

/** Invocations sent ahead by the pool, run one at a time in the order sent, as one Lambda environment does. */
const waiting: InvokeMessage[] = [];
let draining = false;

// The pool posts the invocations it sends during one turn of its event loop together, as one array.
parentPort!.on('message', (message: InvokeMessage[] | ReclaimMessage) => {
  if ('reclaim' in message) {
    parentPort!.postMessage({ reclaimed: waiting.splice(0).map(m => m.id) } as ReclaimedMessage);
    return;
  }
  waiting.push(...message);
  if (!draining) {
    void drain();
  }
});

async function drain(): Promise<void> {
  draining = true;
  for (let message = waiting.shift(); message; message = waiting.shift()) {
    if (message.notAfter !== undefined && Date.now() >= message.notAfter) {
      parentPort!.postMessage({ id: message.id, skipped: true } as InvokeReply);
      continue;
    }
    parentPort!.postMessage(await reply(message));
    // One turn of the event loop between invocations, so that a ReclaimMessage sent meanwhile is answered first.
    await new Promise(setImmediate);
  }
  draining = false;
}

async function reply(message: InvokeMessage): Promise<InvokeReply> {
  try {
    return { id: message.id, json: JSON.stringify((await invoke(message)) ?? null) };
  } catch (e: any) {
    const errorType = e?.name ?? 'Error';
    const errorMessage = e?.message ?? String(e);
    console.error(`ERROR Invoke Error ${JSON.stringify({ errorType, errorMessage, stack: e?.stack?.split('\n') })}`);
    return { id: message.id, error: { errorType, errorMessage } };
  }
}
