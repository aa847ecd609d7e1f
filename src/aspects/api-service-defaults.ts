import { IAspect } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { AspectMode } from './aspect-mode';
import { AuthorizationOptions, AuthorizationPolicy } from './authorization-policy';
import { CorsDefaults } from './cors-defaults';
import { priorityOf, reportFinding } from './findings';
import { ManageConnectionsGrants } from './manage-connections-grants';
import { StageAccessLogging, StageThrottling } from '../mixins';
import { MetricAlarms, MetricAlarmsProps } from './metric-alarms';
import { Authorization } from '../auth/authorization';
import { apiOf } from '../mixins/api-lookup';
import { ApiGatewayCloudWatchRole } from '../websocket/api-gateway-cloudwatch-role';

/** Props for `ApiServiceDefaults`. */
export interface ApiServiceDefaultsProps extends MetricAlarmsProps, AuthorizationOptions {
  /**
   * Origins allowed to call the HTTP APIs from a browser, e.g. `https://app.example.com`.
   * @default - no CORS added
   */
  readonly corsAllowOrigins?: string[];
  /**
   * Whether browsers may send credentials in cross-origin requests.
   * @default false
   */
  readonly corsAllowCredentials?: boolean;
  /**
   * Whether every API requires an API key: `false` (with no `authorization`) is `authorization: Authorization.NONE`.
   * @default true
   * @deprecated use `authorization`
   */
  readonly apiKeyRequired?: boolean;
  /**
   * How long stage access logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Steady-state requests per second each stage route accepts (and each WebSocket API key).
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests each stage route accepts (and each WebSocket API key).
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Whether a stack with a WebSocket stage that logs gets an `ApiGatewayCloudWatchRole`, which sets API Gateway's
   * account-wide CloudWatch role where none is set (WebSocket stages cannot log without it). Turn it off when the
   * account's role is managed elsewhere; then nothing is created.
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
}

/**
 * The production defaults of an API service, for every HTTP and WebSocket API in a scope, plain aws-cdk-lib or
 * ours: CORS, metric alarms, manage-connections grants, the authorization policy (`AuthorizationPolicy`: API keys
 * unless `authorization` says otherwise), JSON stage access logs and
 * throttling, and for WebSocket stages that log, API Gateway's account CloudWatch role (`ApiGatewayCloudWatchRole`,
 * one per stack). In audit mode it changes nothing and reports what is missing.
 *
 * `Aspects.of(stack).add(defaults, { priority: defaults.priority })`
 */
export class ApiServiceDefaults implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly aspects: IAspect[];
  private readonly accessLogging: StageAccessLogging;
  private readonly throttling: StageThrottling;
  private readonly cloudWatchRole: boolean;

  constructor(props: ApiServiceDefaultsProps = {}) {
    this.mode = props.mode ?? AspectMode.APPLY;
    this.priority = priorityOf(this.mode);
    const mode = this.mode;
    const limits = { rateLimit: props.throttlingRateLimit, burstLimit: props.throttlingBurstLimit };
    this.accessLogging = new StageAccessLogging({ retention: props.accessLogRetention });
    this.throttling = new StageThrottling(limits);
    this.cloudWatchRole = props.apiGatewayCloudWatchRole ?? true;
    this.aspects = [
      ...(props.corsAllowOrigins
        ? [new CorsDefaults({ allowOrigins: props.corsAllowOrigins, allowCredentials: props.corsAllowCredentials, mode })]
        : []),
      new MetricAlarms(props),
      new ManageConnectionsGrants({ mode }),
      new AuthorizationPolicy({
        ...props,
        authorization: authorizationOf(props),
        usagePlanRateLimit: limits.rateLimit,
        usagePlanBurstLimit: limits.burstLimit,
        mode,
      }),
    ];
  }

  public visit(node: IConstruct): void {
    for (const aspect of this.aspects) aspect.visit(node);
    if (!this.accessLogging.supports(node)) return;
    if (this.mode === AspectMode.APPLY) {
      this.accessLogging.applyTo(node);
      this.throttling.applyTo(node);
      const webSocket = node.node.scope instanceof apigwv2.WebSocketStage || apiOf(node)?.protocolType === 'WEBSOCKET';
      if (webSocket && this.cloudWatchRole && node.accessLogSettings !== undefined) ApiGatewayCloudWatchRole.of(node).addDependent(node);
      return;
    }
    if (node.accessLogSettings === undefined) {
      reportFinding(node, 'access-logs', 'Stage has no access logs. Add the StageAccessLogging mixin, or ApiServiceDefaults in apply mode.');
    }
    if (node.defaultRouteSettings === undefined) {
      reportFinding(node, 'throttling', 'Stage has no default throttling. Add the StageThrottling mixin, or ApiServiceDefaults in apply mode.');
    }
  }
}

/** `authorization`, or what the deprecated `apiKeyRequired` means; throws when the two disagree. */
function authorizationOf(props: ApiServiceDefaultsProps): Authorization | undefined {
  const { apiKeyRequired, authorization } = props;
  if (apiKeyRequired === undefined) return authorization;
  const meant = apiKeyRequired ? Authorization.API_KEY : Authorization.NONE;
  if (authorization !== undefined && authorization.toString() !== meant.toString()) {
    throw new Error(`ApiServiceDefaults has apiKeyRequired: ${apiKeyRequired} and authorization "${authorization}", which disagree: `
      + 'drop apiKeyRequired (deprecated), authorization replaces it.');
  }
  return meant;
}
