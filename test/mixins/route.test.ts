import { Mixin, Mixins, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnRoute, CfnRouteProps, CfnStage, HttpApi, HttpMethod, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, HttpUrlIntegration, WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { RouteApiKeyRequired, RouteAuthorization } from '../../src/mixins';
import { newFunction, newStack } from '../helpers';

const ROUTE = 'AWS::ApiGatewayV2::Route';

function cfnRoute(stack: Stack, routeKey: string, props: Partial<CfnRouteProps> = {}): CfnRoute {
  return new CfnRoute(stack, routeKey.replace(/\W/g, '_'), { apiId: 'api', routeKey, ...props });
}

function webSocketApi(stack: Stack): WebSocketApi {
  const integration = new WebSocketMockIntegration('Mock');
  return new WebSocketApi(stack, 'Ws', {
    connectRouteOptions: { integration },
    disconnectRouteOptions: { integration },
    defaultRouteOptions: { integration },
  });
}

describe('RouteApiKeyRequired', () => {
  test('is a Mixin whose supports() accepts $connect routes only', () => {
    const stack = newStack();
    const mixin = new RouteApiKeyRequired();
    expect(Mixin.isMixin(mixin)).toBe(true);
    expect(mixin.supports(cfnRoute(stack, '$connect'))).toBe(true);
    expect(mixin.supports(cfnRoute(stack, '$disconnect'))).toBe(false);
    expect(mixin.supports(cfnRoute(stack, 'sendmessage'))).toBe(false);
    expect(mixin.supports(new CfnStage(stack, 'Stage', { apiId: 'api', stageName: 'prod' }))).toBe(false);
  });

  test('with() on the L1 $connect route requires an API key', () => {
    const stack = newStack();
    cfnRoute(stack, '$connect').with(new RouteApiKeyRequired());
    Template.fromStack(stack).hasResourceProperties(ROUTE, { RouteKey: '$connect', ApiKeyRequired: true });
  });

  test('with() on the L2 WebSocketApi only touches $connect', () => {
    const stack = newStack();
    const api = webSocketApi(stack);
    api.addRoute('sendmessage', { integration: new WebSocketMockIntegration('Send') });
    api.with(new RouteApiKeyRequired());
    const template = Template.fromStack(stack);
    template.resourceCountIs(ROUTE, 4);
    expect(Object.keys(template.findResources(ROUTE, { Properties: { ApiKeyRequired: true } }))).toHaveLength(1);
    template.hasResourceProperties(ROUTE, { RouteKey: '$connect', ApiKeyRequired: true });
    for (const routeKey of ['$disconnect', '$default', 'sendmessage']) {
      template.hasResourceProperties(ROUTE, { RouteKey: routeKey, ApiKeyRequired: Match.absent() });
    }
  });

  test('Mixins.of(scope).apply() leaves HTTP routes alone', () => {
    const stack = newStack();
    cfnRoute(stack, 'GET /books');
    cfnRoute(stack, '$connect');
    Mixins.of(stack).apply(new RouteApiKeyRequired());
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /books', ApiKeyRequired: Match.absent() });
    template.hasResourceProperties(ROUTE, { RouteKey: '$connect', ApiKeyRequired: true });
  });
});

describe('RouteAuthorization', () => {
  test('isOpen() is true for routes without authorization that are not OPTIONS', () => {
    const stack = newStack();
    expect(RouteAuthorization.isOpen(cfnRoute(stack, 'GET /a'))).toBe(true);
    expect(RouteAuthorization.isOpen(cfnRoute(stack, 'GET /b', { authorizationType: 'NONE' }))).toBe(true);
    expect(RouteAuthorization.isOpen(cfnRoute(stack, 'GET /c', { authorizationType: 'AWS_IAM' }))).toBe(false);
    expect(RouteAuthorization.isOpen(cfnRoute(stack, 'OPTIONS /d'))).toBe(false);
  });

  test('is a Mixin whose supports() is isOpen() on routes', () => {
    const stack = newStack();
    const mixin = new RouteAuthorization({ authorizerId: 'auth' });
    expect(Mixin.isMixin(mixin)).toBe(true);
    expect(mixin.supports(cfnRoute(stack, 'GET /a'))).toBe(true);
    expect(mixin.supports(cfnRoute(stack, 'OPTIONS /a'))).toBe(false);
    expect(mixin.supports(new CfnStage(stack, 'Stage', { apiId: 'api', stageName: 'prod' }))).toBe(false);
  });

  test('with() on the L1 puts a CUSTOM authorizer on an open route', () => {
    const stack = newStack();
    cfnRoute(stack, 'GET /books').with(new RouteAuthorization({ authorizerId: 'auth123' }));
    Template.fromStack(stack).hasResourceProperties(ROUTE, { RouteKey: 'GET /books', AuthorizationType: 'CUSTOM', AuthorizerId: 'auth123' });
  });

  test('uses the given authorization type', () => {
    const stack = newStack();
    cfnRoute(stack, 'GET /books').with(new RouteAuthorization({ authorizerId: 'jwt1', authorizationType: 'JWT' }));
    Template.fromStack(stack).hasResourceProperties(ROUTE, { AuthorizationType: 'JWT', AuthorizerId: 'jwt1' });
  });

  test('writes the JWT scopes of a JWT authorizer to the route', () => {
    const stack = newStack();
    cfnRoute(stack, 'DELETE /books/{id}').with(new RouteAuthorization({ authorizerId: 'jwt1', authorizationType: 'JWT', authorizationScopes: ['books/admin'] }));
    Template.fromStack(stack).hasResourceProperties(ROUTE, { AuthorizationType: 'JWT', AuthorizerId: 'jwt1', AuthorizationScopes: ['books/admin'] });
  });

  test('AWS_IAM needs no authorizer id', () => {
    const stack = newStack();
    cfnRoute(stack, 'GET /books').with(new RouteAuthorization({ authorizationType: 'AWS_IAM' }));
    Template.fromStack(stack).hasResourceProperties(ROUTE, { AuthorizationType: 'AWS_IAM', AuthorizerId: Match.absent(), AuthorizationScopes: Match.absent() });
  });

  test('throws when an authorizer id is missing, or given with AWS_IAM', () => {
    expect(() => new RouteAuthorization({ authorizationType: 'JWT' })).toThrow('RouteAuthorization with authorizationType "JWT" needs the authorizerId of its authorizer.');
    expect(() => new RouteAuthorization({ authorizerId: 'x', authorizationType: 'AWS_IAM' }))
      .toThrow('RouteAuthorization with authorizationType "AWS_IAM" takes no authorizerId: IAM authorization has no authorizer resource.');
  });

  test('throws when scopes are given with an authorizer that is not JWT', () => {
    expect(() => new RouteAuthorization({ authorizerId: 'x', authorizationScopes: ['books/admin'] }))
      .toThrow('RouteAuthorization has authorizationScopes ["books/admin"] with authorizationType "CUSTOM": API Gateway checks scopes only with a JWT authorizer.');
  });

  test('with() on the L2 HttpApi leaves authorized and OPTIONS routes alone', () => {
    const stack = newStack();
    const api = new HttpApi(stack, 'Http');
    const integration = new HttpUrlIntegration('Url', 'https://backend.example.com');
    api.addRoutes({ path: '/open', methods: [HttpMethod.GET], integration });
    api.addRoutes({ path: '/iam', methods: [HttpMethod.GET], integration, authorizer: new HttpIamAuthorizer() });
    api.addRoutes({ path: '/open', methods: [HttpMethod.OPTIONS], integration });
    api.with(new RouteAuthorization({ authorizerId: 'auth123' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /open', AuthorizationType: 'CUSTOM', AuthorizerId: 'auth123' });
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /iam', AuthorizationType: 'AWS_IAM', AuthorizerId: Match.absent() });
    template.hasResourceProperties(ROUTE, { RouteKey: 'OPTIONS /open', AuthorizationType: 'NONE', AuthorizerId: Match.absent() });
  });

  test('an OPTIONS route that invokes a Lambda function is open like any other route', () => {
    const stack = newStack();
    const api = new HttpApi(stack, 'Http');
    api.addRoutes({ path: '/lambda', methods: [HttpMethod.OPTIONS], integration: new HttpLambdaIntegration('Fn', newFunction(stack)) });
    api.addRoutes({ path: '/url', methods: [HttpMethod.OPTIONS], integration: new HttpUrlIntegration('Url', 'https://backend.example.com') });
    api.with(new RouteAuthorization({ authorizerId: 'auth123' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: 'OPTIONS /lambda', AuthorizationType: 'CUSTOM', AuthorizerId: 'auth123' });
    template.hasResourceProperties(ROUTE, { RouteKey: 'OPTIONS /url', AuthorizationType: 'NONE', AuthorizerId: Match.absent() });
  });

  test('with() on the L2 WebSocketApi only touches $connect', () => {
    const stack = newStack();
    const api = webSocketApi(stack);
    api.addRoute('sendmessage', { integration: new WebSocketMockIntegration('Send') });
    api.with(new RouteAuthorization({ authorizerId: 'auth123' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: 'auth123' });
    for (const routeKey of ['$disconnect', '$default', 'sendmessage']) {
      template.hasResourceProperties(ROUTE, { RouteKey: routeKey, AuthorizationType: 'NONE', AuthorizerId: Match.absent() });
    }
  });

  test('authorizes an HTTP $default route', () => {
    const stack = newStack();
    const api = new HttpApi(stack, 'Http', { defaultIntegration: new HttpUrlIntegration('Url', 'https://backend.example.com') });
    api.with(new RouteAuthorization({ authorizerId: 'auth123' }));
    Template.fromStack(stack).hasResourceProperties(ROUTE, { RouteKey: '$default', AuthorizerId: 'auth123' });
  });

  test('Mixins.of(scope).apply() keeps a route that already has an authorizer', () => {
    const stack = newStack();
    cfnRoute(stack, 'GET /mine', { authorizationType: 'CUSTOM', authorizerId: 'mine' });
    cfnRoute(stack, 'GET /open');
    Mixins.of(stack).apply(new RouteAuthorization({ authorizerId: 'theirs' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /mine', AuthorizerId: 'mine' });
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /open', AuthorizerId: 'theirs' });
  });
});
