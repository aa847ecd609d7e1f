import { FunctionModel } from './api-model';
import { FunctionInstance, InvokeResult, jsonOverLimit, LAMBDA_PAYLOAD_LIMITS, REQUEST_TOO_LARGE } from './function-instance';

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

interface Waiter {
  readonly eventJson: string;
  readonly settle: (result: InvokeResult) => void;
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
 * The warm instances of one function, as Lambda scales it: an invocation takes an idle instance, or starts one
 * while fewer than `cap` exist (once every instance has been running its invocation for SCALE_OUT_AFTER_MS, not
 * counting a new instance's init), or waits in line. Only the run counts against the function's timeout; the
 * caller's integration timeout bounds the wait and the run together.
 */
class FunctionInstances {
  /** Live instances and their index (1, 2, ...; reused after an instance is retired). */
  private readonly live = new Map<FunctionInstance, number>();
  private readonly idle: FunctionInstance[] = [];
  private readonly queue: Waiter[] = [];
  private readonly env: Record<string, string>;
  private scaleOutTimer?: NodeJS.Timeout;

  constructor(private readonly fn: FunctionModel, private readonly cap: number, private readonly options: FunctionPoolOptions) {
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
      const waiter: Waiter = {
        eventJson,
        settle: result => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      if (Number.isFinite(integrationTimeoutMs)) {
        timer = setTimeout(() => {
          // A waiting invocation is dropped; a running one carries on until it ends or its own timeout.
          remove(this.queue, waiter);
          const errorMessage = `the integration timed out after ${integrationTimeoutMs} ms`;
          resolve({ error: { errorType: 'Local.IntegrationTimeout', errorMessage }, integrationTimeout: true });
        }, integrationTimeoutMs);
      }
      this.queue.push(waiter);
      this.dispatch();
    });
  }

  public async close(): Promise<void> {
    clearTimeout(this.scaleOutTimer);
    this.queue.splice(0).forEach(waiter => waiter.settle(CLOSED));
    await Promise.all([...this.live.keys()].map(instance => instance.close()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const instance = this.idle.pop() ?? (this.live.size < this.cap ? this.startIfAllRunLong() : undefined);
      if (!instance) {
        return;
      }
      void this.run(instance, this.queue.shift()!);
    }
  }

  /** A new instance when every live one has run its invocation for SCALE_OUT_AFTER_MS; else dispatches again later. */
  private startIfAllRunLong(): FunctionInstance | undefined {
    const now = Date.now();
    // An instance still initializing (runningSince undefined) will take invocations soon.
    const latest = Math.max(0, ...[...this.live.keys()].map(instance => instance.runningSince ?? now));
    if (now - latest >= SCALE_OUT_AFTER_MS) {
      return this.start();
    }
    this.scaleOutTimer ??= setTimeout(() => {
      this.scaleOutTimer = undefined;
      this.dispatch();
    }, SCALE_OUT_AFTER_MS - (now - latest));
    return undefined;
  }

  private async run(instance: FunctionInstance, waiter: Waiter): Promise<void> {
    waiter.settle(await instance.run(waiter.eventJson, this.fn.timeoutSeconds * 1000));
    // A retired instance already left `live` (and freed its place for the next invocation).
    if (!instance.retired) {
      this.idle.push(instance);
      this.dispatch();
    }
  }

  private start(): FunctionInstance {
    const taken = new Set(this.live.values());
    let index = 1;
    while (taken.has(index)) {
      index++;
    }
    const { fn } = this;
    const instance = new FunctionInstance({
      workerData: { codeDir: fn.codeDir!, handler: fn.handler, functionName: fn.name, memoryMb: fn.memoryMb, region: fn.region },
      env: this.env,
      logPrefix: index === 1 ? `[${fn.name}]` : `[${fn.name}#${index}]`,
      log: this.options.log,
      onRetire: retired => {
        this.live.delete(retired);
        remove(this.idle, retired);
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
      instances = new FunctionInstances(fn, fn.reservedConcurrency ?? this.defaultConcurrency, this.options);
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
