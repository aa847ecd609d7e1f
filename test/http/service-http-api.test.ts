import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CorsHttpMethod, DomainName, HttpApi, HttpApiProps, HttpMethod, HttpStage, IpAddressType } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Node } from 'constructs';
import { ServiceHttpApi } from '../../src/http';
import { newFunction, newStack, propsOf } from '../helpers';

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

  test('a route may require JWT scopes of its authorizer', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    const authorizer = new HttpJwtAuthorizer('Jwt', 'https://example.auth0.com/', { jwtAudience: ['books'] });
    api.addLambdaRoute('DELETE /books/{id}', newFunction(stack), { authorizer, authorizationScopes: ['books/admin'] });
    Template.fromStack(stack).hasResourceProperties(ROUTE, { RouteKey: 'DELETE /books/{id}', AuthorizationType: 'JWT', AuthorizationScopes: ['books/admin'] });
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

  test('adding a route never scans the stack or the API\'s children, so adding n routes stays linear in n', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    const fn = newFunction(stack);
    api.addLambdaRoute('GET /items0', fn);
    const findAll = jest.spyOn(Node.prototype, 'findAll');
    const children = jest.spyOn(Node.prototype, 'children', 'get');
    try {
      for (let i = 1; i < 50; i++) api.addLambdaRoute(`GET /items${i}`, fn);
      expect(findAll).not.toHaveBeenCalled();
      expect(children).not.toHaveBeenCalled();
    } finally {
      findAll.mockRestore();
      children.mockRestore();
    }
    Template.fromStack(stack).resourceCountIs(PERMISSION, 1);
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

  describe('is HttpApi for every HttpApiProps prop', () => {
    const domainMapping = (stack: Stack) => ({
      domainName: new DomainName(stack, 'Domain', {
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc'),
      }),
      mappingKey: 'v1',
    });
    /** One value for each prop, built in the stack; the test fails when aws-cdk-lib adds a prop this does not list. */
    const VALUES: Record<keyof HttpApiProps, (stack: Stack) => HttpApiProps> = {
      apiName: () => ({ apiName: 'books' }),
      description: () => ({ description: 'Books API' }),
      defaultIntegration: () => ({ defaultIntegration: new HttpUrlIntegration('Url', 'https://backend.example.com') }),
      createDefaultStage: () => ({ createDefaultStage: false }),
      corsPreflight: () => ({ corsPreflight: { allowOrigins: ['https://app.example.com'], allowMethods: [CorsHttpMethod.GET] } }),
      defaultDomainMapping: (stack) => ({ defaultDomainMapping: domainMapping(stack) }),
      disableExecuteApiEndpoint: () => ({ disableExecuteApiEndpoint: true }),
      defaultAuthorizer: () => ({ defaultAuthorizer: new HttpIamAuthorizer() }),
      defaultAuthorizationScopes: () => ({
        defaultAuthorizer: new HttpJwtAuthorizer('Jwt', 'https://issuer.example.com', { jwtAudience: ['books'] }),
        defaultAuthorizationScopes: ['books/read'],
      }),
      routeSelectionExpression: () => ({ routeSelectionExpression: true }),
      ipAddressType: () => ({ ipAddressType: IpAddressType.DUAL_STACK }),
    };

    test('the list covers every prop aws-cdk-lib declares', () => {
      expect(Object.keys(VALUES).sort()).toEqual(propsOf('aws-apigatewayv2/lib/http/api.d.ts', 'HttpApiProps').sort());
    });

    test.each(Object.keys(VALUES))('%s: same template as HttpApi, with a route and a Lambda route', (prop) => {
      const build = (Api: typeof HttpApi) => {
        const stack = newStack();
        const api = new Api(stack, 'Api', VALUES[prop as keyof HttpApiProps](stack));
        api.addRoutes({ path: '/books', methods: [HttpMethod.GET], integration: new HttpUrlIntegration('Books', 'https://backend.example.com/books') });
        return Template.fromStack(stack).toJSON();
      };
      expect(build(ServiceHttpApi)).toEqual(build(HttpApi));
    });
  });

  test('createDefaultStage: false, then addStage and new HttpStage, as with HttpApi', () => {
    const build = (Api: typeof HttpApi) => {
      const stack = newStack();
      const api = new Api(stack, 'Api', { createDefaultStage: false });
      api.addStage('Prod', { stageName: 'prod', autoDeploy: true });
      new HttpStage(stack, 'Dev', { httpApi: api, stageName: 'dev' });
      expect(api.defaultStage).toBeUndefined();
      expect(api.url).toBeUndefined();
      return Template.fromStack(stack).toJSON();
    };
    const template = build(ServiceHttpApi);
    expect(template).toEqual(build(HttpApi));
    expect(Object.values(template.Resources).filter((r: any) => r.Type === STAGE)).toHaveLength(2);
  });

  test('throws when the stage is asked for and createDefaultStage is false', () => {
    const api = new ServiceHttpApi(newStack(), 'Api', { createDefaultStage: false });
    expect(() => api.stage).toThrow('ServiceHttpApi Stack/Api has no default stage (createDefaultStage: false): use the stage addStage() returned');
  });

  test('deploys to the auto-deployed $default stage by default', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api');
    expect(api.stage).toBe(api.defaultStage);
    const template = Template.fromStack(stack);
    template.resourceCountIs(STAGE, 1);
    template.hasResourceProperties(STAGE, { StageName: '$default', AutoDeploy: true });
  });

  test('a stage name gives that stage, auto-deployed, as the default stage: defaultStage, stage and url are it', () => {
    const stack = newStack();
    const api = new ServiceHttpApi(stack, 'Api', { stageName: 'prod' });
    expect(api.stage.stageName).toBe('prod');
    expect(api.defaultStage).toBe(api.stage);
    expect(stack.resolve(api.url)).toEqual(stack.resolve(api.stage.url));
    expect(stack.resolve(api.url)['Fn::Join'][1].slice(-1)[0]).toMatch(/\/prod\/?$/);
    const template = Template.fromStack(stack);
    template.resourceCountIs(STAGE, 1);
    template.hasResourceProperties(STAGE, { StageName: 'prod', AutoDeploy: true });
  });

  test('a named default stage is HttpApi without its default stage plus addStage(\'Stage\'), defaultDomainMapping included', () => {
    const mapping = (stack: Stack) => ({
      domainName: new DomainName(stack, 'Domain', {
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc'),
      }),
    });
    const ours = newStack();
    new ServiceHttpApi(ours, 'Api', { stageName: 'prod', defaultDomainMapping: mapping(ours) });
    const theirs = newStack();
    const domainMapping = mapping(theirs);
    const api = new HttpApi(theirs, 'Api', { createDefaultStage: false });
    api.addStage('Stage', { stageName: 'prod', autoDeploy: true, domainMapping }).node.addDependency(domainMapping.domainName);

    expect(Template.fromStack(ours).toJSON()).toEqual(Template.fromStack(theirs).toJSON());
    Template.fromStack(ours).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { Stage: 'prod' });
  });

  test('throws when a stage name is given with createDefaultStage: false', () => {
    expect(() => new ServiceHttpApi(newStack(), 'Api', { stageName: 'prod', createDefaultStage: false }))
      .toThrow('ServiceHttpApi Stack/Api has stageName "prod" and createDefaultStage: false: stageName names the default stage');
  });
});
