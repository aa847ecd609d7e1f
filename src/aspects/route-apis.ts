import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { apiOf } from '../mixins/api-lookup';

/** Whether a route has an authorizer of any kind (IAM, Lambda, JWT). */
export function hasAuthorizer(route: apigwv2.CfnRoute): boolean {
  return (route.authorizationType ?? 'NONE') !== 'NONE';
}

/**
 * The HTTP API of an HTTP route (the L2 when there is one, else the L1 API imported once), and the L2 route when
 * the route is one's default child: what aws-cdk-lib's route authorizers bind to.
 */
export function httpApiOf(route: apigwv2.CfnRoute): { api: apigwv2.IHttpApi; l2Route?: apigwv2.HttpRoute } {
  const l2Route = route.node.scope instanceof apigwv2.HttpRoute ? route.node.scope : undefined;
  if (l2Route) return { api: l2Route.httpApi, l2Route };
  return { api: l2ApiOf(route, apigwv2.HttpApi, 'HttpApi', (scope, id, apiId) => apigwv2.HttpApi.fromHttpApiAttributes(scope, id, { httpApiId: apiId })) };
}

/** The WebSocket API of a WebSocket route, and its L2 route, as `httpApiOf` finds them for HTTP routes. */
export function webSocketApiOf(route: apigwv2.CfnRoute): { api: apigwv2.IWebSocketApi; l2Route?: apigwv2.WebSocketRoute } {
  const l2Route = route.node.scope instanceof apigwv2.WebSocketRoute ? route.node.scope : undefined;
  if (l2Route) return { api: l2Route.webSocketApi, l2Route };
  return {
    api: l2ApiOf(route, apigwv2.WebSocketApi, 'WebSocketApi', (scope, id, apiId) => apigwv2.WebSocketApi.fromWebSocketApiAttributes(scope, id, { webSocketId: apiId })),
  };
}

/** The L2 API of `l2Class` whose default child is `cfnApi`, if it has one (an L1-only API has none). */
export function l2Of<A extends apigwv2.IApi>(cfnApi: apigwv2.CfnApi, l2Class: abstract new (...args: never[]) => A): A | undefined {
  const owner = cfnApi.node.scope;
  return owner instanceof l2Class && owner.node.defaultChild === cfnApi ? owner : undefined;
}

/** The L2 whose default child is the route's `CfnApi`, or that API imported once next to it. */
function l2ApiOf<A extends apigwv2.IApi>(
  route: apigwv2.CfnRoute,
  l2Class: abstract new (...args: never[]) => A,
  importSuffix: string,
  importApi: (scope: Construct, id: string, apiId: string) => A,
): A {
  const cfnApi = apiOf(route)!;
  const l2 = l2Of(cfnApi, l2Class);
  if (l2) return l2;
  const owner = cfnApi.node.scope as Construct;
  const id = `${cfnApi.node.id}${importSuffix}`;
  return (owner.node.tryFindChild(id) as A | undefined) ?? importApi(owner, id, cfnApi.ref);
}
