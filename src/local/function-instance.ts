import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { Worker } from 'worker_threads';
import { InvokeMessage, InvokeReply, ReadyMessage, WorkerData } from './function-worker';

/** The outcome of one invocation. */
export interface InvokeResult {
  /** The handler's result (parsed JSON), when it succeeded. */
  readonly value?: unknown;
  /** Set when the handler threw, crashed, could not be loaded, or timed out. */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** Set when the wait was cut by the caller's (integration) timeout rather than the function's own. */
  readonly integrationTimeout?: boolean;
}

/** How to start one execution environment of a function. */
export interface FunctionInstanceOptions {
  readonly workerData: WorkerData;
  /** The function's complete environment. */
  readonly env: Record<string, string>;
  /** Prefix of every console line and timeout message, e.g. `[fn]` or `[fn#2]`. */
  readonly logPrefix: string;
  readonly log: (line: string) => void;
  /** Called once, when the instance stops taking invocations (it timed out, crashed or was closed). */
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

interface Running {
  readonly id: number;
  readonly timeoutMs: number;
  readonly resolve: (result: InvokeResult) => void;
  /** The function timeout, started once the instance is initialized. */
  timer?: NodeJS.Timeout;
  /** When the handler started on it (`Date.now()`), once the instance is initialized. */
  startedAt?: number;
}

/**
 * One execution environment of a function, like a Lambda sandbox: a worker thread with the function's own
 * environment, kept warm (module state survives between invocations), running one invocation at a time.
 */
export class FunctionInstance {
  private readonly worker: Worker;
  private running?: Running;
  private nextId = 1;
  private isRetired = false;
  private initialized = false;
  private readonly initTimer: NodeJS.Timeout;

  constructor(private readonly options: FunctionInstanceOptions) {
    this.worker = new Worker(workerCode(), { eval: true, workerData: options.workerData, stdout: true, stderr: true, env: options.env });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      readline.createInterface({ input: stream }).on('line', line => options.log(`${options.logPrefix} ${line}`));
    }
    this.initTimer = setTimeout(() => this.timeOut('Init', INIT_TIMEOUT_MS), INIT_TIMEOUT_MS);
    this.worker.on('message', (message: InvokeReply | ReadyMessage) => {
      if ('ready' in message) {
        clearTimeout(this.initTimer);
        this.initialized = true;
        this.startClock();
      } else {
        this.settle(message.id, message.error ? { error: message.error } : this.result(message.json!));
      }
    });
    this.worker.on('error', e => options.log(`${options.logPrefix} ERROR ${e.stack ?? e}`));
    this.worker.on('exit', code => {
      this.retire();
      this.settle(this.running?.id, { error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with status ${code}` } });
    });
  }

  /** When the handler started on the running invocation; undefined when idle or still initializing. */
  public get runningSince(): number | undefined {
    return this.running?.startedAt;
  }

  /** Whether the instance takes no more invocations. */
  public get retired(): boolean {
    return this.isRetired;
  }

  /**
   * Runs one invocation of the event (as JSON, as Lambda receives it); never rejects. Its timeout starts now, or
   * when the instance has initialized (loaded the handler's module) if it is new. Call only when the previous run
   * has settled.
   */
  public run(eventJson: string, timeoutMs: number): Promise<InvokeResult> {
    if (this.running || this.isRetired) {
      throw new Error(`${this.options.logPrefix} cannot run an invocation: it is ${this.running ? 'busy' : 'retired'}`);
    }
    const id = this.nextId++;
    return new Promise(resolve => {
      this.running = { id, timeoutMs, resolve };
      // A string is much cheaper to post than an object.
      const message: InvokeMessage = { id, eventJson, timeoutMs };
      this.worker.postMessage(message);
      if (this.initialized) {
        this.startClock();
      }
    });
  }

  /** Retires the instance and stops its worker; a running invocation ends with `Runtime.ExitError`. */
  public async close(): Promise<void> {
    this.retire();
    await this.worker.terminate();
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

  private startClock(): void {
    const running = this.running;
    if (running && !running.timer) {
      running.startedAt = Date.now();
      running.timer = setTimeout(() => this.timeOut('Task', running.timeoutMs), running.timeoutMs);
    }
  }

  /** Logs the timeout as Lambda does and, like Lambda, does not reuse the environment: the next invocation gets a fresh one. */
  private timeOut(phase: 'Init' | 'Task', timeoutMs: number): void {
    const errorMessage = `${phase} timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
    this.options.log(`${this.options.logPrefix} ${errorMessage}`);
    void this.close();
    this.settle(this.running?.id, { error: { errorType: 'Sandbox.Timedout', errorMessage } });
  }

  private retire(): void {
    clearTimeout(this.initTimer);
    if (!this.isRetired) {
      this.isRetired = true;
      this.options.onRetire(this);
    }
  }

  private settle(id: number | undefined, result: InvokeResult): void {
    const running = this.running;
    if (!running || running.id !== id) {
      return;
    }
    clearTimeout(running.timer);
    this.running = undefined;
    running.resolve(result);
  }
}

let transpiledWorker: string | undefined;

/**
 * Worker code: sets up module resolution from NODE_PATH, then runs the worker module (transpiled here, once,
 * when the emulator itself runs from its TypeScript sources, as in its tests).
 */
function workerCode(): string {
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
