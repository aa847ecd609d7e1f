import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ServiceWebSocketApi } from '../../src/websocket';
import { newFunction, newStack } from '../helpers';

const API = 'AWS::ApiGatewayV2::Api';
const ROUTE = 'AWS::ApiGatewayV2::Route';
const INTEGRATION = 'AWS::ApiGatewayV2::Integration';
const STAGE = 'AWS::ApiGatewayV2::Stage';

function integrationTarget(stack: Stack) {
  const ids = Object.keys(Template.fromStack(stack).findResources(INTEGRATION));
  expect(ids).toHaveLength(1);
  return { 'Fn::Join': ['', ['integrations/', { Ref: ids[0] }]] };
}

describe('ServiceWebSocketApi', () => {
  test('is an aws-cdk-lib WebSocketApi that keeps every parent prop', () => {
    const stack = newStack();
    const api = new ServiceWebSocketApi(stack, 'Ws', {
      apiName: 'chat',
      description: 'Chat API',
      routeSelectionExpression: '$request.body.type',
    });
    expect(api).toBeInstanceOf(WebSocketApi);
    Template.fromStack(stack).hasResourceProperties(API, {
      Name: 'chat',
      Description: 'Chat API',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.type',
    });
  });

  test('the lifecycle handlers make the $connect, $disconnect and $default routes', () => {
    const stack = newStack();
    new ServiceWebSocketApi(stack, 'Ws', {
      connectHandler: newFunction(stack, 'Connect'),
      disconnectHandler: newFunction(stack, 'Disconnect'),
      defaultHandler: newFunction(stack, 'Default'),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs(ROUTE, 3);
    template.resourceCountIs(INTEGRATION, 3);
    for (const routeKey of ['$connect', '$disconnect', '$default']) {
      template.hasResourceProperties(ROUTE, { RouteKey: routeKey, Target: Match.anyValue() });
    }
  });

  test('without handlers there are no routes', () => {
    const stack = newStack();
    new ServiceWebSocketApi(stack, 'Ws');
    Template.fromStack(stack).resourceCountIs(ROUTE, 0);
  });

  test('addLambdaRoute adds a custom route; one function behind several routes has one integration', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    const api = new ServiceWebSocketApi(stack, 'Ws', { connectHandler: fn, defaultHandler: fn });
    const route = api.addLambdaRoute('sendmessage', fn);
    expect(route.routeKey).toBe('sendmessage');
    const template = Template.fromStack(stack);
    template.resourceCountIs(ROUTE, 3);
    const target = integrationTarget(stack);
    for (const routeKey of ['$connect', '$default', 'sendmessage']) {
      template.hasResourceProperties(ROUTE, { RouteKey: routeKey, Target: target });
    }
    template.hasResourceProperties(INTEGRATION, { IntegrationType: 'AWS_PROXY' });
  });

  test('returnResponse: true creates a route response', () => {
    const stack = newStack();
    const api = new ServiceWebSocketApi(stack, 'Ws');
    api.addLambdaRoute('echo', newFunction(stack), { returnResponse: true });
    api.addLambdaRoute('fire', newFunction(stack, 'Fire'));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', { RouteResponseKey: '$default' });
    template.hasResourceProperties(ROUTE, { RouteKey: 'echo', RouteResponseSelectionExpression: '$default' });
    template.hasResourceProperties(ROUTE, { RouteKey: 'fire', RouteResponseSelectionExpression: Match.absent() });
  });

  test('deploys to an auto-deployed stage named prod', () => {
    const stack = newStack();
    const api = new ServiceWebSocketApi(stack, 'Ws');
    expect(api.stage.stageName).toBe('prod');
    const template = Template.fromStack(stack);
    template.resourceCountIs(STAGE, 1);
    template.hasResourceProperties(STAGE, { StageName: 'prod', AutoDeploy: true });
  });

  test('the stage name can be given', () => {
    const stack = newStack();
    new ServiceWebSocketApi(stack, 'Ws', { stageName: 'dev' });
    Template.fromStack(stack).hasResourceProperties(STAGE, { StageName: 'dev', AutoDeploy: true });
  });

  test('throws when a route key is added twice', () => {
    const stack = newStack();
    const api = new ServiceWebSocketApi(stack, 'Ws', { defaultHandler: newFunction(stack) });
    api.addLambdaRoute('sendmessage', newFunction(stack, 'Send'));
    expect(() => api.addLambdaRoute('sendmessage', newFunction(stack, 'Other')))
      .toThrow('WebSocket route "sendmessage" is already on API "Ws": each route key may be added once');
    expect(() => api.addLambdaRoute('$default', newFunction(stack, 'Other2'))).toThrow('WebSocket route "$default" is already on API "Ws"');
  });

  test('throws when a handler and the parent\'s route options give the same lifecycle route', () => {
    const stack = newStack();
    expect(() => new ServiceWebSocketApi(stack, 'Ws', {
      connectHandler: newFunction(stack),
      connectRouteOptions: { integration: new WebSocketMockIntegration('Mock') },
    })).toThrow('WebSocket route "$connect" is already on API "Ws"');
  });

  test('throws when the route key is not valid, naming it', () => {
    const stack = newStack();
    expect(() => new ServiceWebSocketApi(stack, 'Ws').addLambdaRoute('send message', newFunction(stack)))
      .toThrow('WebSocket route key "send message" is not valid');
  });
});
