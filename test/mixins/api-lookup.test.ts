import { Fn } from 'aws-cdk-lib';
import { CfnApi, CfnIntegration, CfnRoute, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, HttpUrlIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { apiOf, integrationOf, invokesLambda } from '../../src/mixins/api-lookup';
import { newFunction, newStack } from '../helpers';

describe('apiOf / integrationOf', () => {
  test('find the API and integration of an L2 route', () => {
    const stack = newStack();
    const api = new HttpApi(stack, 'Http');
    const [route] = api.addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('Fn', newFunction(stack)) });
    const cfnRoute = route.node.defaultChild as CfnRoute;
    expect(apiOf(cfnRoute)).toBe(api.node.defaultChild);
    expect(invokesLambda(integrationOf(cfnRoute))).toBe(true);
  });

  test('find them for an L1 route that names them by Ref or GetAtt', () => {
    const stack = newStack();
    const api = new CfnApi(stack, 'Api', { name: 'a', protocolType: 'HTTP' });
    const integration = new CfnIntegration(stack, 'Integration', { apiId: Fn.ref('Api'), integrationType: 'HTTP_PROXY', integrationUri: 'https://x.example.com', integrationMethod: 'ANY', payloadFormatVersion: '1.0' });
    const route = new CfnRoute(stack, 'Route', { apiId: api.attrApiId, routeKey: 'GET /a', target: `integrations/${Fn.ref('Integration')}` });
    expect(apiOf(route)).toBe(api);
    expect(apiOf(integration)).toBe(api);
    expect(integrationOf(route)).toBe(integration);
    expect(invokesLambda(integration)).toBe(false);
  });

  test('find nothing for an API or integration outside the stack', () => {
    const stack = newStack();
    const route = new CfnRoute(stack, 'Route', { apiId: 'abc123', routeKey: 'GET /a', target: 'integrations/xyz' });
    expect(apiOf(route)).toBeUndefined();
    expect(integrationOf(route)).toBeUndefined();
    expect(invokesLambda(undefined)).toBe(false);
  });

  test('a WebSocket Lambda integration invokes Lambda; an HTTP URL integration does not', () => {
    const stack = newStack();
    const ws = new WebSocketApi(stack, 'Ws', { defaultRouteOptions: { integration: new WebSocketLambdaIntegration('Ws', newFunction(stack)) } });
    const http = new HttpApi(stack, 'Http');
    const route = new HttpRoute(stack, 'R', { httpApi: http, routeKey: HttpRouteKey.with('/u', HttpMethod.GET), integration: new HttpUrlIntegration('Url', 'https://x.example.com') });
    const wsRoute = ws.node.findChild('$default-Route').node.defaultChild as CfnRoute;
    expect(invokesLambda(integrationOf(wsRoute))).toBe(true);
    expect(invokesLambda(integrationOf(route.node.defaultChild as CfnRoute))).toBe(false);
  });
});
