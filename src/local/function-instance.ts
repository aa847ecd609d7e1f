import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { Worker } from 'worker_threads';
import { InvokeMessage, InvokeReply, ReadyMessage, ReclaimedMessage, ReclaimMessage, WorkerData } from './function-worker';

/** The outcome of one invocation. */
export interface InvokeResult {
  /** The handler's result (parsed JSON), when it succeeded. */
  readonly value?: unknown;
  /** Set when the handler threw, crashed, could not be loaded, or timed out. */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** Set when the wait was cut by the caller's (integration) timeout rather than the function's own. */
  readonly integrationTimeout?: boolean;
}

/** One invocation on its way to a function: what `FunctionInstance.run` takes. */
export interface Invocation {
  /** The event, serialized as JSON (as Lambda receives it). */
  readonly eventJson: string;
  /** When the caller stops waiting (`Date.now()` time): not started by then, it is skipped. */
  readonly notAfter?: number;
  /** Called once with the outcome (later calls are ignored); not called for an invocation given back unstarted. */
  readonly settle: (result: InvokeResult) => void;
}

/** How to start one execution environment of a function. */
export interface FunctionInstanceOptions {
  /** The worker's code (`workerCode()`), prepared once by the pool. */
  readonly code: string;
  readonly workerData: WorkerData;
  /** The function's complete environment. */
  readonly env: Record<string, string>;
  /** The function's timeout. */
  readonly timeoutMs: number;
  /** Prefix of every console line and timeout message, e.g. `[fn]` or `[fn#2]`. */
  readonly logPrefix: string;
  readonly log: (line: string) => void;
  /**
   * Called with invocations the instance was given but will not start: those it gave back (`reclaim`), and, once
   * it stops taking invocations (it timed out, crashed or was closed), those that were waiting on it.
   */
  readonly onReturn: (unstarted: Invocation[]) => void;
  /** Called when the worker has initialized, and after each of its answers (an invocation ended or was skipped). */
  readonly onProgress: () => void;
  /** Called once, when the instance stops taking invocations, before `onReturn` gets what was waiting on it. */
  readonly onRetire: (instance: FunctionInstance) => void;
}

/**
 * Lambda's synchronous invocation payload limits, in bytes of JSON: 6 MB for the event and for the result
 * (https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html); the numbers are those of Lambda's own errors
 * ("Request must be smaller than 6291456 bytes", "Response payload size exceeded maximum allowed payload size
 * (6291556 bytes)").
 */
export const LAMBDA_PAYLOAD_LIMITS = { requestBytes: 6_291_456, responseBytes: 6_291_556 };

/** The error type of an event over the request limit (Lambda's `Invoke` answers 413 with it). */
export const REQUEST_TOO_LARGE = 'RequestEntityTooLargeException';

/** Lambda's limit on the init phase (loading the handler's module), which is not part of the function's timeout. */
const INIT_TIMEOUT_MS = 10_000;

interface Sent {
  readonly id: number;
  readonly invocation: Invocation;
  /** The function timeout, started when the invocation starts. */
  timer?: NodeJS.Timeout;
  /** When it started (`Date.now()`): once the instance is initialized and every invocation sent before it ended. */
  startedAt?: number;
}

/**
 * One execution environment of a function, like a Lambda sandbox: a worker thread with the function's own
 * environment, kept warm (module state survives between invocations), running one invocation at a time.
 *
 * Invocations may be sent to it while it runs one: the worker runs them in order, one at a time. Waking a thread
 * costs more than a fast handler's run (about 60 µs a round trip on a 2-core VM, measured by bench:local), so
 * invocations sent together share one wake-up. Each one's function timeout starts when the one before it ends.
 */
export class FunctionInstance {
  private readonly worker: Worker;
  /** Sent and not answered, in order: the first one is running once the instance is initialized. */
  private readonly sent: Sent[] = [];
  private nextId = 1;
  /** Invocations sent during this turn of the event loop: posted at its end, together (one wake-up of the worker). */
  private readonly outbox: InvokeMessage[] = [];
  private isRetired = false;
  private initialized = false;
  private reclaiming = false;
  private readonly initTimer: NodeJS.Timeout;

  constructor(private readonly options: FunctionInstanceOptions) {
    this.worker = new Worker(options.code, { eval: true, workerData: options.workerData, stdout: true, stderr: true, env: options.env });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      readline.createInterface({ input: stream }).on('line', line => options.log(`${options.logPrefix} ${line}`));
    }
    this.initTimer = setTimeout(() => this.timeOut('Init', INIT_TIMEOUT_MS), INIT_TIMEOUT_MS);
    this.worker.on('message', (message: InvokeReply | ReadyMessage | ReclaimedMessage) => {
      if ('ready' in message) {
        clearTimeout(this.initTimer);
        this.initialized = true;
        this.startNext();
        options.onProgress();
      } else if ('reclaimed' in message) {
        this.reclaiming = false;
        const ids = new Set(message.reclaimed);
        const unstarted = this.sent.filter(sent => ids.has(sent.id));
        this.sent.splice(0, this.sent.length, ...this.sent.filter(sent => !ids.has(sent.id)));
        // The first one given back may have been taken for running here (its clock started) when the one before ended.
        unstarted.forEach(sent => clearTimeout(sent.timer));
        this.startNext();
        options.onReturn(unstarted.map(sent => sent.invocation));
      } else {
        this.answer(message);
      }
    });
    this.worker.on('error', e => options.log(`${options.logPrefix} ERROR ${e.stack ?? e}`));
    this.worker.on('exit', code => this.end({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with status ${code}` }));
  }

  /** When the running invocation started; undefined when idle or still initializing. */
  public get runningSince(): number | undefined {
    return this.sent[0]?.startedAt;
  }

  /** How many invocations were sent to it and are not answered yet (running and waiting). */
  public get load(): number {
    return this.sent.length;
  }

  /** Whether the instance takes no more invocations. */
  public get retired(): boolean {
    return this.isRetired;
  }

  /** Sends an invocation (its event as JSON, as Lambda receives it), run once those sent before it have ended. */
  public run(invocation: Invocation): void {
    if (this.isRetired) {
      throw new Error(`${this.options.logPrefix} cannot run an invocation: it is retired`);
    }
    const sent: Sent = { id: this.nextId++, invocation };
    this.sent.push(sent);
    // A string is much cheaper to post than an object.
    const message: InvokeMessage = { id: sent.id, eventJson: invocation.eventJson, timeoutMs: this.options.timeoutMs, notAfter: invocation.notAfter };
    this.outbox.push(message);
    if (this.outbox.length === 1) {
      setImmediate(() => this.worker.postMessage(this.outbox.splice(0)));
    }
    if (this.sent.length === 1) {
      this.startNext();
    }
  }

  /** Asks for the invocations sent and not started back (through `onReturn`), unless already asked. */
  public reclaim(): void {
    if (!this.reclaiming && !this.isRetired && this.sent.length > 1) {
      this.reclaiming = true;
      this.worker.postMessage({ reclaim: true } as ReclaimMessage);
    }
  }

  /** Retires the instance and stops its worker; a running invocation ends with `Runtime.ExitError`. */
  public async close(): Promise<void> {
    this.retire();
    await this.worker.terminate();
  }

  private answer(reply: InvokeReply): void {
    const index = this.sent.findIndex(sent => sent.id === reply.id);
    if (index < 0) {
      return;
    }
    const [sent] = this.sent.splice(index, 1);
    clearTimeout(sent.timer);
    // A skipped invocation was already settled, or is about to be, by its caller's timeout (`notAfter`).
    if (!reply.skipped) {
      sent.invocation.settle(reply.error ? { error: reply.error } : this.result(reply.json!));
    }
    this.startNext();
    this.options.onProgress();
  }

  /** The handler's result, or Lambda's error when its JSON is over the response limit. */
  private result(json: string): InvokeResult {
    if (jsonOverLimit(json, LAMBDA_PAYLOAD_LIMITS.responseBytes)) {
      const error = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_PAYLOAD_LIMITS.responseBytes} bytes).`,
      };
      this.options.log(`${this.options.logPrefix} ERROR ${error.errorType}: ${error.errorMessage}`);
      return { error };
    }
    return { value: JSON.parse(json) };
  }

  /** Starts the clock of the first invocation waiting, once the instance is initialized. */
  private startNext(): void {
    const next = this.sent[0];
    if (this.initialized && next && !next.timer) {
      next.startedAt = Date.now();
      next.timer = setTimeout(() => this.timeOut('Task', this.options.timeoutMs), this.options.timeoutMs);
    }
  }

  /** Logs the timeout as Lambda does and, like Lambda, does not reuse the environment: the next invocation gets a fresh one. */
  private timeOut(phase: 'Init' | 'Task', timeoutMs: number): void {
    const errorMessage = `${phase} timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
    this.options.log(`${this.options.logPrefix} ${errorMessage}`);
    void this.close();
    this.end({ errorType: 'Sandbox.Timedout', errorMessage });
  }

  /** Retires the instance: the running invocation ends with `error`, those waiting on it go back to the pool. */
  private end(error: NonNullable<InvokeResult['error']>): void {
    this.retire();
    const [running, ...unstarted] = this.sent.splice(0);
    if (running) {
      clearTimeout(running.timer);
      running.invocation.settle({ error });
    }
    if (unstarted.length > 0) {
      this.options.onReturn(unstarted.map(sent => sent.invocation));
    }
  }

  private retire(): void {
    clearTimeout(this.initTimer);
    if (!this.isRetired) {
      this.isRetired = true;
      this.options.onRetire(this);
    }
  }
}

let transpiledWorker: string | undefined;

/**
 * Worker code: sets up module resolution from NODE_PATH, then runs the worker module (transpiled here, once per
 * process, when the emulator itself runs from its TypeScript sources, as in its tests).
 */
export function workerCode(): string {
  const ext = path.extname(__filename);
  const workerFile = path.join(__dirname, `function-worker${ext}`);
  const init = "require('module')._initPaths();\n";
  if (ext !== '.ts') {
    return `${init}require(${JSON.stringify(workerFile)});`;
  }
  // Only when running from sources (the emulator's own tests), where typescript is installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const ts: typeof import('typescript') = require('typescript');
  transpiledWorker ??= ts.transpileModule(fs.readFileSync(workerFile, 'utf-8'), {
    fileName: workerFile, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return init + transpiledWorker;
}

/** Whether a string is over `limitBytes` in UTF-8 (counted only when it could be: a UTF-16 unit is at most 3 bytes). */
export function jsonOverLimit(json: string, limitBytes: number): boolean {
  return json.length * 3 > limitBytes && Buffer.byteLength(json) > limitBytes;
}
