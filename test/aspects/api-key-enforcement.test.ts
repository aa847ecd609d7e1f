import { App, AspectPriority, Aspects, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, WebSocketIamAuthorizer, WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Flavour, logicalIdOf, plainStack, routeProps, serviceStack, testFunction } from './service-fixture';
import { ApiKeyEnforcement } from '../../src/aspects/api-key-enforcement';
import { AspectMode } from '../../src/aspects/aspect-mode';

function addAspects(stack: Stack, ...aspects: ApiKeyEnforcement[]): Stack {
  aspects.forEach((aspect) => Aspects.of(stack).add(aspect, { priority: aspect.priority }));
  return stack;
}

/** The logical id of the HTTP API-key authorizer (the one that reads the x-api-key header). */
function httpAuthorizerOf(template: Template): string {
  return logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['$request.header.x-api-key'] });
}

describe('ApiKeyEnforcement', () => {
  test('runs as MUTATING in apply mode and READONLY in audit mode', () => {
    expect(new ApiKeyEnforcement().priority).toBe(AspectPriority.MUTATING);
    expect(new ApiKeyEnforcement({ mode: AspectMode.AUDIT }).priority).toBe(AspectPriority.READONLY);
  });

  describe.each<Flavour>(['plain', 'wrappers'])('apply mode, %s WebSocket API', (flavour) => {
    let template: Template;
    beforeAll(() => {
      template = Template.fromStack(addAspects(serviceStack(flavour), new ApiKeyEnforcement()));
    });

    test('lets browsers pass the key: $connect gets the WebSocketApiKeyAuthorizer (?apiKey= or x-api-key) and the API selects the key it returns', () => {
      const api = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
      const authorizer = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { ApiId: { Ref: api } });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { ApiId: { Ref: api }, AuthorizerType: 'REQUEST', IdentitySource: [] });
      expect(routeProps(template, '$connect')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer }, ApiKeyRequired: true });
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { API_KEY_QUERY_PARAMETER: 'apiKey' } } });
    });

    test('requires the key on $connect and on no other route', () => {
      expect(routeProps(template, '$connect').ApiKeyRequired).toBe(true);
      for (const key of ['$disconnect', '$default', 'sendmessage']) {
        expect(routeProps(template, key).ApiKeyRequired).toBeUndefined();
      }
    });

    test('puts the stage in a throttled usage plan with one API key, and outputs the key id', () => {
      const api = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
      const stage = logicalIdOf(template, 'AWS::ApiGatewayV2::Stage', { ApiId: { Ref: api } });
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
      template.hasResource('AWS::ApiGateway::UsagePlan', {
        Properties: { ApiStages: [{ ApiId: { Ref: api }, Stage: 'prod' }], Throttle: { RateLimit: 50, BurstLimit: 100 } },
        DependsOn: Match.arrayWith([stage]),
      });
      const plan = logicalIdOf(template, 'AWS::ApiGateway::UsagePlan');
      const key = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', { Enabled: true });
      template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyId: { Ref: key }, KeyType: 'API_KEY', UsagePlanId: { Ref: plan } });
      expect(Object.values(template.findOutputs('*', { Value: { Ref: key } }))).toHaveLength(1);
    });

    test('gives every open HTTP route the API-key authorizer, one REQUEST authorizer for the API', () => {
      const api = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
      const authorizer = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { ApiId: { Ref: api } });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: { Ref: api }, AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.x-api-key'], EnableSimpleResponses: true,
      });
      for (const key of ['GET /books', 'POST /books', 'GET /books/{id}']) {
        expect(routeProps(template, key)).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
      }
    });
  });

  describe('apply mode, HTTP routes', () => {
    test('leaves public routes, OPTIONS routes without a Lambda integration and routes with their own authorizer as they are', () => {
      const template = Template.fromStack(addAspects(plainStack(), new ApiKeyEnforcement({ publicRoutes: ['GET /health'] })));

      const authorizer = httpAuthorizerOf(template);
      expect(routeProps(template, 'GET /books')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
      expect(routeProps(template, 'GET /health').AuthorizationType).toBe('NONE');
      expect(routeProps(template, 'OPTIONS /preflight').AuthorizationType).toBe('NONE');
      expect(routeProps(template, 'GET /admin').AuthorizationType).toBe('AWS_IAM');
      expect(routeProps(template, 'GET /admin').AuthorizerId).toBeUndefined();
    });

    test('authorizes an OPTIONS route that invokes a Lambda function, and an L1 CfnRoute, like any route', () => {
      const template = Template.fromStack(addAspects(plainStack(), new ApiKeyEnforcement()));

      const authorizer = httpAuthorizerOf(template);
      for (const key of ['OPTIONS /books', 'GET /raw']) {
        expect(routeProps(template, key)).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
      }
    });

    test('routes follow the authorizer\'s logical id when it is overridden after the aspect ran', () => {
      const stack = addAspects(plainStack(), new ApiKeyEnforcement());
      Aspects.of(stack).add({
        visit: (node) => {
          if (apigwv2.CfnAuthorizer.isCfnAuthorizer(node) && node.authorizerType === 'REQUEST' && node.node.path.startsWith('Stack/Http/')) node.overrideLogicalId('BooksAuthorizer');
        },
      }, { priority: AspectPriority.READONLY });
      const template = Template.fromStack(stack);

      expect(routeProps(template, 'GET /books').AuthorizerId).toEqual({ Ref: 'BooksAuthorizer' });
    });

    test('authorizes the routes of an API made of L1s only', () => {
      const stack = new Stack(new App(), 'Stack');
      const api = new apigwv2.CfnApi(stack, 'Api', { name: 'raw', protocolType: 'HTTP' });
      new apigwv2.CfnRoute(stack, 'Route', { apiId: api.ref, routeKey: 'GET /raw' });
      const template = Template.fromStack(addAspects(stack, new ApiKeyEnforcement()));

      const authorizer = httpAuthorizerOf(template);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { ApiId: { Ref: 'Api' } });
      expect(routeProps(template, 'GET /raw')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
    });

    test('uses the httpAuthorizer given instead of creating the API-key authorizer', () => {
      const stack = plainStack();
      const httpAuthorizer = new HttpLambdaAuthorizer('Own', testFunction(stack, 'OwnAuthorizer'), { authorizerName: 'own' });
      const template = Template.fromStack(addAspects(stack, new ApiKeyEnforcement({ httpAuthorizer })));

      const authorizer = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { Name: 'own' });
      expect(routeProps(template, 'POST /books')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    });

    test('adds no usage plan to a stage already in one made with aws-cdk-lib\'s UsagePlan', () => {
      const stack = plainStack();
      const stage = stack.node.findChild('WsStage') as apigwv2.WebSocketStage;
      new apigwv2.UsagePlan(stack, 'OwnPlan', { apiStages: [{ api: stage.api, stage }] });
      const template = Template.fromStack(addAspects(stack, new ApiKeyEnforcement()));

      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    });

    test('uses the usage plan limits given', () => {
      const template = Template.fromStack(addAspects(plainStack(), new ApiKeyEnforcement({ usagePlanRateLimit: 5, usagePlanBurstLimit: 0 })));

      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 5, BurstLimit: 0 } });
    });

    test('applied twice, creates nothing twice', () => {
      const once = Template.fromStack(addAspects(plainStack(), new ApiKeyEnforcement())).toJSON();

      const twice = Template.fromStack(addAspects(plainStack(), new ApiKeyEnforcement(), new ApiKeyEnforcement())).toJSON();

      expect(Object.keys(twice.Resources)).toHaveLength(Object.keys(once.Resources).length);
      expect(twice).toEqual(once);
    });
  });

  describe('WebSocket $connect', () => {
    /** A plain WebSocket API with `$default` and `sendmessage`, and `$connect` with `connect` options unless undefined. */
    function webSocketStack(connect?: (stack: Stack) => Partial<apigwv2.WebSocketRouteOptions>): Stack {
      const stack = new Stack(new App(), 'Stack');
      const integration = new WebSocketLambdaIntegration('Socket', testFunction(stack, 'Socket'));
      const ws = new apigwv2.WebSocketApi(stack, 'Ws', {
        defaultRouteOptions: { integration },
        connectRouteOptions: connect ? { integration, ...connect(stack) } : undefined,
      });
      ws.addRoute('sendmessage', { integration });
      new apigwv2.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'live' });
      return stack;
    }

    test('throws when a WebSocket API has no $connect route, naming the API and saying to add one', () => {
      const stack = addAspects(webSocketStack(), new ApiKeyEnforcement());

      expect(() => Template.fromStack(stack)).toThrow('WebSocket API Stack/Ws/Resource has no $connect route, so anyone can connect: '
        + 'API Gateway checks API keys and authorizers only on $connect. Add a $connect route');
    });

    test('audit mode reports a WebSocket API with no $connect route', () => {
      const stack = addAspects(webSocketStack(), new ApiKeyEnforcement({ mode: AspectMode.AUDIT }));

      Annotations.fromStack(stack).hasError('/Stack/Ws/Resource', Match.stringLikeRegexp('\\[projen-api-service:authorization\\] WebSocket API Stack/Ws/Resource has no \\$connect route'));
    });

    test.each([
      ['a Lambda authorizer', 'CUSTOM', (stack: Stack) => ({ authorizer: new WebSocketLambdaAuthorizer('Auth', testFunction(stack, 'Authorizer')) })],
      ['an IAM authorizer', 'AWS_IAM', () => ({ authorizer: new WebSocketIamAuthorizer() })],
    ])('a $connect with %s keeps it, and needs no API key, selection or usage plan on top', (_, authorizationType, connect) => {
      const template = Template.fromStack(addAspects(webSocketStack(connect), new ApiKeyEnforcement()));

      expect(routeProps(template, '$connect')).toMatchObject({ AuthorizationType: authorizationType });
      expect(routeProps(template, '$connect').ApiKeyRequired).toBeUndefined();
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ApiKeySelectionExpression: Match.absent() });
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    });

    test('audit mode is silent on a $connect that has an authorizer', () => {
      const stack = webSocketStack(() => ({ authorizer: new WebSocketIamAuthorizer() }));
      addAspects(stack, new ApiKeyEnforcement({ mode: AspectMode.AUDIT }));

      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });
  });

  describe('audit mode', () => {
    const audit = (publicRoutes?: string[]) => new ApiKeyEnforcement({ mode: AspectMode.AUDIT, publicRoutes });

    test('reports each missing piece and changes nothing', () => {
      const stack = addAspects(plainStack(), audit(['GET /health']));
      const annotations = Annotations.fromStack(stack);
      const error = (text: string, rule = 'authorization') => Match.stringLikeRegexp(`\\[projen-api-service:${rule}\\] ${text}`);

      annotations.hasError('/Stack/Ws/$connect-Route/Resource', error('\\$connect route of WebSocket API Stack/Ws/Resource is open \\(its authorization is "api-key"\\)'));
      annotations.hasError('/Stack/WsStage', error('WebSocket stage "live" is in no usage plan', 'api-key'));
      for (const [route, key] of [['GET--books', 'GET /books'], ['POST--books', 'POST /books'], ['OPTIONS--books', 'OPTIONS /books'], ['RawRoute', 'GET /raw']]) {
        annotations.hasError(`/Stack/Http/${route}${route === 'RawRoute' ? '' : '/Resource'}`, error(`HTTP route "${key}" has no authorizer`));
      }
      for (const route of ['GET--health', 'GET--admin', 'OPTIONS--preflight']) {
        annotations.hasNoError(`/Stack/Http/${route}/Resource`, Match.anyValue());
      }
      expect(annotations.findError('*', Match.anyValue())).toHaveLength(6);
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(plainStack()).toJSON());
    });

    test('is silent on a stage in a usage plan made with aws-cdk-lib\'s UsagePlan', () => {
      const stack = plainStack();
      const stage = stack.node.findChild('WsStage') as apigwv2.WebSocketStage;
      new apigwv2.UsagePlan(stack, 'OwnPlan', { apiStages: [{ api: stage.api, stage }] });
      addAspects(stack, audit());

      Annotations.fromStack(stack).hasNoError('/Stack/WsStage', Match.anyValue());
    });

    test('is silent once everything is in place', () => {
      const stack = addAspects(serviceStack('wrappers'), new ApiKeyEnforcement());
      addAspects(stack, audit());

      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });
  });

  describe('validation', () => {
    test('throws when a publicRoutes key is not a route key', () => {
      expect(() => new ApiKeyEnforcement({ publicRoutes: ['GET health'] }))
        .toThrow('HTTP route key "GET health" has a path "health" that does not start with "/"');
    });

    test.each(['usagePlanRateLimit', 'usagePlanBurstLimit'])('throws when %s is negative', (name) => {
      expect(() => new ApiKeyEnforcement({ [name]: -1 })).toThrow(`ApiKeyEnforcement ${name} -1 is negative`);
    });

    test('accepts limits that are tokens', () => {
      const stack = plainStack();
      const rate = new CfnParameter(stack, 'Rate', { type: 'Number' });
      addAspects(stack, new ApiKeyEnforcement({ usagePlanRateLimit: rate.valueAsNumber }));

      Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: { Ref: 'Rate' } } });
    });
  });
});
