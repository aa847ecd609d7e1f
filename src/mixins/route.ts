import { Mixin } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { apiOf, integrationOf, invokesLambda } from './api-lookup';

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
 * Puts an authorizer on routes that have none. Leaves authorized routes as they are, never touches an
 * `OPTIONS` route without a Lambda integration (CORS preflight, which an authorizer would block), and on a
 * WebSocket API touches only `$connect`, the one route where API Gateway runs an authorizer.
 */
export class RouteAuthorization extends Mixin {
  /**
   * Whether `route` is open (`NONE`) and not a CORS preflight route, so an authorizer may be put on it. An
   * `OPTIONS` route that invokes a Lambda function runs code, so it counts as open like any other route.
   */
  public static isOpen(route: CfnRoute): boolean {
    return (route.authorizationType ?? 'NONE') === 'NONE'
      && (!route.routeKey.startsWith('OPTIONS ') || invokesLambda(integrationOf(route)));
  }

  constructor(private readonly props: RouteAuthorizationProps) {
    super();
  }

  /** Open routes that are not CORS preflight, and on a WebSocket API only `$connect`. */
  public supports(construct: IConstruct): construct is CfnRoute {
    return CfnRoute.isCfnRoute(construct) && RouteAuthorization.isOpen(construct)
      && (construct.routeKey === '$connect' || apiOf(construct)?.protocolType !== 'WEBSOCKET');
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) return;
    construct.authorizationType = this.props.authorizationType ?? 'CUSTOM';
    construct.authorizerId = this.props.authorizerId;
  }
}
