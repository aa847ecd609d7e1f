import { Mixin, Stack } from 'aws-cdk-lib';
import { CfnApi, CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';

/**
 * Requires an API key on a WebSocket API's `$connect` route, the only route where API Gateway checks one.
 * Pair it with `ApiKeySelection` on the API and a usage plan that holds the key.
 */
export class RouteApiKeyRequired extends Mixin {
  /** `$connect` routes only. */
  public supports(construct: IConstruct): construct is CfnRoute {
    return CfnRoute.isCfnRoute(construct) && construct.routeKey === '$connect';
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) return;
    construct.apiKeyRequired = true;
  }
}

/** Props for `RouteAuthorization`. */
export interface RouteAuthorizationProps {
  /** The authorizer's id, e.g. from `IHttpRouteAuthorizer.bind()`. */
  readonly authorizerId: string;
  /**
   * The authorization type API Gateway expects for that authorizer.
   * @default 'CUSTOM' (a Lambda authorizer)
   */
  readonly authorizationType?: string;
}

/**
 * Puts an authorizer on routes that have none. Leaves authorized routes as they are, never touches
 * `OPTIONS` routes, so CORS preflight is not blocked, and on a WebSocket API touches only `$connect`,
 * the one route where API Gateway runs an authorizer.
 */
export class RouteAuthorization extends Mixin {
  /** Whether `route` is open (`NONE`) and not a CORS preflight route, so an authorizer may be put on it. */
  public static isOpen(route: CfnRoute): boolean {
    return (route.authorizationType ?? 'NONE') === 'NONE' && !route.routeKey.startsWith('OPTIONS ');
  }

  constructor(private readonly props: RouteAuthorizationProps) {
    super();
  }

  /** Open routes that are not CORS preflight, and on a WebSocket API only `$connect`. */
  public supports(construct: IConstruct): construct is CfnRoute {
    return CfnRoute.isCfnRoute(construct) && RouteAuthorization.isOpen(construct)
      && (construct.routeKey === '$connect' || protocolOf(construct) !== 'WEBSOCKET');
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) return;
    construct.authorizationType = this.props.authorizationType ?? 'CUSTOM';
    construct.authorizerId = this.props.authorizerId;
  }
}

/** Per stack, its `CfnApi`s by logical id; rebuilt when a route names an API not in it yet. */
const apisByStack = new WeakMap<Stack, Map<string, CfnApi>>();

/** The protocol of the `CfnApi` a route references in its own stack, or undefined when the API is not found. */
function protocolOf(route: CfnRoute): string | undefined {
  const stack = Stack.of(route);
  const logicalId = stack.resolve(route.apiId)?.Ref;
  if (typeof logicalId !== 'string') return undefined;
  let apis = apisByStack.get(stack);
  if (!apis?.has(logicalId)) {
    apis = new Map(stack.node.findAll().filter(CfnApi.isCfnApi).map((api) => [stack.getLogicalId(api), api]));
    apisByStack.set(stack, apis);
  }
  return apis.get(logicalId)?.protocolType;
}
