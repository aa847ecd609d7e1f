import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration, WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { hasAuthorizer, httpApiOf, webSocketApiOf } from '../../src/aspects/route-apis';

function routeOf(construct: { node: { defaultChild?: unknown } }): apigwv2.CfnRoute {
  return construct.node.defaultChild as apigwv2.CfnRoute;
}

describe('route APIs', () => {
  test('hasAuthorizer() is false for NONE or no authorization type, true for any other', () => {
    const stack = new Stack(new App(), 'Stack');
    const route = (id: string, authorizationType?: string) => new apigwv2.CfnRoute(stack, id, { apiId: 'api', routeKey: 'GET /x', authorizationType });
    expect(hasAuthorizer(route('A'))).toBe(false);
    expect(hasAuthorizer(route('B', 'NONE'))).toBe(false);
    expect(['AWS_IAM', 'JWT', 'CUSTOM'].map((type) => hasAuthorizer(route(type, type)))).toEqual([true, true, true]);
  });

  test('an L2 route gives its L2 API and itself', () => {
    const stack = new Stack(new App(), 'Stack');
    const http = new apigwv2.HttpApi(stack, 'Http');
    const [httpRoute] = http.addRoutes({ path: '/x', integration: new HttpUrlIntegration('Url', 'https://example.com') });
    const ws = new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration: new WebSocketMockIntegration('Mock') } });
    const connect = ws.node.findChild('$connect-Route') as apigwv2.WebSocketRoute;

    expect(httpApiOf(routeOf(httpRoute))).toEqual({ api: http, l2Route: httpRoute });
    expect(webSocketApiOf(routeOf(connect))).toEqual({ api: ws, l2Route: connect });
  });

  test('an L1 route of an L2 API gives that API and no L2 route', () => {
    const stack = new Stack(new App(), 'Stack');
    const http = new apigwv2.HttpApi(stack, 'Http');
    const route = new apigwv2.CfnRoute(stack, 'Raw', { apiId: http.apiId, routeKey: 'GET /raw' });

    expect(httpApiOf(route)).toEqual({ api: http });
  });

  test('an L1 route of an L1 API gives that API imported once, next to it', () => {
    const stack = new Stack(new App(), 'Stack');
    const http = new apigwv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
    const ws = new apigwv2.CfnApi(stack, 'Ws', { name: 'ws', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
    const get = new apigwv2.CfnRoute(stack, 'Get', { apiId: http.ref, routeKey: 'GET /a' });
    const post = new apigwv2.CfnRoute(stack, 'Post', { apiId: http.ref, routeKey: 'POST /a' });
    const connect = new apigwv2.CfnRoute(stack, 'Connect', { apiId: ws.ref, routeKey: '$connect' });

    const imported = httpApiOf(get).api;
    expect(imported.node.path).toBe('Stack/HttpHttpApi');
    expect(stack.resolve(imported.apiId)).toEqual({ Ref: 'Http' });
    expect(httpApiOf(post).api).toBe(imported);
    expect(webSocketApiOf(connect).api.node.path).toBe('Stack/WsWebSocketApi');
  });
});
