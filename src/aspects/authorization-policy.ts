import { Annotations, IAspect, IResolvable, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGED, acknowledge, PublicRouteAcknowledgements } from './acknowledgements';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';
import { hasAuthorizer, httpApiOf, webSocketApiOf } from './route-apis';
import { ensureUsagePlan } from './websocket-usage-plan';
import { validateJwtAudience, validateJwtIssuer } from '../auth/auth-rules';
import { Authorization } from '../auth/authorization';
import { HttpApiKeyAuthorizer } from '../http/http-api-key-authorizer';
import { parseHttpRouteKey } from '../http/http-route-key';
import { ApiKeySelection, RouteApiKeyRequired, RouteAuthorization } from '../mixins';
import { apiOf } from '../mixins/api-lookup';
import { WebSocketApiKeyAuthorizer } from '../websocket/websocket-api-key-authorizer';
import { WebSocketTokenAuthorizer, WebSocketTokenAuthorizerProps } from '../websocket/websocket-token-authorizer';

/** What routes need: the settings of `AuthorizationPolicy` that `ApiServiceDefaults` takes too. */
export interface AuthorizationOptions {
  /**
   * How every HTTP route without an authorizer is authorized, unless `routeAuthorization` or `publicRoutes` says
   * otherwise; and the WebSocket `$connect` route, unless `webSocketAuthorization` says otherwise.
   * @default Authorization.API_KEY
   */
  readonly authorization?: Authorization;
  /**
   * Per HTTP route key (e.g. `GET /books/{id}`), how that route is authorized, e.g.
   * `{ 'DELETE /books/{id}': Authorization.jwt('books/admin'), 'GET /health': Authorization.NONE }`.
   * @default - every route follows `authorization`
   */
  readonly routeAuthorization?: { [routeKey: string]: Authorization };
  /**
   * HTTP route keys that stay open without any authorizer, e.g. `GET /health`: the same as `Authorization.NONE` in
   * `routeAuthorization`.
   * @default - none
   */
  readonly publicRoutes?: string[];
  /**
   * How the `$connect` route of every WebSocket API is authorized (API Gateway authorizes WebSocket connections
   * only there). Browsers pass the API key as `?apiKey=` and the JWT as `?token=`.
   * @default - `authorization`, scopes included
   */
  readonly webSocketAuthorization?: Authorization;
  /**
   * The issuer of the JWTs (the `iss` claim), an `https://` URL, for `Authorization.jwt()` with any OIDC provider.
   * @default - none: give it with `jwtAudience`, or give `jwtUserPool`, when a route is JWT-authorized
   */
  readonly jwtIssuer?: string;
  /**
   * The audiences a JWT may be for (its `aud`, or `client_id` when it has no `aud`); required with `jwtIssuer`.
   * @default - none
   */
  readonly jwtAudience?: string[];
  /**
   * An Amazon Cognito user pool that issues the JWTs (e.g. `ServiceUserPool.userPool`), instead of `jwtIssuer`.
   * @default - none: give `jwtIssuer` and `jwtAudience` instead, when a route is JWT-authorized
   */
  readonly jwtUserPool?: cognito.IUserPool;
  /**
   * The app clients of `jwtUserPool` whose tokens are accepted (e.g. `ServiceUserPool.userPoolClient`); required
   * with `jwtUserPool`.
   * @default - none
   */
  readonly jwtUserPoolClients?: cognito.IUserPoolClient[];
}

/** Props for `AuthorizationPolicy`. */
export interface AuthorizationPolicyProps extends AuthorizationOptions {
  /**
   * The authorizer put on open HTTP routes whose authorization is `Authorization.API_KEY`. An HTTP API authorizer
   * belongs to one API: give one only when the scope holds a single HTTP API.
   * @default - one `HttpApiKeyAuthorizer` per HTTP API, created when the first such route is found
   */
  readonly apiKeyAuthorizer?: apigwv2.IHttpRouteAuthorizer;
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
   * Whether to authorize open routes, or only report them.
   * @default AspectMode.APPLY
   */
  readonly mode?: AspectMode;
}

/** The authorization type an HTTP route of each kind has (`none`: any). */
const HTTP_AUTHORIZATION_TYPE: Record<string, string> = { 'api-key': 'CUSTOM', 'jwt': 'JWT', 'iam': 'AWS_IAM' };
/** On a WebSocket `$connect`, API keys and JWTs are both checked by Lambda authorizers. */
const WEBSOCKET_AUTHORIZATION_TYPE: Record<string, string> = { 'api-key': 'CUSTOM', 'jwt': 'CUSTOM', 'iam': 'AWS_IAM' };
const HEADER_KEY = apigwv2.WebSocketApiKeySelectionExpression.HEADER_X_API_KEY.customApiKeySelector;
const RULE = 'authorization';

/**
 * Every route is authorized with an allowed kind (`Authorization`) or is declared public:
 * - HTTP routes (L2 or L1): an open route gets its kind (`routeAuthorization[key]`, else `Authorization.NONE` when
 *   it is in `publicRoutes`, else `authorization`): API_KEY one `HttpApiKeyAuthorizer` per API, JWT one
 *   `HttpJwtAuthorizer` per API (`HttpUserPoolAuthorizer` with `jwtUserPool`) with the kind's scopes on the route,
 *   IAM `AWS_IAM`; NONE leaves it open, acknowledged for cdk-nag. `OPTIONS` routes without a Lambda integration
 *   (CORS preflight) are never touched.
 * - WebSocket APIs: API Gateway authorizes connections only on `$connect`. An open `$connect` gets
 *   `webSocketAuthorization`: API_KEY a `WebSocketApiKeyAuthorizer` (key from `?apiKey=` or `x-api-key`), the key
 *   selection `$context.authorizer.usageIdentifierKey`, `apiKeyRequired`, and per stage a throttled usage plan with
 *   an API key (its id a stack output); JWT a `WebSocketTokenAuthorizer` (`?token=`, the kind's scopes required);
 *   IAM `AWS_IAM`; NONE leaves it open. An API without `$connect` cannot be protected: apply mode throws, audit
 *   mode reports it.
 *
 * A route that already has an authorizer keeps it. When its kind was given explicitly (`routeAuthorization`,
 * `webSocketAuthorization`), an authorizer of another type, or JWT scopes other than the given ones, is reported
 * (a warning in apply mode, which adds the scopes to a JWT route that has none; an error in audit mode).
 * Audit mode changes nothing and reports open routes, `$connect` routes and stages without a usage plan.
 */
export class AuthorizationPolicy implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly defaultKind: Authorization;
  private readonly webSocketKind: Authorization;
  /** Route keys whose kind was given explicitly, with it (`publicRoutes` as NONE). */
  private readonly routeKinds = new Map<string, Authorization>();
  private readonly props: AuthorizationPolicyProps;
  private readonly keyRequired = new RouteApiKeyRequired();
  private readonly routesByApi = new WeakMap<apigwv2.CfnApi, apigwv2.CfnRoute[]>();
  private readonly authorizerRefs = new Map<string, IResolvable>();
  private readonly publicRoutes: PublicRouteAcknowledgements;

  constructor(props: AuthorizationPolicyProps = {}) {
    const name = new.target.name;
    for (const [prop, value] of [['usagePlanRateLimit', props.usagePlanRateLimit], ['usagePlanBurstLimit', props.usagePlanBurstLimit]] as const) {
      if (value !== undefined && !Token.isUnresolved(value) && !(value >= 0)) {
        throw new Error(`${name} ${prop} ${value} is negative: give 0 or more requests.`);
      }
    }
    for (const key of props.publicRoutes ?? []) this.routeKinds.set(parseHttpRouteKey(key).key, Authorization.NONE);
    for (const [key, kind] of Object.entries(props.routeAuthorization ?? {})) {
      try {
        parseHttpRouteKey(key);
      } catch (e) {
        throw new Error(`${name} routeAuthorization has a key that is not an HTTP route key: ${(e as Error).message} `
          + '(WebSocket connections are authorized on $connect, with webSocketAuthorization.)');
      }
      if (this.routeKinds.has(key) && kind.kind !== 'none') {
        throw new Error(`${name}: route "${key}" is in publicRoutes and has routeAuthorization "${kind}": a route is either public or authorized. Remove it from one of them.`);
      }
      this.routeKinds.set(key, kind);
    }
    this.defaultKind = props.authorization ?? Authorization.API_KEY;
    this.webSocketKind = props.webSocketAuthorization ?? this.defaultKind;
    const jwtUser = [
      ['authorization', this.defaultKind],
      ['webSocketAuthorization', this.webSocketKind],
      ...[...this.routeKinds].map(([key, kind]) => [`routeAuthorization "${key}"`, kind] as const),
    ].find(([, kind]) => (kind as Authorization).kind === 'jwt');
    const jwtGiven = [props.jwtIssuer, props.jwtAudience, props.jwtUserPool, props.jwtUserPoolClients].some((value) => value !== undefined);
    if (jwtUser || jwtGiven) validateJwtSettings(name, jwtUser ? `${jwtUser[0]} "${jwtUser[1]}" needs the token issuer` : 'has JWT settings', props);
    this.mode = props.mode ?? AspectMode.APPLY;
    this.priority = priorityOf(this.mode);
    this.props = props;
    const allPublic = this.defaultKind.kind === 'none' && [...this.routeKinds.values()].every((kind) => kind.kind === 'none');
    this.publicRoutes = new PublicRouteAcknowledgements({ perApi: allPublic });
  }

  public visit(node: IConstruct): void {
    if (apigwv2.CfnApi.isCfnApi(node) && node.protocolType === 'WEBSOCKET') {
      this.authorizeWebSocketApi(node);
    } else if (node instanceof apigwv2.WebSocketStage) {
      if (this.usesApiKeys(node.api)) {
        ensureUsagePlan(node, { mode: this.mode, rateLimit: this.props.usagePlanRateLimit, burstLimit: this.props.usagePlanBurstLimit });
      }
    } else if (apigwv2.CfnRoute.isCfnRoute(node) && apiOf(node)?.protocolType === 'HTTP') {
      this.authorizeHttpRoute(node);
    }
  }

  private authorizeHttpRoute(route: apigwv2.CfnRoute): void {
    const explicit = this.routeKinds.get(route.routeKey);
    const kind = explicit ?? this.defaultKind;
    if (!RouteAuthorization.isOpen(route)) {
      if (explicit && hasAuthorizer(route)) this.checkHttpRoute(route, explicit);
      return;
    }
    if (kind.kind === 'none') {
      this.publicRoutes.acknowledge(route);
      return;
    }
    if (this.mode === AspectMode.AUDIT) {
      reportFinding(route, RULE, `HTTP route "${route.routeKey}" has no authorizer (its authorization is "${kind}"). Give it one, `
        + 'or declare it public: list it in publicRoutes, or give it Authorization.NONE in routeAuthorization.');
      return;
    }
    const { api, l2Route } = httpApiOf(route);
    const options = { route: l2Route ?? { httpApi: api, node: route.node } as unknown as apigwv2.IHttpRoute, scope: api };
    let config: apigwv2.HttpRouteAuthorizerConfig;
    if (kind.kind === 'iam') {
      config = { authorizationType: 'AWS_IAM' };
    } else if (kind.kind === 'jwt') {
      const existing = api.node.tryFindChild('JwtAuthorizer');
      config = existing instanceof apigwv2.HttpAuthorizer
        ? { authorizerId: existing.authorizerId, authorizationType: 'JWT' }
        : this.newHttpJwtAuthorizer().bind(options);
    } else {
      const authorizer = this.props.apiKeyAuthorizer
        ?? (api.node.tryFindChild('ApiKeyAuthorizer') as HttpApiKeyAuthorizer | undefined)
        ?? new HttpApiKeyAuthorizer(api, 'ApiKeyAuthorizer');
      config = authorizer.bind(options);
    }
    this.setAuthorizer(route, config, kind.scopes, Stack.of(api));
  }

  private newHttpJwtAuthorizer(): apigwv2.IHttpRouteAuthorizer {
    const { jwtUserPool, jwtUserPoolClients, jwtIssuer, jwtAudience } = this.props;
    return jwtUserPool
      ? new HttpUserPoolAuthorizer('JwtAuthorizer', jwtUserPool, { userPoolClients: jwtUserPoolClients })
      : new HttpJwtAuthorizer('JwtAuthorizer', jwtIssuer!, { jwtAudience: jwtAudience! });
  }

  /** Puts the authorizer `config` describes on `route`, with the JWT `scopes`. */
  private setAuthorizer(route: apigwv2.CfnRoute, config: apigwv2.HttpRouteAuthorizerConfig, scopes: string[], apiStack: Stack): void {
    const authorizationScopes = scopes.length > 0 ? scopes : undefined;
    if (config.authorizerId === undefined || apiStack !== Stack.of(route)) {
      new RouteAuthorization({ authorizerId: config.authorizerId, authorizationType: config.authorizationType, authorizationScopes }).applyTo(route);
      return;
    }
    // The same as RouteAuthorization, with the authorizer's id as one cached value shared by the routes of its stack
    // (profiled with bench:synth: a `Ref` token finds its target's logical id again each time it is resolved, and a
    // string token is parsed again each time; with 1000 routes the two made synth about 1.35 and 1.12 times slower).
    // It is resolved once, at synth time, after any logical-id override; `route.authorizerId` stays unset.
    route.authorizationType = config.authorizationType ?? 'CUSTOM';
    route.addPropertyOverride('AuthorizerId', this.cachedRef(config.authorizerId, apiStack));
    if (authorizationScopes) route.authorizationScopes = authorizationScopes;
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

  /** Reports an authorized HTTP route whose authorizer is not of its explicitly given kind; adds missing scopes. */
  private checkHttpRoute(route: apigwv2.CfnRoute, kind: Authorization): void {
    if (kind.kind === 'none') return;
    const given = `routeAuthorization "${route.routeKey}" is "${kind}"`;
    const expected = HTTP_AUTHORIZATION_TYPE[kind.kind];
    if (route.authorizationType !== expected) {
      this.reportMismatch(route, `HTTP route "${route.routeKey}" has an ${route.authorizationType} authorizer, but ${given} (${expected}): `
        + 'the route keeps its own authorizer. Remove that authorizer, or change routeAuthorization.');
      return;
    }
    if (kind.scopes.length === 0) return;
    const scopes: string[] = Stack.of(route).resolve(route.authorizationScopes) ?? [];
    if (scopes.length === 0 && this.mode === AspectMode.APPLY) {
      route.authorizationScopes = kind.scopes;
    } else if (scopes.length !== kind.scopes.length || !kind.scopes.every((s) => scopes.includes(s))) {
      this.reportMismatch(route, `HTTP route "${route.routeKey}" requires the scopes ${JSON.stringify(scopes)}, but ${given}: `
        + 'give the route the scopes routeAuthorization names (authorizationScopes), or change routeAuthorization.');
    }
  }

  private authorizeWebSocketApi(api: apigwv2.CfnApi): void {
    const routes = this.routesOf(api);
    const connect = routes.find((r) => r.routeKey === '$connect');
    const kind = this.webSocketKind;
    if (connect === undefined) {
      if (kind.kind === 'none') {
        routes.forEach((route) => acknowledge(route, ACKNOWLEDGED.publicWebSocketApi));
        return;
      }
      const problem = `WebSocket API ${api.node.path} has no $connect route, so anyone can connect: API Gateway checks API keys `
        + 'and authorizers only on $connect. Add a $connect route (connectRouteOptions, or connectHandler on ServiceWebSocketApi).';
      if (this.mode === AspectMode.APPLY) throw new Error(problem);
      reportFinding(api, RULE, problem);
      return;
    }
    if (isProtected(api, connect)) {
      if (this.props.webSocketAuthorization) this.checkConnect(api, connect, kind);
    } else if (kind.kind === 'none') {
      routes.forEach((route) => acknowledge(route, ACKNOWLEDGED.publicWebSocketApi));
      return;
    } else if (this.mode === AspectMode.AUDIT) {
      reportFinding(connect, RULE, `$connect route of WebSocket API ${api.node.path} is open (its authorization is "${kind}"): give it an authorizer `
        + '(WebSocketApiKeyAuthorizer with apiKeyRequired and the key selection expression $context.authorizer.usageIdentifierKey, '
        + 'WebSocketTokenAuthorizer or WebSocketIamAuthorizer), or AuthorizationPolicy in apply mode.');
      return;
    } else {
      this.protectConnect(api, connect, kind);
    }
    if (connect.apiKeyRequired === true && api.apiKeySelectionExpression !== undefined) acknowledge(connect, ACKNOWLEDGED.websocketConnectWithApiKey);
    for (const route of routes) {
      if (route !== connect) acknowledge(route, ACKNOWLEDGED.websocketRouteWithoutAuthorizer);
    }
  }

  private protectConnect(api: apigwv2.CfnApi, connect: apigwv2.CfnRoute, kind: Authorization): void {
    if (kind.kind === 'iam') {
      new RouteAuthorization({ authorizationType: 'AWS_IAM' }).applyTo(connect);
      return;
    }
    const { api: webSocketApi, l2Route } = webSocketApiOf(connect);
    let authorizer: apigwv2.IWebSocketRouteAuthorizer;
    if (kind.kind === 'jwt') {
      authorizer = new WebSocketTokenAuthorizer(webSocketApi, 'TokenAuthorizer', { ...this.tokenIssuer(), requiredScopes: kind.scopes });
    } else {
      this.keyRequired.applyTo(connect);
      // An API that selects keys from the x-api-key header chose header keys only: they need no authorizer.
      if (api.apiKeySelectionExpression === HEADER_KEY) return;
      new ApiKeySelection({ expression: apigwv2.WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY }).applyTo(api);
      authorizer = new WebSocketApiKeyAuthorizer(webSocketApi, 'ApiKeyAuthorizer');
    }
    const route = l2Route ?? { webSocketApi, node: connect.node } as unknown as apigwv2.IWebSocketRoute;
    new RouteAuthorization(authorizer.bind({ route, scope: webSocketApi })).applyTo(connect);
  }

  private tokenIssuer(): WebSocketTokenAuthorizerProps {
    const { jwtUserPool, jwtUserPoolClients, jwtIssuer, jwtAudience } = this.props;
    return jwtUserPool ? { userPool: jwtUserPool, userPoolClients: jwtUserPoolClients } : { issuer: jwtIssuer, audience: jwtAudience };
  }

  /** Reports a protected `$connect` whose protection is not of the explicitly given `webSocketAuthorization`. */
  private checkConnect(api: apigwv2.CfnApi, connect: apigwv2.CfnRoute, kind: Authorization): void {
    if (kind.kind === 'none') return;
    const actual = hasAuthorizer(connect) ? connect.authorizationType! : 'API key';
    const expected = WEBSOCKET_AUTHORIZATION_TYPE[kind.kind];
    if (actual === expected || (kind.kind === 'api-key' && actual === 'API key')) return;
    this.reportMismatch(connect, `$connect route of WebSocket API ${api.node.path} is protected by ${actual === 'API key' ? 'an API key' : `an ${actual} authorizer`}, `
      + `but webSocketAuthorization is "${kind}" (${expected}): the route keeps its own protection. Remove it, or change webSocketAuthorization.`);
  }

  private reportMismatch(route: apigwv2.CfnRoute, message: string): void {
    if (this.mode === AspectMode.AUDIT) reportFinding(route, RULE, message);
    else Annotations.of(route).addWarningV2(`projen-api-service:${RULE}`, message);
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

  /** Whether clients of the API need an API key: its `$connect` requires one, or will (or it is imported). */
  private usesApiKeys(api: apigwv2.IWebSocketApi): boolean {
    const cfnApi = api.node.defaultChild;
    if (!apigwv2.CfnApi.isCfnApi(cfnApi)) return true;
    const connect = this.routesOf(cfnApi).find((r) => r.routeKey === '$connect');
    if (connect === undefined) return false;
    return connect.apiKeyRequired === true || (this.webSocketKind.kind === 'api-key' && !isProtected(cfnApi, connect));
  }
}

/** Whether `$connect` is protected: it has an authorizer, or API Gateway checks an API key on it. */
function isProtected(api: apigwv2.CfnApi, connect: apigwv2.CfnRoute): boolean {
  return hasAuthorizer(connect) || (connect.apiKeyRequired === true && api.apiKeySelectionExpression !== undefined);
}

/**
 * Throws unless the JWT issuer is given one way (issuer and audience, or user pool and clients), and well.
 * @param user what needs the settings, e.g. `authorization "jwt" needs the token issuer`
 */
function validateJwtSettings(name: string, user: string, props: AuthorizationOptions): void {
  const { jwtIssuer, jwtAudience, jwtUserPool, jwtUserPoolClients } = props;
  const how = 'give jwtIssuer and jwtAudience (any OIDC provider), or jwtUserPool and jwtUserPoolClients (Amazon Cognito, e.g. ServiceUserPool\'s userPool and userPoolClient)';
  if (jwtIssuer !== undefined && jwtUserPool !== undefined) {
    throw new Error(`${name} has both jwtIssuer "${jwtIssuer}" and jwtUserPool: ${how}, not both.`);
  }
  if (jwtUserPool !== undefined) {
    if (!jwtUserPoolClients?.length || jwtAudience !== undefined) {
      throw new Error(`${name} has jwtUserPool: give its app clients as jwtUserPoolClients (their ids are the accepted audiences), and no jwtAudience.`);
    }
    return;
  }
  if (jwtIssuer === undefined || jwtAudience === undefined) {
    throw new Error(`${name} ${user}, but ${jwtIssuer === undefined ? 'jwtIssuer' : 'jwtAudience'} is missing: ${how}.`);
  }
  if (!Token.isUnresolved(jwtIssuer)) validateJwtIssuer(jwtIssuer);
  validateJwtAudience(jwtAudience, (value) => Token.isUnresolved(value));
}
