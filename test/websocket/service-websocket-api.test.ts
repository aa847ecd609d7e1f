import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IpAddressType, WebSocketApi, WebSocketApiKeySelectionExpression, WebSocketApiProps, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ServiceWebSocketApi, WebSocketApiKeyAuthorizer } from '../../src/websocket';
import { newFunction, newStack, propsOf } from '../helpers';

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

  test('connectAuthorizer goes on the $connect route, and on no other', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    new ServiceWebSocketApi(stack, 'Ws', { connectHandler: fn, defaultHandler: fn, connectAuthorizer: new WebSocketIamAuthorizer() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: '$connect', AuthorizationType: 'AWS_IAM', ApiKeyRequired: Match.absent() });
    template.hasResourceProperties(ROUTE, { RouteKey: '$default', AuthorizationType: 'NONE' });
    template.hasResourceProperties(API, { ApiKeySelectionExpression: Match.absent() });
  });

  test('a WebSocketApiKeyAuthorizer as connectAuthorizer makes $connect require the key it returns', () => {
    const stack = newStack();
    const authorizer = new WebSocketApiKeyAuthorizer(stack, 'ApiKey');
    new ServiceWebSocketApi(stack, 'Ws', { connectHandler: newFunction(stack), connectAuthorizer: authorizer });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: '$connect', AuthorizationType: 'CUSTOM', ApiKeyRequired: true });
    template.hasResourceProperties(API, { ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
  });

  test('throws when connectAuthorizer comes without connectHandler', () => {
    const stack = newStack();
    expect(() => new ServiceWebSocketApi(stack, 'Ws', { connectAuthorizer: new WebSocketIamAuthorizer() }))
      .toThrow('ServiceWebSocketApi Stack/Ws has a connectAuthorizer but no connectHandler: the authorizer goes on the $connect route made for connectHandler.');
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

  describe('is WebSocketApi plus its stage, for every WebSocketApiProps prop', () => {
    /** One value for each prop; the test fails when aws-cdk-lib adds a prop this does not list. */
    const VALUES: Record<keyof WebSocketApiProps, () => WebSocketApiProps> = {
      apiName: () => ({ apiName: 'chat' }),
      apiKeySelectionExpression: () => ({ apiKeySelectionExpression: WebSocketApiKeySelectionExpression.HEADER_X_API_KEY }),
      description: () => ({ description: 'Chat API' }),
      routeSelectionExpression: () => ({ routeSelectionExpression: '$request.body.type' }),
      connectRouteOptions: () => ({ connectRouteOptions: { integration: new WebSocketMockIntegration('Connect'), authorizer: new WebSocketIamAuthorizer() } }),
      disconnectRouteOptions: () => ({ disconnectRouteOptions: { integration: new WebSocketMockIntegration('Disconnect') } }),
      defaultRouteOptions: () => ({ defaultRouteOptions: { integration: new WebSocketMockIntegration('Fallback') } }),
      ipAddressType: () => ({ ipAddressType: IpAddressType.DUAL_STACK }),
      disableSchemaValidation: () => ({ disableSchemaValidation: true }),
    };

    test('the list covers every prop aws-cdk-lib declares', () => {
      expect(Object.keys(VALUES).sort()).toEqual(propsOf('aws-apigatewayv2/lib/websocket/api.d.ts', 'WebSocketApiProps').sort());
    });

    // The documented difference: ServiceWebSocketApi adds its auto-deployed stage `prod`, as child `Stage`.
    test.each(Object.keys(VALUES))('%s: same template as WebSocketApi with new WebSocketStage(api, \'Stage\', prod, autoDeploy)', (prop) => {
      const props = VALUES[prop as keyof WebSocketApiProps];
      const ours = newStack();
      new ServiceWebSocketApi(ours, 'Ws', props());
      const theirs = newStack();
      const api = new WebSocketApi(theirs, 'Ws', props());
      new WebSocketStage(api, 'Stage', { webSocketApi: api, stageName: 'prod', autoDeploy: true });

      expect(Template.fromStack(ours).toJSON()).toEqual(Template.fromStack(theirs).toJSON());
    });
  });

  test('createDefaultStage: false builds it without a stage, as WebSocketApi, for a WebSocketStage of your own', () => {
    const build = (Api: typeof WebSocketApi) => {
      const stack = newStack();
      const api = new Api(stack, 'Ws', { createDefaultStage: false } as WebSocketApiProps);
      new WebSocketStage(stack, 'Live', { webSocketApi: api, stageName: 'live' });
      return Template.fromStack(stack).toJSON();
    };
    const template = build(ServiceWebSocketApi);
    expect(template).toEqual(build(WebSocketApi));
    expect(Object.values(template.Resources).filter((r: any) => r.Type === STAGE).map((r: any) => r.Properties.StageName)).toEqual(['live']);
  });

  test('throws when the stage is asked for and createDefaultStage is false', () => {
    const api = new ServiceWebSocketApi(newStack(), 'Ws', { createDefaultStage: false });
    expect(() => api.stage).toThrow('ServiceWebSocketApi Stack/Ws has no stage of its own (createDefaultStage: false): use the WebSocketStage you created.');
  });

  test('throws when a stage name is given with createDefaultStage: false', () => {
    expect(() => new ServiceWebSocketApi(newStack(), 'Ws', { createDefaultStage: false, stageName: 'dev' }))
      .toThrow('ServiceWebSocketApi Stack/Ws has stageName "dev" and createDefaultStage: false: stageName names the stage createDefaultStage: false leaves out');
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
