import { App, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Flavour, HTTP_ROUTES, ServiceOptions, routeProps, serviceStack, synthWithChecks } from './service-fixture';
import { ApiServiceDefaults, ApiServiceDefaultsProps, AspectMode, Authorization, ServiceUserPool } from '../../src';

const PROPS: ApiServiceDefaultsProps = { corsAllowOrigins: ['https://app.example.com'], alarmEmail: 'oncall@example.com' };

function template(flavour: Flavour, props?: ApiServiceDefaultsProps): Template {
  return Template.fromStack(serviceStack(flavour, props));
}

/** Resource types and how many of each the template holds. */
function resourceCounts(t: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(t.toJSON().Resources) as Array<{ Type: string }>) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

/** The properties of every resource of `type`, with logical ids (which differ between flavours) blanked out. */
function propertiesOf(t: Template, type: string): unknown[] {
  const ids = Object.keys(t.toJSON().Resources);
  return Object.values(t.findResources(type))
    .map((r) => JSON.stringify(r.Properties ?? {}, (_key, value) => (typeof value === 'string' && ids.includes(value) ? '<id>' : value)))
    .sort();
}

describe('ApiServiceDefaults', () => {
  test('the reference service passes CloudFormation validation (as errors) and cdk-nag AwsSolutions + Serverless with no finding', () => {
    for (const flavour of ['wrappers', 'plain'] as const) {
      expect(synthWithChecks((app) => serviceStack(flavour, PROPS, app))).toEqual([]);
    }
  });

  describe('CloudFormation validation (as errors) and cdk-nag stay clean for every authorization, user pool and custom domain', () => {
    const kinds = [Authorization.API_KEY, Authorization.jwt('books/read'), Authorization.IAM, Authorization.NONE];
    const cases = (['wrappers', 'plain'] as const).flatMap((flavour) => kinds.flatMap((authorization) => [false, true].flatMap((userPool) =>
      [undefined, 'tls', 'mtls'].map((domain) => [flavour, authorization.toString(), userPool, domain ?? 'none', authorization, { userPool, domain } as ServiceOptions] as const))));

    test.each(cases)('%s APIs, authorization %s, user pool %s, custom domain %s', (flavour, _, _pool, _domain, authorization, options) => {
      const defaults = (users?: ServiceUserPool): ApiServiceDefaultsProps => {
        if (authorization.kind !== 'jwt') return { ...PROPS, authorization };
        return users
          ? { ...PROPS, authorization, jwtUserPool: users.userPool, jwtUserPoolClients: [users.userPoolClient] }
          : { ...PROPS, authorization, jwtIssuer: 'https://example.auth0.com/', jwtAudience: ['https://books.example.com'] };
      };
      expect(synthWithChecks((app) => serviceStack(flavour, defaults, app, options))).toEqual([]);
    });

    test.each(['wrappers', 'plain'] as const)('%s APIs with a different kind on each HTTP route and IAM on $connect', (flavour) => {
      const defaults: ApiServiceDefaultsProps = {
        ...PROPS,
        jwtIssuer: 'https://example.auth0.com/',
        jwtAudience: ['https://books.example.com'],
        routeAuthorization: { 'POST /books': Authorization.jwt('books/admin'), 'GET /books/{id}': Authorization.IAM },
        publicRoutes: ['GET /books'],
        webSocketAuthorization: Authorization.IAM,
      };
      expect(synthWithChecks((app) => serviceStack(flavour, defaults, app))).toEqual([]);
    });
  });

  test('without it, the same service has findings on its APIs, stages and routes', () => {
    const findings = synthWithChecks((app) => serviceStack('wrappers', undefined, app));
    const rules = new Set(findings.map((f) => f.rule.replace(/\[.*$/, '')));
    expect([...rules]).toEqual(expect.arrayContaining(['AwsSolutions-APIG1', 'AwsSolutions-APIG4', 'Serverless-APIGWAccessLogging', 'Serverless-APIGWDefaultThrottling']));
  });

  test('plain aws-cdk-lib APIs end up with the same defaults as the wrappers', () => {
    const wrappers = template('wrappers', PROPS);
    const plain = template('plain', PROPS);
    expect(resourceCounts(plain)).toEqual(resourceCounts(wrappers));
    for (const type of ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Authorizer',
      'AWS::ApiGateway::UsagePlan', 'AWS::CloudWatch::Alarm', 'AWS::Logs::LogGroup']) {
      expect(propertiesOf(plain, type).length).toBeGreaterThan(0);
      expect(propertiesOf(plain, type)).toEqual(propertiesOf(wrappers, type));
    }
  });

  test.each(['wrappers', 'plain'] as const)('applies every default to the %s service', (flavour) => {
    const t = template(flavour, PROPS);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'] }),
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', ApiKeyRequired: true, AuthorizationType: 'CUSTOM' });
    for (const key of HTTP_ROUTES) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'CUSTOM' });
    }
    t.allResourcesProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    t.resourceCountIs('AWS::SNS::Subscription', 1);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'execute-api:ManageConnections',
          Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^/prod/\\*/@connections/\\*$')])] },
        })]),
      },
    });
  });

  describe('API Gateway\'s CloudWatch role', () => {
    const SETTING = 'Custom::ApiGatewayCloudWatchRole';

    test('one per stack, even with two WebSocket APIs, and every WebSocket stage waits for it; HTTP stages do not', () => {
      const stack = serviceStack('plain');
      const other = new apigwv2.WebSocketApi(stack, 'Other', { connectRouteOptions: { integration: new WebSocketMockIntegration('Mock') } });
      new apigwv2.WebSocketStage(stack, 'OtherStage', { webSocketApi: other, stageName: 'live' });
      const defaults = new ApiServiceDefaults(PROPS);
      Aspects.of(stack).add(defaults, { priority: defaults.priority });
      const t = Template.fromStack(stack);

      t.resourceCountIs(SETTING, 1);
      const setting = Object.keys(t.findResources(SETTING))[0];
      const stages = Object.values(t.findResources('AWS::ApiGatewayV2::Stage'));
      const websocketApis = Object.keys(t.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'WEBSOCKET' } }));
      const waiting = stages.filter((s) => (s.DependsOn ?? []).includes(setting)).map((s) => s.Properties.ApiId.Ref);
      expect(waiting.sort()).toEqual(websocketApis.sort());
      t.hasResource(SETTING, { DependsOn: Match.arrayWith(websocketApis) });
    });

    test('none for a stack with only HTTP APIs', () => {
      const stack = new Stack(new App(), 'Http');
      new apigwv2.HttpApi(stack, 'Http');
      const defaults = new ApiServiceDefaults();
      Aspects.of(stack).add(defaults, { priority: defaults.priority });

      Template.fromStack(stack).resourceCountIs(SETTING, 0);
    });

    test('apiGatewayCloudWatchRole: false creates nothing', () => {
      const t = template('wrappers', { ...PROPS, apiGatewayCloudWatchRole: false });

      t.resourceCountIs(SETTING, 0);
      t.resourceCountIs('AWS::IAM::Role', Object.keys(template('wrappers', PROPS).findResources('AWS::IAM::Role')).length - 2);
    });
  });

  test('applying it twice creates nothing twice', () => {
    const stack = serviceStack('wrappers', PROPS);
    const again = new ApiServiceDefaults(PROPS);
    Aspects.of(stack).add(again, { priority: again.priority });
    expect(resourceCounts(Template.fromStack(stack))).toEqual(resourceCounts(template('wrappers', PROPS)));
  });

  test('its options set the limits and turn API keys off', () => {
    const t = template('wrappers', { ...PROPS, throttlingRateLimit: 7, throttlingBurstLimit: 9, apiKeyRequired: false, publicRoutes: ['GET /books'] });
    t.allResourcesProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingBurstLimit: 9, ThrottlingRateLimit: 7 } });
    t.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    t.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  describe('authorization', () => {
    const jwt = { jwtIssuer: 'https://example.auth0.com/', jwtAudience: ['https://books.example.com'] };

    test('passes authorization, routeAuthorization, webSocketAuthorization and the JWT issuer on to the authorization policy', () => {
      const t = template('wrappers', {
        ...jwt,
        authorization: Authorization.jwt(),
        routeAuthorization: { 'POST /books': Authorization.jwt('books/admin'), 'GET /books/{id}': Authorization.IAM },
        webSocketAuthorization: Authorization.API_KEY,
      });

      t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Issuer: jwt.jwtIssuer, Audience: jwt.jwtAudience } });
      expect(routeProps(t, 'GET /books')).toMatchObject({ AuthorizationType: 'JWT' });
      expect(routeProps(t, 'POST /books')).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['books/admin'] });
      expect(routeProps(t, 'GET /books/{id}')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      expect(routeProps(t, '$connect')).toMatchObject({ AuthorizationType: 'CUSTOM', ApiKeyRequired: true });
    });

    test('the deprecated apiKeyRequired: false means Authorization.NONE: routes stay open', () => {
      const t = template('wrappers', { ...PROPS, apiKeyRequired: false });

      for (const key of [...HTTP_ROUTES, '$connect']) expect(routeProps(t, key).AuthorizationType ?? 'NONE').toBe('NONE');
    });

    test('apiKeyRequired: true with authorization API_KEY agree', () => {
      expect(() => new ApiServiceDefaults({ apiKeyRequired: true, authorization: Authorization.API_KEY })).not.toThrow();
    });

    test('throws when apiKeyRequired and authorization disagree', () => {
      expect(() => new ApiServiceDefaults({ apiKeyRequired: false, authorization: Authorization.IAM }))
        .toThrow('ApiServiceDefaults has apiKeyRequired: false and authorization "iam", which disagree: drop apiKeyRequired (deprecated), authorization replaces it.');
    });

    test('throws when a route is jwt and no issuer is given', () => {
      expect(() => new ApiServiceDefaults({ routeAuthorization: { 'GET /me': Authorization.jwt() } })).toThrow('routeAuthorization "GET /me" "jwt" needs the token issuer');
    });
  });

  test('audit mode changes nothing and reports every missing default', () => {
    const untouched = Template.fromStack(serviceStack('plain')).toJSON();
    const stack = serviceStack('plain', { ...PROPS, mode: AspectMode.AUDIT });
    expect(Template.fromStack(stack).toJSON()).toEqual(untouched);
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('projen-api-service:'))
      .map((e) => String(e.entry.data).replace(/\].*/, ']'));
    expect(new Set(errors)).toEqual(new Set([
      '[projen-api-service:cors]', '[projen-api-service:alarms]', '[projen-api-service:manage-connections]',
      '[projen-api-service:authorization]', '[projen-api-service:api-key]', '[projen-api-service:access-logs]', '[projen-api-service:throttling]',
    ]));
  });

  test('states its priority: mutating when applying, read-only when auditing', () => {
    expect(new ApiServiceDefaults().priority).toBe(AspectPriority.MUTATING);
    expect(new ApiServiceDefaults({ mode: AspectMode.AUDIT }).priority).toBe(AspectPriority.READONLY);
  });

  test('throws when a sub-policy gets a bad value, naming it', () => {
    expect(() => new ApiServiceDefaults({ corsAllowOrigins: ['*'], corsAllowCredentials: true })).toThrow(/"\*" cannot be used with allowCredentials/);
    expect(() => new ApiServiceDefaults({ publicRoutes: ['GETT /x'] })).toThrow(/"GETT \/x"/);
    expect(() => new ApiServiceDefaults({ throttlingRateLimit: -1 })).toThrow(/rateLimit -1/);
    expect(() => new ApiServiceDefaults({ alarmEmail: 'nobody' })).toThrow(/"nobody"/);
  });

  test('synthesizes inside a fresh app too (no shared state between apps)', () => {
    const app = new App();
    serviceStack('wrappers', PROPS, app);
    expect(() => app.synth()).not.toThrow();
  });
});
