import { CfnOutput, CfnResource, IAspect, IResolvable, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { HttpApiKeyAuthorizer } from '../http/http-api-key-authorizer';
import { parseHttpRouteKey } from '../http/http-route-key';
import { ApiKeySelection, RouteApiKeyRequired, RouteAuthorization } from '../mixins';
import { ACKNOWLEDGED, acknowledge } from './acknowledgements';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';
import { apiOf } from '../mixins/api-lookup';

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
 * - WebSocket APIs: API Gateway checks keys and authorizers only on `$connect`, so that route decides. A `$connect`
 *   with an authorizer (IAM or Lambda) keeps it and needs no key on top; otherwise the API selects the key from
 *   `x-api-key`, `$connect` requires it, and each stage gets a usage plan (with throttling) holding an API key,
 *   whose id is a stack output. An API with no `$connect` route lets anyone connect: apply mode throws, audit
 *   mode reports it. The other routes are acknowledged for cdk-nag's `AwsSolutions-APIG4` only when `$connect`
 *   really is protected.
 * - HTTP APIs have no native keys: every route (L2 or L1) is authorized, or listed in `publicRoutes`. Open routes get
 *   the API-key authorizer (apply) or an error (audit). `OPTIONS` routes count unless they have no Lambda
 *   integration (CORS preflight).
 */
export class ApiKeyEnforcement implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly publicRoutes: string[];
  private readonly props: ApiKeyEnforcementProps;
  private readonly selection = new ApiKeySelection();
  private readonly keyRequired = new RouteApiKeyRequired();
  private readonly routesByApi = new WeakMap<apigwv2.CfnApi, apigwv2.CfnRoute[]>();
  private readonly authorizerRefs = new Map<string, IResolvable>();

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
      this.enforceWebSocketApi(node);
    } else if (node instanceof apigwv2.WebSocketStage) {
      if (this.usesApiKeys(node.api)) this.ensureUsagePlan(node);
    } else if (apigwv2.CfnRoute.isCfnRoute(node) && apiOf(node)?.protocolType === 'HTTP') {
      this.authorizeHttpRoute(node);
    }
  }

  private enforceWebSocketApi(api: apigwv2.CfnApi): void {
    const routes = this.routesOf(api);
    const connect = routes.find((r) => r.routeKey === '$connect');
    if (connect === undefined) {
      const problem = `WebSocket API ${api.node.path} has no $connect route, so anyone can connect: API Gateway checks API keys `
        + 'and authorizers only on $connect. Add a $connect route (connectRouteOptions, or connectHandler on ServiceWebSocketApi).';
      if (this.mode === AspectMode.APPLY) throw new Error(problem);
      reportFinding(api, 'api-key', problem);
      return;
    }
    if (!hasAuthorizer(connect)) {
      this.enforce(api, api.apiKeySelectionExpression !== undefined, this.selection, 'WebSocket API selects no API key. Set apiKeySelectionExpression to "$request.header.x-api-key".');
      this.enforce(connect, connect.apiKeyRequired === true, this.keyRequired, '$connect route does not require an API key. Set apiKeyRequired: true.');
    }
    const keyChecked = connect.apiKeyRequired === true && api.apiKeySelectionExpression !== undefined;
    if (!hasAuthorizer(connect) && !keyChecked) return;
    if (keyChecked) acknowledge(connect, ACKNOWLEDGED.websocketConnectWithApiKey);
    for (const route of routes) {
      if (route !== connect) acknowledge(route, ACKNOWLEDGED.websocketRouteWithoutAuthorizer);
    }
  }

  private enforce(node: IConstruct, satisfied: boolean, fix: { applyTo(c: IConstruct): void }, problem: string): void {
    if (satisfied) return;
    if (this.mode === AspectMode.APPLY) fix.applyTo(node);
    else reportFinding(node, 'api-key', problem);
  }

  /** The routes of a WebSocket API in its stack. */
  private routesOf(api: apigwv2.CfnApi): apigwv2.CfnRoute[] {
    let routes = this.routesByApi.get(api);
    if (routes === undefined) {
      routes = Stack.of(api).node.findAll().filter(apigwv2.CfnRoute.isCfnRoute).filter((r) => apiOf(r) === api);
      this.routesByApi.set(api, routes);
    }
    return routes;
  }

  /** Whether clients of the API need an API key: its `$connect` has no authorizer of its own (or it is imported). */
  private usesApiKeys(api: apigwv2.IWebSocketApi): boolean {
    const cfnApi = api.node.defaultChild;
    if (!apigwv2.CfnApi.isCfnApi(cfnApi)) return true;
    const connect = this.routesOf(cfnApi).find((r) => r.routeKey === '$connect');
    return connect !== undefined && !hasAuthorizer(connect);
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

  private authorizeHttpRoute(route: apigwv2.CfnRoute): void {
    if (!RouteAuthorization.isOpen(route)) return;
    if (this.publicRoutes.includes(route.routeKey)) {
      acknowledge(route, ACKNOWLEDGED.publicHttpRoute);
      return;
    }
    if (this.mode === AspectMode.AUDIT) {
      reportFinding(route, 'api-key', `HTTP route "${route.routeKey}" has no authorizer. Give it one, or list it in publicRoutes if it is meant to be public.`);
      return;
    }
    const { api, l2Route } = httpApiOf(route);
    const authorizer = this.props.httpAuthorizer
      ?? (api.node.tryFindChild('ApiKeyAuthorizer') as HttpApiKeyAuthorizer | undefined)
      ?? new HttpApiKeyAuthorizer(api, 'ApiKeyAuthorizer');
    // bind() needs the route's API and a construct in its stack; an L1 route lends its own node.
    const config = authorizer.bind({ route: l2Route ?? { httpApi: api, node: route.node } as unknown as apigwv2.IHttpRoute, scope: api });
    const stack = Stack.of(api);
    if (config.authorizerId === undefined || stack !== Stack.of(route)) {
      new RouteAuthorization({ authorizerId: config.authorizerId!, authorizationType: config.authorizationType }).applyTo(route);
      return;
    }
    // The same as RouteAuthorization, with the authorizer's id as one cached value shared by the routes of its stack
    // (profiled with bench:synth: a `Ref` token finds its target's logical id again each time it is resolved, and a
    // string token is parsed again each time; with 1000 routes the two made synth about 1.35 and 1.12 times slower).
    // It is resolved once, at synth time, after any logical-id override; `route.authorizerId` stays unset.
    route.authorizationType = config.authorizationType ?? 'CUSTOM';
    route.addPropertyOverride('AuthorizerId', this.cachedRef(config.authorizerId, stack));
  }

  /** One `{ Ref }` value per authorizer id, resolved when first needed. */
  private cachedRef(authorizerId: string, stack: Stack): IResolvable {
    let ref = this.authorizerRefs.get(authorizerId);
    if (ref === undefined) {
      ref = Lazy.any({ produce: () => stack.resolve(authorizerId) });
      this.authorizerRefs.set(authorizerId, ref);
    }
    return ref;
  }
}

/** Whether a route has an authorizer of any kind (IAM, Lambda, JWT). */
function hasAuthorizer(route: apigwv2.CfnRoute): boolean {
  return (route.authorizationType ?? 'NONE') !== 'NONE';
}

/**
 * The HTTP API of an HTTP route (the L2 when there is one, else the L1 API imported once), and the L2 route when
 * the route is one's default child.
 */
function httpApiOf(route: apigwv2.CfnRoute): { api: apigwv2.IHttpApi; l2Route?: apigwv2.HttpRoute } {
  const l2Route = route.node.scope instanceof apigwv2.HttpRoute ? route.node.scope : undefined;
  if (l2Route) return { api: l2Route.httpApi, l2Route };
  const cfnApi = apiOf(route)!;
  const owner = cfnApi.node.scope!;
  if (owner instanceof apigwv2.HttpApi && owner.node.defaultChild === cfnApi) return { api: owner };
  const id = `${cfnApi.node.id}HttpApi`;
  const imported = owner.node.tryFindChild(id) as apigwv2.IHttpApi | undefined;
  return { api: imported ?? apigwv2.HttpApi.fromHttpApiAttributes(owner, id, { httpApiId: cfnApi.ref }) };
}
