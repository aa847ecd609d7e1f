import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ServiceHttpApi } from '../../src/http';
import { newFunction, newStack } from '../helpers';

const API = 'AWS::ApiGatewayV2::Api';
const ROUTE = 'AWS::ApiGatewayV2::Route';
const INTEGRATION = 'AWS::ApiGatewayV2::Integration';
const STAGE = 'AWS::ApiGatewayV2::Stage';
const PERMISSION = 'AWS::Lambda::Permission';

function logicalIdOf(stack: Stack, type: string): string {
  const ids = Object.keys(Template.fromStack(stack).findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('ServiceHttpApi', () => {
  test('is an aws-cdk-lib HttpApi that keeps every parent prop', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api', {
      apiName: 'books',
      description: 'Books API',
      corsPreflight: { allowOrigins: ['https://app.example.com'], allowMethods: [CorsHttpMethod.GET] },
      disableExecuteApiEndpoint: true,
    });
    expect(api).toBeInstanceOf(HttpApi);
    Template.fromStack(stack).hasResourceProperties(API, {
      Name: 'books',
      Description: 'Books API',
      ProtocolType: 'HTTP',
      DisableExecuteApiEndpoint: true,
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET'] },
    });
  });

  test('the default authorizer applies to Lambda routes, and a route may give its own', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api', { defaultAuthorizer: new HttpIamAuthorizer() });
    const fn = newFunction(stack);
    api.addLambdaRoute('GET /private', fn);
    api.addLambdaRoute('GET /also-private', fn, { authorizer: new HttpIamAuthorizer() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /private', AuthorizationType: 'AWS_IAM' });
    template.hasResourceProperties(ROUTE, { RouteKey: 'GET /also-private', AuthorizationType: 'AWS_IAM' });
  });

  test('addLambdaRoute creates routes with the right RouteKey, all behind one integration and one permission', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    const fn = newFunction(stack);
    const keys = ['GET /books', 'GET /books/{id}', 'ANY /{proxy+}', '$default', 'GET /'];
    for (const key of keys) api.addLambdaRoute(key, fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs(ROUTE, keys.length);
    const integrationId = logicalIdOf(stack, INTEGRATION);
    for (const key of keys) {
      template.hasResourceProperties(ROUTE, {
        RouteKey: key,
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
      });
    }
    template.hasResourceProperties(INTEGRATION, { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    template.resourceCountIs(PERMISSION, 1);
    template.hasResourceProperties(PERMISSION, {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/\\*/\\*$')])] },
    });
  });

  test('each function gets its own integration and permission', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    api.addLambdaRoute('GET /a', newFunction(stack, 'A'));
    api.addLambdaRoute('GET /b', newFunction(stack, 'B'));
    api.addLambdaRoute('POST /b', newFunction(stack, 'B2'));
    const template = Template.fromStack(stack);
    template.resourceCountIs(INTEGRATION, 3);
    template.resourceCountIs(PERMISSION, 3);
  });

  test('returns the route', () => {
    const stack = newStack();
    const route = new ServiceHttpApi(stack, 'Api').addLambdaRoute('GET /books/{id}', newFunction(stack));
    expect(route.path).toBe('/books/{id}');
  });

  test('300 routes to one function stay well under 500 resources', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    const fn = newFunction(stack);
    for (let i = 0; i < 300; i++) api.addLambdaRoute(`GET /items${i}/{id}`, fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs(ROUTE, 300);
    template.resourceCountIs(INTEGRATION, 1);
    template.resourceCountIs(PERMISSION, 1);
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(500);
  });

  test('throws when a route key is added twice', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    api.addLambdaRoute('GET /books/{id}', newFunction(stack));
    expect(() => api.addLambdaRoute('GET /books/{id}', newFunction(stack, 'Other')))
      .toThrow('HTTP route "GET /books/{id}" is already on API "Api": each route key may be added once');
  });

  test('throws when the route key is already taken by a route the parent made', () => {
    const stack = newStack();
    const integration = new HttpUrlIntegration('Url', 'https://backend.example.com');
    const api = new ServiceHttpApi(stack, 'Api', { defaultIntegration: integration });
    api.addRoutes({ path: '/books', methods: [HttpMethod.GET], integration });
    expect(() => api.addLambdaRoute('$default', newFunction(stack))).toThrow('HTTP route "$default" is already on API "Api"');
    expect(() => api.addLambdaRoute('GET /books', newFunction(stack, 'Other'))).toThrow('HTTP route "GET /books" is already on API "Api"');
  });

  test('throws when the route key is malformed, naming it', () => {
    const stack = newStack();
    expect(() => new ServiceHttpApi(stack, 'Api').addLambdaRoute('GET books', newFunction(stack))).toThrow('HTTP route key "GET books"');
  });

  test('deploys to the auto-deployed $default stage by default', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    expect(api.stage).toBe(api.defaultStage);
    const template = Template.fromStack(stack);
    template.resourceCountIs(STAGE, 1);
    template.hasResourceProperties(STAGE, { StageName: '$default', AutoDeploy: true });
  });

  test('a stage name gives that stage, auto-deployed, and no $default stage', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api', { stageName: 'prod' });
    expect(api.stage.stageName).toBe('prod');
    expect(api.defaultStage).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs(STAGE, 1);
    template.hasResourceProperties(STAGE, { StageName: 'prod', AutoDeploy: true });
  });

  test('throws when createDefaultStage is false and there is no stage name', () => {
    expect(() => new ServiceHttpApi(newStack(), 'Api', { createDefaultStage: false }))
      .toThrow('ServiceHttpApi "Api" has createDefaultStage: false and no stageName: give a stageName such as "prod"');
  });
});
