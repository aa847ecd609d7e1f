import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import { IHttpStage, IStage, IWebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * Thresholds, evaluation settings and actions of the metric alarms of an API Gateway v2 stage.
 *
 * Shared by `HttpStageAlarms` and `WebSocketStageAlarms`; a field that only one of them uses says so.
 */
export interface StageAlarmOptions {
  /**
   * SNS topic notified when an alarm goes into ALARM and when it returns to OK.
   *
   * @default - no alarm or OK actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Length of one evaluation period. CloudWatch allows 10 s, 30 s or a multiple of 60 s.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * Number of most recent periods each alarm evaluates.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;

  /**
   * Number of breaching periods, among the evaluated ones, that puts an alarm into ALARM.
   *
   * @default - equal to `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;

  /**
   * An alarm fires when a period has more server-side errors than this: 5XX responses (HTTP)
   * or `ExecutionError`s, i.e. failures to call the integration (WebSocket).
   *
   * @default 0 - any server-side error alarms
   */
  readonly serverErrorThreshold?: number;

  /**
   * An alarm fires when a period has more client errors than this: 4XX responses (HTTP) or
   * `ClientError`s, i.e. 4XX answers API Gateway gave before invoking the integration (WebSocket).
   *
   * @default 100
   */
  readonly clientErrorThreshold?: number;

  /**
   * WebSocket only: an alarm fires when a period has more `IntegrationError`s (4XX/5XX answers
   * of the integration) than this. Ignored by `HttpStageAlarms`, where they count as 5XX.
   *
   * @default 0 - any integration error alarms
   */
  readonly integrationErrorThreshold?: number;

  /**
   * HTTP only: an alarm fires when the p99 `Latency` (request in to response out, gateway
   * overhead included) exceeds this. Ignored by `WebSocketStageAlarms`, which has no such metric.
   *
   * @default Duration.seconds(3)
   */
  readonly latencyThreshold?: Duration;

  /**
   * An alarm fires when the p99 `IntegrationLatency` (time the integration takes to answer) exceeds this.
   *
   * @default Duration.millis(2500)
   */
  readonly integrationLatencyThreshold?: Duration;
}

const DEFAULT_PERIOD = Duration.minutes(5);
const DEFAULT_ERROR_THRESHOLD = 0;
const DEFAULT_CLIENT_ERROR_THRESHOLD = 100;
const DEFAULT_LATENCY_THRESHOLD = Duration.seconds(3);
const DEFAULT_INTEGRATION_LATENCY_THRESHOLD = Duration.millis(2500);
/** CloudWatch caps `evaluationPeriods * period` at one day. */
const MAX_EVALUATION_SECONDS = Duration.days(1).toSeconds();

/** First alarms construct created for each stage, for `StageAlarms.of`. */
const ALARMS_BY_STAGE = new WeakMap<IStage, StageAlarms>();

/**
 * Metric alarms of one API Gateway v2 stage, on the stage's `ApiId` and `Stage` dimensions.
 *
 * Use `HttpStageAlarms` or `WebSocketStageAlarms`. Every alarm treats missing data as not breaching.
 */
export abstract class StageAlarms extends Construct {
  /**
   * Construct id under which alarms are created as a child of their stage,
   * e.g. `new HttpStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage })`.
   */
  public static readonly DEFAULT_ID = 'Alarms';

  /**
   * The alarms construct created for `stage`, wherever in the tree it was created.
   *
   * Use it to avoid adding a second set of alarms to a stage.
   *
   * @returns the first `HttpStageAlarms` or `WebSocketStageAlarms` created for `stage`, or `undefined` if none
   */
  public static of(stage: IStage): StageAlarms | undefined {
    return ALARMS_BY_STAGE.get(stage);
  }

  /** All alarms of the stage. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly stageName: string;
  private readonly period: Duration;
  private readonly evaluationPeriods: number;
  private readonly datapointsToAlarm: number;
  private readonly topicAction?: SnsAction;

  protected constructor(scope: Construct, id: string, stage: IStage, options: StageAlarmOptions) {
    super(scope, id);
    this.stageName = stage.stageName;
    this.period = options.period ?? DEFAULT_PERIOD;
    this.evaluationPeriods = options.evaluationPeriods ?? 1;
    this.datapointsToAlarm = options.datapointsToAlarm ?? this.evaluationPeriods;
    this.topicAction = options.alarmTopic ? new SnsAction(options.alarmTopic) : undefined;
    this.validateEvaluation();
    if (!ALARMS_BY_STAGE.has(stage)) {
      ALARMS_BY_STAGE.set(stage, this);
    }
  }

  /**
   * Adds an alarm on more than `threshold` of `metric` (a Sum) per period.
   * @internal
   */
  protected _addCountAlarm(id: string, metric: cloudwatch.Metric, threshold: number | undefined, defaultThreshold: number,
    optionName: string, meaning: string): cloudwatch.Alarm {
    const value = threshold ?? defaultThreshold;
    if (!Token.isUnresolved(value) && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`${optionName} must be a number >= 0, got ${value}: pass the count above which the alarm fires (0 alarms on any).`);
    }
    const count = Tokenization.stringifyNumber(value);
    return this.addAlarm(id, metric.with({ statistic: cloudwatch.Stats.SUM }), value, `${meaning} Fires on more than ${count} per period.`);
  }

  /**
   * Adds an alarm on the p99 of a latency `metric` (milliseconds) above `threshold`.
   * @internal
   */
  protected _addLatencyAlarm(id: string, metric: cloudwatch.Metric, threshold: Duration | undefined, defaultThreshold: Duration,
    optionName: string, meaning: string): cloudwatch.Alarm {
    const value = threshold ?? defaultThreshold;
    if (!value.isUnresolved() && value.toMilliseconds({ integral: false }) <= 0) {
      throw new Error(`${optionName} must be a positive duration, got ${value.toHumanString()}: pass e.g. Duration.seconds(3).`);
    }
    return this.addAlarm(id, metric.with({ statistic: cloudwatch.Stats.p(99) }), value.toMilliseconds({ integral: false }),
      `${meaning} Fires when the p99 exceeds ${value.toHumanString()}.`);
  }

  private addAlarm(id: string, metric: cloudwatch.Metric, threshold: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: metric.with({ period: this.period }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: this.evaluationPeriods,
      datapointsToAlarm: this.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `API Gateway stage ${this.stageName}. ${description} Evaluated over ${Tokenization.stringifyNumber(this.datapointsToAlarm)}`
        + ` of ${Tokenization.stringifyNumber(this.evaluationPeriods)} period(s) of ${this.period.toHumanString()}.`,
    });
    if (this.topicAction) {
      alarm.addAlarmAction(this.topicAction);
      alarm.addOkAction(this.topicAction);
    }
    this.alarms.push(alarm);
    return alarm;
  }

  private validateEvaluation(): void {
    const { evaluationPeriods, datapointsToAlarm, period } = this;
    if (!Token.isUnresolved(evaluationPeriods) && !(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1)) {
      throw new Error(`evaluationPeriods must be an integer >= 1, got ${evaluationPeriods}: pass how many recent periods each alarm looks at.`);
    }
    if (!Token.isUnresolved(datapointsToAlarm) && !(Number.isInteger(datapointsToAlarm) && datapointsToAlarm >= 1)) {
      throw new Error(`datapointsToAlarm must be an integer >= 1, got ${datapointsToAlarm}: pass how many breaching periods fire an alarm.`);
    }
    if (Token.isUnresolved(evaluationPeriods) || Token.isUnresolved(datapointsToAlarm) || period.isUnresolved()) {
      return;
    }
    if (datapointsToAlarm > evaluationPeriods) {
      throw new Error(`datapointsToAlarm (${datapointsToAlarm}) must not exceed evaluationPeriods (${evaluationPeriods}): lower datapointsToAlarm or raise evaluationPeriods.`);
    }
    if (evaluationPeriods * period.toSeconds() > MAX_EVALUATION_SECONDS) {
      throw new Error(`evaluationPeriods (${evaluationPeriods}) times period (${period.toHumanString()}) exceeds CloudWatch's limit of one day: use fewer or shorter periods.`);
    }
  }
}

/**
 * Properties of `HttpStageAlarms`.
 */
export interface HttpStageAlarmsProps extends StageAlarmOptions {
  /** The HTTP API stage to watch: a named `HttpStage` or an `HttpApi`'s `defaultStage`. */
  readonly stage: IHttpStage;
}

/**
 * Alarms on an HTTP API stage: 5XX and 4XX counts, p99 `Latency` and p99 `IntegrationLatency`,
 * built on `HttpStage`'s metric methods (dimensions `ApiId` and `Stage`).
 *
 * An aspect adds it as `new HttpStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage })`
 * after checking `StageAlarms.of(stage)`.
 */
export class HttpStageAlarms extends StageAlarms {
  /** Alarm on 5XX responses. */
  public readonly serverErrorAlarm: cloudwatch.Alarm;
  /** Alarm on 4XX responses. */
  public readonly clientErrorAlarm: cloudwatch.Alarm;
  /** Alarm on p99 `Latency`. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Alarm on p99 `IntegrationLatency`. */
  public readonly integrationLatencyAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: HttpStageAlarmsProps) {
    super(scope, id, props.stage, props);
    const stage = props.stage;
    this.serverErrorAlarm = this._addCountAlarm('ServerError', stage.metricServerError(), props.serverErrorThreshold,
      DEFAULT_ERROR_THRESHOLD, 'serverErrorThreshold', 'Requests failed with 5XX, so the API or its integrations are failing.');
    this.clientErrorAlarm = this._addCountAlarm('ClientError', stage.metricClientError(), props.clientErrorThreshold,
      DEFAULT_CLIENT_ERROR_THRESHOLD, 'clientErrorThreshold', 'Requests were rejected with 4XX, so clients send bad, unauthorized or unrouted requests.');
    this.latencyAlarm = this._addLatencyAlarm('Latency', stage.metricLatency(), props.latencyThreshold,
      DEFAULT_LATENCY_THRESHOLD, 'latencyThreshold', 'Responses are slow end to end (Latency, gateway overhead included).');
    this.integrationLatencyAlarm = this._addLatencyAlarm('IntegrationLatency', stage.metricIntegrationLatency(), props.integrationLatencyThreshold,
      DEFAULT_INTEGRATION_LATENCY_THRESHOLD, 'integrationLatencyThreshold', 'Integrations are slow to answer (IntegrationLatency).');
  }
}

/**
 * Properties of `WebSocketStageAlarms`.
 */
export interface WebSocketStageAlarmsProps extends StageAlarmOptions {
  /** The WebSocket API stage to watch. */
  readonly stage: IWebSocketStage;
}

/**
 * Alarms on a WebSocket API stage: `ExecutionError`, `IntegrationError` and `ClientError` counts and
 * p99 `IntegrationLatency`, built on the stage's `metric()` (dimensions `ApiId` and `Stage`).
 *
 * An aspect adds it as `new WebSocketStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage })`
 * after checking `StageAlarms.of(stage)`.
 */
export class WebSocketStageAlarms extends StageAlarms {
  /** Alarm on `ExecutionError`s (API Gateway failed to call the integration). */
  public readonly executionErrorAlarm: cloudwatch.Alarm;
  /** Alarm on `IntegrationError`s (the integration answered 4XX/5XX). */
  public readonly integrationErrorAlarm: cloudwatch.Alarm;
  /** Alarm on `ClientError`s (API Gateway answered 4XX before the integration). */
  public readonly clientErrorAlarm: cloudwatch.Alarm;
  /** Alarm on p99 `IntegrationLatency`. */
  public readonly integrationLatencyAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WebSocketStageAlarmsProps) {
    super(scope, id, props.stage, props);
    const stage = props.stage;
    this.executionErrorAlarm = this._addCountAlarm('ExecutionError', stage.metric('ExecutionError'), props.serverErrorThreshold,
      DEFAULT_ERROR_THRESHOLD, 'serverErrorThreshold', 'API Gateway failed to call the integration (ExecutionError), so check its permissions, throttling and configuration.');
    this.integrationErrorAlarm = this._addCountAlarm('IntegrationError', stage.metric('IntegrationError'), props.integrationErrorThreshold,
      DEFAULT_ERROR_THRESHOLD, 'integrationErrorThreshold', 'Integrations answered with 4XX/5XX (IntegrationError), so the backend is failing.');
    this.clientErrorAlarm = this._addCountAlarm('ClientError', stage.metric('ClientError'), props.clientErrorThreshold,
      DEFAULT_CLIENT_ERROR_THRESHOLD, 'clientErrorThreshold', 'API Gateway rejected messages with 4XX before the integration (ClientError), so clients send bad, unauthorized or unrouted messages.');
    this.integrationLatencyAlarm = this._addLatencyAlarm('IntegrationLatency', stage.metric('IntegrationLatency'), props.integrationLatencyThreshold,
      DEFAULT_INTEGRATION_LATENCY_THRESHOLD, 'integrationLatencyThreshold', 'Integrations are slow to answer (IntegrationLatency).');
  }
}
