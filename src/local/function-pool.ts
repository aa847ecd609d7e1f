import { FunctionModel } from './api-model';
import { FunctionInstance, Invocation, InvokeResult, jsonOverLimit, LAMBDA_PAYLOAD_LIMITS, REQUEST_TOO_LARGE, workerCode } from './function-instance';

/** Concurrent executions per function when the function has no reserved concurrency. */
export const DEFAULT_FUNCTION_CONCURRENCY = 10;

/** Options of the function pool. */
export interface FunctionPoolOptions {
  /** Extra environment variables of every function (credentials, endpoints, NODE_PATH); a function's own value of one wins. */
  readonly commonEnvironment: Record<string, string>;
  /** Applied to every environment variable value (points AWS endpoints at the emulator). */
  readonly rewriteValue: (value: string) => string;
  /**
   * New values of variables, for the functions that set them (e.g. `JWKS_URI`, pointed at the local issuer).
   * @default - none
   */
  readonly environmentOverrides?: Record<string, string>;
  /** Where console output of functions goes, one prefixed line at a time. */
  readonly log: (line: string) => void;
  /**
   * Most concurrent executions (worker threads) of a function without reserved concurrency; further
   * invocations queue. A function's `ReservedConcurrentExecutions` takes precedence.
   * @default DEFAULT_FUNCTION_CONCURRENCY (10)
   */
  readonly defaultConcurrency?: number;
}

const CLOSED: InvokeResult = { error: { errorType: 'Local.Closed', errorMessage: 'the emulator is shutting down' } };

/**
 * How long every instance of a function must have been running its invocation before another instance starts.
 * Lambda starts one at once; locally each worker thread costs CPU on every hand-off (thread wake-ups), more than a
 * fast handler's run, so invocations of fast handlers queue briefly for the warm instance, and slow handlers
 * (awaiting I/O, computing) still run in parallel instances.
 */
export const SCALE_OUT_AFTER_MS = 10;

/**
 * Most invocations sent to one instance at a time (running, and waiting in its worker). Invocations sent together
 * share one thread wake-up; ones waiting on an instance whose invocation has run for SCALE_OUT_AFTER_MS are taken
 * back for another instance.
 */
const PIPELINE_DEPTH = 16;

/**
 * The warm instances of one function, as Lambda scales it: an invocation goes to an idle instance, else is sent
 * ahead to one whose invocation has run less than SCALE_OUT_AFTER_MS (up to PIPELINE_DEPTH), else starts a new
 * instance while fewer than `cap` exist and all have run that long (not counting a new instance's init), else
 * waits in line. Only the run counts against the function's timeout; the caller's integration timeout bounds the
 * wait and the run together.
 */
class FunctionInstances {
  /** Live instances and their index (1, 2, ...; reused after an instance is retired). */
  private readonly live = new Map<FunctionInstance, number>();
  private readonly queue: Invocation[] = [];
  private readonly env: Record<string, string>;
  private closed = false;
  private rebalanceTimer?: NodeJS.Timeout;
  private rebalanceAt = Infinity;

  constructor(
    private readonly fn: FunctionModel,
    private readonly cap: number,
    private readonly code: string,
    private readonly options: FunctionPoolOptions,
  ) {
    const overrides = Object.entries(options.environmentOverrides ?? {}).filter(([name]) => name in fn.environment);
    const variables = Object.entries({ ...options.commonEnvironment, ...fn.environment, ...Object.fromEntries(overrides) })
      .map(([k, v]) => [k, options.rewriteValue(v)]);
    this.env = {
      ...Object.fromEntries(variables),
      AWS_REGION: fn.region,
      AWS_DEFAULT_REGION: fn.region,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      LAMBDA_TASK_ROOT: fn.codeDir!,
    };
  }

  public invoke(eventJson: string, integrationTimeoutMs: number): Promise<InvokeResult> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const bounded = Number.isFinite(integrationTimeoutMs);
      const invocation: Invocation = {
        eventJson,
        notAfter: bounded ? Date.now() + integrationTimeoutMs : undefined,
        settle: result => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(result);
          }
        },
      };
      if (bounded) {
        timer = setTimeout(() => {
          // A waiting invocation is dropped (a worker it was sent to skips it); a running one carries on until it
          // ends or its own timeout.
          remove(this.queue, invocation);
          const errorMessage = `the integration timed out after ${integrationTimeoutMs} ms`;
          invocation.settle({ error: { errorType: 'Local.IntegrationTimeout', errorMessage }, integrationTimeout: true });
        }, integrationTimeoutMs);
      }
      this.queue.push(invocation);
      this.dispatch();
    });
  }

  public async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.rebalanceTimer);
    this.queue.splice(0).forEach(invocation => invocation.settle(CLOSED));
    await Promise.all([...this.live.keys()].map(instance => instance.close()));
  }

  private dispatch(): void {
    const now = Date.now();
    while (this.queue.length > 0) {
      const instance = this.target(now);
      if (!instance) {
        break;
      }
      instance.run(this.queue.shift()!);
    }
    this.rebalance(now);
  }

  /** Where the next invocation goes, if anywhere yet. */
  private target(now: number): FunctionInstance | undefined {
    let fast: FunctionInstance | undefined;
    let allRunLong = true;
    for (const instance of this.live.keys()) {
      if (instance.load === 0) {
        return instance;
      }
      // An instance still initializing (runningSince undefined) will take invocations soon.
      const since = instance.runningSince;
      if (since === undefined || now - since < SCALE_OUT_AFTER_MS) {
        allRunLong = false;
        if (instance.load < PIPELINE_DEPTH && (!fast || instance.load < fast.load)) {
          fast = instance;
        }
      }
    }
    return fast ?? (allRunLong && this.live.size < this.cap ? this.start() : undefined);
  }

  /**
   * Takes back the invocations waiting on instances whose invocation has run SCALE_OUT_AFTER_MS when another
   * instance could start them sooner (one is idle, or one may be started); checks again when the next would have.
   */
  private rebalance(now: number): void {
    const elsewhere = () => this.live.size < this.cap || [...this.live.keys()].some(instance => instance.load === 0);
    let next = Infinity;
    for (const instance of this.live.keys()) {
      const since = instance.runningSince;
      if (instance.load < 2 || since === undefined || !elsewhere()) {
        continue;
      }
      if (now - since >= SCALE_OUT_AFTER_MS) {
        instance.reclaim();
      } else {
        next = Math.min(next, since + SCALE_OUT_AFTER_MS);
      }
    }
    if (next < this.rebalanceAt) {
      clearTimeout(this.rebalanceTimer);
      this.rebalanceAt = next;
      this.rebalanceTimer = setTimeout(() => {
        this.rebalanceAt = Infinity;
        this.dispatch();
      }, next - now);
    }
  }

  /** Puts invocations an instance gave back unstarted first in line again (those whose caller still waits). */
  private requeue(unstarted: Invocation[]): void {
    const now = Date.now();
    const waiting = unstarted.filter(invocation => invocation.notAfter === undefined || invocation.notAfter > now);
    if (this.closed) {
      waiting.forEach(invocation => invocation.settle(CLOSED));
      return;
    }
    this.queue.unshift(...waiting);
    this.dispatch();
  }

  private start(): FunctionInstance {
    const taken = new Set(this.live.values());
    let index = 1;
    while (taken.has(index)) {
      index++;
    }
    const { fn } = this;
    const instance = new FunctionInstance({
      code: this.code,
      workerData: { codeDir: fn.codeDir!, handler: fn.handler, functionName: fn.name, memoryMb: fn.memoryMb, region: fn.region },
      env: this.env,
      timeoutMs: fn.timeoutSeconds * 1000,
      logPrefix: index === 1 ? `[${fn.name}]` : `[${fn.name}#${index}]`,
      log: this.options.log,
      onProgress: () => this.dispatch(),
      onReturn: unstarted => this.requeue(unstarted),
      onRetire: retired => {
        this.live.delete(retired);
        this.dispatch();
      },
    });
    this.live.set(instance, index);
    return instance;
  }
}

/**
 * Runs Lambda functions locally, each invocation in a warm worker thread of its function (with the function's
 * own environment variables), scaling each function out to its concurrency cap like Lambda does.
 */
export class FunctionPool {
  private readonly byFunction = new Map<string, FunctionInstances>();
  private readonly defaultConcurrency: number;
  /** The workers' code, prepared now, so that no invocation's cold start (counted against its integration timeout) includes it. */
  private readonly preparedWorkerCode = workerCode();
  private closed = false;

  constructor(private readonly functions: Map<string, FunctionModel>, private readonly options: FunctionPoolOptions) {
    this.defaultConcurrency = options.defaultConcurrency ?? DEFAULT_FUNCTION_CONCURRENCY;
    if (!Number.isInteger(this.defaultConcurrency) || this.defaultConcurrency < 1) {
      throw new Error(`The function concurrency must be a positive integer (the most worker threads per function), got ${options.defaultConcurrency}.`);
    }
  }

  /**
   * Invokes a function; never rejects: failures come back as `error`. `integrationTimeoutMs` bounds the time in
   * line and the run together; the function's own timeout counts from when it starts running.
   */
  public async invoke(functionKey: string | undefined, event: unknown, integrationTimeoutMs: number = Infinity): Promise<InvokeResult> {
    if (this.closed) {
      return CLOSED;
    }
    const fn = functionKey ? this.functions.get(functionKey) : undefined;
    if (!fn?.codeDir) {
      const what = fn ? `the code of ${fn.name} is not available locally (not a local asset)` : 'the integration target is not a Lambda function of this assembly';
      return { error: { errorType: 'Local.Unsupported', errorMessage: what } };
    }
    if (fn.reservedConcurrency === 0) {
      // Reserved concurrency 0 throttles every invocation.
      return { error: { errorType: 'TooManyRequestsException', errorMessage: `Rate Exceeded: ${fn.name} has a reserved concurrency of 0` } };
    }
    // The event travels as JSON, as it does to Lambda, and is refused, as Lambda's Invoke refuses it, when too large.
    const eventJson = JSON.stringify(event);
    if (jsonOverLimit(eventJson, LAMBDA_PAYLOAD_LIMITS.requestBytes)) {
      const errorMessage = `Request must be smaller than ${LAMBDA_PAYLOAD_LIMITS.requestBytes} bytes for the InvokeFunction operation`;
      return { error: { errorType: REQUEST_TOO_LARGE, errorMessage } };
    }
    let instances = this.byFunction.get(fn.key);
    if (!instances) {
      instances = new FunctionInstances(fn, fn.reservedConcurrency ?? this.defaultConcurrency, this.preparedWorkerCode, this.options);
      this.byFunction.set(fn.key, instances);
    }
    return instances.invoke(eventJson, integrationTimeoutMs);
  }

  /** Stops every worker; running and waiting invocations end with an error. */
  public async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.byFunction.values()].map(instances => instances.close()));
    this.byFunction.clear();
  }
}

function remove<T>(array: T[], item: T): void {
  const index = array.indexOf(item);
  if (index >= 0) {
    array.splice(index, 1);
  }
}
