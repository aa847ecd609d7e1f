import { Mixin, Token } from 'aws-cdk-lib';
import { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { mergeSettings } from './merge';

const DEFAULT_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  error: '$context.error.message',
  integrationError: '$context.integrationErrorMessage',
});

/** Props for `StageAccessLogging`. */
export interface StageAccessLoggingProps {
  /**
   * Where the access logs go.
   * @default - a new log group per stage, kept for `retention`
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * How long the new log group keeps logs; ignored when `logGroup` is given.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly retention?: logs.RetentionDays;
  /**
   * The access log format: a JSON object of `$context` variables that includes `$context.requestId`.
   * @default StageAccessLogging.DEFAULT_FORMAT
   */
  readonly format?: string;
}

/**
 * JSON access logs for an API Gateway v2 stage (HTTP or WebSocket). Keeps access log settings already made.
 */
export class StageAccessLogging extends Mixin {
  /** The default access log line: JSON, with context variables that HTTP and WebSocket APIs both have. */
  public static readonly DEFAULT_FORMAT = DEFAULT_ACCESS_LOG_FORMAT;

  private readonly props: StageAccessLoggingProps;
  private readonly format: string;

  constructor(props: StageAccessLoggingProps = {}) {
    super();
    this.format = props.format ?? StageAccessLogging.DEFAULT_FORMAT;
    if (!Token.isUnresolved(this.format)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(this.format);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !this.format.includes('$context.requestId')) {
        throw new Error(`Access log format ${this.format} must be a JSON object that includes "$context.requestId", e.g. {"requestId":"$context.requestId","status":"$context.status"}.`);
      }
    }
    this.props = props;
  }

  public supports(construct: IConstruct): construct is CfnStage {
    return CfnStage.isCfnStage(construct);
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct) || construct.accessLogSettings !== undefined) return;
    const logGroup = this.props.logGroup ?? this.logGroupOf(construct);
    construct.accessLogSettings = { destinationArn: logGroup.logGroupArn, format: this.format };
  }

  private logGroupOf(stage: CfnStage): logs.ILogGroup {
    const existing = stage.node.tryFindChild('AccessLogs');
    return (existing as logs.ILogGroup | undefined) ?? new logs.LogGroup(stage, 'AccessLogs', {
      retention: this.props.retention ?? logs.RetentionDays.THREE_MONTHS,
    });
  }
}

/** Props for `StageThrottling`. */
export interface StageThrottlingProps {
  /**
   * Requests the stage accepts in a burst, for every route that sets no limit of its own.
   * @default 100
   */
  readonly burstLimit?: number;
  /**
   * Steady-state requests per second, for every route that sets no limit of its own.
   * @default 50
   */
  readonly rateLimit?: number;
}

/**
 * Default route throttling for an API Gateway v2 stage. Keeps limits already set.
 */
export class StageThrottling extends Mixin {
  private readonly settings: CfnStage.RouteSettingsProperty;

  constructor(props: StageThrottlingProps = {}) {
    super();
    const burstLimit = props.burstLimit ?? 100;
    const rateLimit = props.rateLimit ?? 50;
    if (!Token.isUnresolved(burstLimit) && (!Number.isInteger(burstLimit) || burstLimit < 0)) {
      throw new Error(`Throttling burstLimit ${burstLimit} is not a whole number of requests of 0 or more: give e.g. 100.`);
    }
    if (!Token.isUnresolved(rateLimit) && !(rateLimit >= 0)) {
      throw new Error(`Throttling rateLimit ${rateLimit} is negative: give the requests per second as 0 or more, e.g. 50.`);
    }
    this.settings = { throttlingBurstLimit: burstLimit, throttlingRateLimit: rateLimit };
  }

  public supports(construct: IConstruct): construct is CfnStage {
    return CfnStage.isCfnStage(construct);
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) return;
    construct.defaultRouteSettings = mergeSettings(construct.defaultRouteSettings, this.settings) ?? construct.defaultRouteSettings;
  }
}
