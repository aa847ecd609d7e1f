import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { Worker } from 'worker_threads';
import { FunctionModel } from './api-model';
import { InvokeMessage, InvokeReply, WorkerData } from './function-worker';

/** The outcome of one invocation. */
export interface InvokeResult {
  /** The handler's result (parsed JSON), when it succeeded. */
  readonly value?: unknown;
  /** Set when the handler threw, crashed, could not be loaded, or timed out. */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** Set when the wait was cut by the caller's (integration) timeout rather than the function's own. */
  readonly integrationTimeout?: boolean;
}

/** Options of the function pool. */
export interface FunctionPoolOptions {
  /** Extra environment variables of every function (credentials, endpoints, NODE_PATH). */
  readonly commonEnvironment: Record<string, string>;
  /** Applied to every environment variable value (points AWS endpoints at the emulator). */
  readonly rewriteValue: (value: string) => string;
  /** Where console output of functions goes, one prefixed line at a time. */
  readonly log: (line: string) => void;
}

interface Pending {
  readonly resolve: (result: InvokeResult) => void;
  readonly timer: NodeJS.Timeout;
}

/** One warm execution environment of a function: a worker thread with the function's own environment. */
class Instance {
  public retired = false;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly fn: FunctionModel,
    private readonly options: FunctionPoolOptions,
    private readonly onExit: (instance: Instance) => void,
  ) {
    const workerData: WorkerData = { codeDir: fn.codeDir!, handler: fn.handler, functionName: fn.name, memoryMb: fn.memoryMb, region: fn.region };
    const env = Object.fromEntries(Object.entries({ ...options.commonEnvironment, ...fn.environment }).map(([k, v]) => [k, options.rewriteValue(v)]));
    this.worker = new Worker(workerCode(), {
      eval: true,
      workerData,
      stdout: true,
      stderr: true,
      env: {
        ...env,
        AWS_REGION: fn.region,
        AWS_DEFAULT_REGION: fn.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        LAMBDA_TASK_ROOT: fn.codeDir!,
      },
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      readline.createInterface({ input: stream }).on('line', line => options.log(`[${fn.name}] ${line}`));
    }
    this.worker.on('message', (reply: InvokeReply) => this.settle(reply.id, reply.error ? { error: reply.error } : { value: JSON.parse(reply.json!) }));
    this.worker.on('error', e => options.log(`[${fn.name}] ERROR ${e.stack ?? e}`));
    this.worker.on('exit', code => {
      this.retired = true;
      for (const id of [...this.pending.keys()]) {
        this.settle(id, { error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with status ${code}` } });
      }
      this.onExit(this);
    });
  }

  public invoke(event: unknown, functionTimeoutMs: number, integrationTimeoutMs: number): Promise<InvokeResult> {
    const id = this.nextId++;
    const timeoutMs = Math.min(functionTimeoutMs, integrationTimeoutMs);
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        // Like Lambda, a timed-out environment is not reused: new invocations get a fresh one.
        this.retired = true;
        const errorMessage = `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
        const integrationTimeout = integrationTimeoutMs < functionTimeoutMs;
        if (!integrationTimeout) {
          // As Lambda logs it; otherwise the caller only sees a bare 500.
          this.options.log(`[${this.fn.name}] ${errorMessage}`);
        }
        this.settle(id, { error: { errorType: 'Sandbox.Timedout', errorMessage }, integrationTimeout });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      // The event travels as JSON, as it does to Lambda (a string is also much cheaper to post than an object).
      const message: InvokeMessage = { id, eventJson: JSON.stringify(event), deadline: Date.now() + functionTimeoutMs };
      this.worker.postMessage(message);
    });
  }

  public terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(id: number, result: InvokeResult): void {
    const pending = this.pending.get(id);
    if (!pending) {
      return;
    }
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.resolve(result);
    if (this.retired && this.pending.size === 0) {
      void this.worker.terminate();
    }
  }
}

/**
 * Runs Lambda functions locally, each in its own worker thread with its own environment variables, kept warm
 * between invocations. Concurrent invocations of one function share its warm instance.
 */
export class FunctionPool {
  private readonly instances = new Map<string, Instance>();
  private readonly live = new Set<Instance>();
  private closed = false;

  constructor(private readonly functions: Map<string, FunctionModel>, private readonly options: FunctionPoolOptions) {}

  /** Invokes a function; never rejects: failures come back as `error`. */
  public async invoke(functionKey: string | undefined, event: unknown, integrationTimeoutMs: number = Infinity): Promise<InvokeResult> {
    if (this.closed) {
      return { error: { errorType: 'Local.Closed', errorMessage: 'the emulator is shutting down' } };
    }
    const fn = functionKey ? this.functions.get(functionKey) : undefined;
    if (!fn?.codeDir) {
      const what = fn ? `the code of ${fn.name} is not available locally (not a local asset)` : 'the integration target is not a Lambda function of this assembly';
      return { error: { errorType: 'Local.Unsupported', errorMessage: what } };
    }
    let instance = this.instances.get(fn.key);
    if (!instance || instance.retired) {
      instance = new Instance(fn, this.options, exited => {
        this.live.delete(exited);
        if (this.instances.get(fn.key) === exited) {
          this.instances.delete(fn.key);
        }
      });
      this.instances.set(fn.key, instance);
      this.live.add(instance);
    }
    return instance.invoke(event, fn.timeoutSeconds * 1000, integrationTimeoutMs);
  }

  /** Stops every worker. */
  public async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map(i => i.terminate()));
    this.instances.clear();
    this.live.clear();
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
