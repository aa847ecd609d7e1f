import { CfnOutput, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { HttpApiKeyAuthorizer } from '../http/http-api-key-authorizer';
import { parseHttpRouteKey } from '../http/http-route-key';
import { ApiKeySelection, RouteApiKeyRequired, RouteAuthorization } from '../mixins';
import { ACKNOWLEDGED, acknowledge } from './acknowledgements';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';

/** Props for `ApiKeyEnforcement`. */
export interface ApiKeyEnforcementProps {
  /**
   * HTTP route keys that stay open without any authorizer, e.g. `GET /health`.
   * @default - none: every HTTP route needs an authorizer
   */
  readonly publicRoutes?: string[];
  /**
   * The authorizer put on open HTTP routes. An HTTP API authorizer belongs to one API: give one only when the
   * scope holds a single HTTP API.
   * @default - one `HttpApiKeyAuthorizer` per HTTP API, created when the first open route is found
   */
  readonly httpAuthorizer?: apigwv2.IHttpRouteAuthorizer;
  /**
   * Requests per second the WebSocket usage plan allows one API key.
   * @default 50
   */
  readonly usagePlanRateLimit?: number;
  /**
   * Burst of requests the WebSocket usage plan allows one API key.
   * @default 100
   */
  readonly usagePlanBurstLimit?: number;
  /**
   * Whether to enforce API keys, or only report where they are missing.
   * @default AspectMode.APPLY
   */
  readonly mode?: AspectMode;
}

/**
 * Requires an API key on every API:
 * - WebSocket APIs select the key from `x-api-key`, `$connect` requires it, and each stage gets a usage plan
 *   (with throttling) holding an API key, whose id is a stack output.
 * - HTTP APIs have no native keys: every route is authorized, or listed in `publicRoutes`. Open routes get the
 *   API-key authorizer (apply) or an error (audit). `OPTIONS` routes are never given an authorizer.
 */
export class ApiKeyEnforcement implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly publicRoutes: string[];
  private readonly props: ApiKeyEnforcementProps;
  private readonly selection = new ApiKeySelection();
  private readonly keyRequired = new RouteApiKeyRequired();

  constructor(props: ApiKeyEnforcementProps = {}) {
    this.publicRoutes = (props.publicRoutes ?? []).map((key) => parseHttpRouteKey(key).key);
    for (const [name, value] of [['usagePlanRateLimit', props.usagePlanRateLimit], ['usagePlanBurstLimit', props.usagePlanBurstLimit]] as const) {
      if (value !== undefined && !Token.isUnresolved(value) && !(value >= 0)) {
        throw new Error(`ApiKeyEnforcement ${name} ${value} is negative: give 0 or more requests.`);
      }
    }
    this.mode = props.mode ?? AspectMode.APPLY;
    this.priority = priorityOf(this.mode);
    this.props = props;
  }

  public visit(node: IConstruct): void {
    if (this.selection.supports(node)) {
      this.enforce(node, node.apiKeySelectionExpression !== undefined, this.selection, 'WebSocket API selects no API key. Set apiKeySelectionExpression to "$request.header.x-api-key".');
    } else if (this.keyRequired.supports(node)) {
      this.enforce(node, node.apiKeyRequired === true, this.keyRequired, '$connect route does not require an API key. Set apiKeyRequired: true.');
      if (node.apiKeyRequired === true) acknowledge(node, ACKNOWLEDGED.websocketConnectWithApiKey);
    } else if (node instanceof apigwv2.WebSocketRoute && node.routeKey !== '$connect') {
      acknowledge(node, ACKNOWLEDGED.websocketRouteWithoutAuthorizer);
    } else if (node instanceof apigwv2.WebSocketStage) {
      this.ensureUsagePlan(node);
    } else if (node instanceof apigwv2.HttpRoute) {
      this.authorizeHttpRoute(node);
    }
  }

  private enforce(node: IConstruct, satisfied: boolean, fix: { applyTo(c: IConstruct): void }, problem: string): void {
    if (satisfied) return;
    if (this.mode === AspectMode.APPLY) fix.applyTo(node);
    else reportFinding(node, 'api-key', problem);
  }

  private ensureUsagePlan(stage: apigwv2.WebSocketStage): void {
    const apiId = stage.api.apiId;
    // Resolved, because aws-cdk-lib's own UsagePlan renders its stages lazily.
    const stack = Stack.of(stage);
    const wanted = JSON.stringify(stack.resolve({ apiId, stage: stage.stageName }));
    const planned = stack.node.findAll().some((c) => apigw.CfnUsagePlan.isCfnUsagePlan(c)
      && ([] as apigw.CfnUsagePlan.ApiStageProperty[]).concat(stack.resolve(c.apiStages) ?? [])
        .some((s) => JSON.stringify({ apiId: s.apiId, stage: s.stage }) === wanted));
    if (planned) return;
    if (this.mode === AspectMode.AUDIT) {
      reportFinding(stage, 'api-key', `WebSocket stage "${stage.stageName}" is in no usage plan, so no API key can connect to it. Add a usage plan with an API key for it.`);
      return;
    }
    const plan = new apigw.CfnUsagePlan(stage, 'UsagePlan', {
      description: `API keys for WebSocket stage ${stage.stageName}`,
      apiStages: [{ apiId, stage: stage.stageName }],
      throttle: { rateLimit: this.props.usagePlanRateLimit ?? 50, burstLimit: this.props.usagePlanBurstLimit ?? 100 },
    });
    plan.addResourceDependency(stage.node.defaultChild as CfnResource);
    const key = new apigw.CfnApiKey(stage, 'ApiKey', { enabled: true, description: `Client key for WebSocket stage ${stage.stageName}` });
    new apigw.CfnUsagePlanKey(stage, 'UsagePlanKey', { keyId: key.ref, keyType: 'API_KEY', usagePlanId: plan.ref });
    new CfnOutput(stage, 'ApiKeyId', {
      value: key.ref,
      description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <this id>',
    });
  }

  private authorizeHttpRoute(route: apigwv2.HttpRoute): void {
    const cfnRoute = route.node.defaultChild as apigwv2.CfnRoute;
    if (!RouteAuthorization.isOpen(cfnRoute)) return;
    if (this.publicRoutes.includes(cfnRoute.routeKey)) {
      acknowledge(route, ACKNOWLEDGED.publicHttpRoute);
      return;
    }
    if (this.mode === AspectMode.AUDIT) {
      reportFinding(route, 'api-key', `HTTP route "${cfnRoute.routeKey}" has no authorizer. Give it one, or list it in publicRoutes if it is meant to be public.`);
      return;
    }
    const api = route.httpApi;
    const authorizer = this.props.httpAuthorizer
      ?? (api.node.tryFindChild('ApiKeyAuthorizer') as HttpApiKeyAuthorizer | undefined)
      ?? new HttpApiKeyAuthorizer(api, 'ApiKeyAuthorizer');
    const config = authorizer.bind({ route, scope: api });
    new RouteAuthorization({ authorizerId: config.authorizerId!, authorizationType: config.authorizationType }).applyTo(cfnRoute);
  }
}
