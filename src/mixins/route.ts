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
  /**
   * The authorizer's id, e.g. from `IHttpRouteAuthorizer.bind()`.
   * @default - none: only for `authorizationType: 'AWS_IAM'`, which has no authorizer resource
   */
  readonly authorizerId?: string;
  /**
   * The authorization type API Gateway expects for that authorizer: `CUSTOM` (Lambda), `JWT` or `AWS_IAM`.
   * @default 'CUSTOM' (a Lambda authorizer)
   */
  readonly authorizationType?: string;
  /**
   * Scopes of which a JWT must hold at least one (HTTP routes with a `JWT` authorizer only), e.g. `books/admin`.
   * @default - none: any valid token
   */
  readonly authorizationScopes?: string[];
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
    const type = props.authorizationType ?? 'CUSTOM';
    if ((props.authorizerId === undefined) !== (type === 'AWS_IAM')) {
      throw new Error(`RouteAuthorization with authorizationType "${type}" ${type === 'AWS_IAM' ? 'takes no authorizerId: IAM authorization has no authorizer resource' : 'needs the authorizerId of its authorizer'}.`);
    }
    if (props.authorizationScopes?.length && type !== 'JWT') {
      throw new Error(`RouteAuthorization has authorizationScopes ${JSON.stringify(props.authorizationScopes)} with authorizationType "${type}": API Gateway checks scopes only with a JWT authorizer. Drop the scopes, or use a JWT authorizer.`);
    }
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
    if (this.props.authorizationScopes?.length) construct.authorizationScopes = this.props.authorizationScopes;
  }
}
