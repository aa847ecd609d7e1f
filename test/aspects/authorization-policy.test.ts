import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, WebSocketIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { IConstruct } from 'constructs';
import { Flavour, HTTP_ROUTES, logicalIdOf, plainStack, routeProps, serviceStack, testFunction } from './service-fixture';
import { AspectMode } from '../../src/aspects/aspect-mode';
import { AuthorizationPolicy, AuthorizationPolicyProps } from '../../src/aspects/authorization-policy';
import { Authorization } from '../../src/auth/authorization';
import { ServiceUserPool } from '../../src/auth/service-user-pool';

const AUTHORIZER = 'AWS::ApiGatewayV2::Authorizer';
const ISSUER = { jwtIssuer: 'https://example.auth0.com/', jwtAudience: ['https://books.example.com'] };
const JWT_CONFIGURATION = { Issuer: ISSUER.jwtIssuer, Audience: ISSUER.jwtAudience };

function withPolicy(stack: Stack, props: AuthorizationPolicyProps): Stack {
  const policy = new AuthorizationPolicy(props);
  Aspects.of(stack).add(policy, { priority: policy.priority });
  return stack;
}

/** The reference service of `flavour` under the policy. */
function service(flavour: Flavour, props: AuthorizationPolicyProps): Template {
  return Template.fromStack(withPolicy(serviceStack(flavour), props));
}

function apiOf(template: Template, protocol: 'HTTP' | 'WEBSOCKET'): string {
  return logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: protocol });
}

/** The environment of the one function that has `variable`. */
function environmentWith(template: Template, variable: string): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'))
    .filter((f) => f.Properties.Environment?.Variables?.[variable] !== undefined);
  expect(functions).toHaveLength(1);
  return functions[0].Properties.Environment.Variables;
}

/**
 * The rules acknowledged on `construct` itself with aws-cdk-lib's `Validations` (metadata), e.g. `AwsSolutions-APIG4`
 * (aws-cdk-lib records it as `Annotation::AwsSolutions-APIG4`; cdk-nag drops the prefix).
 */
function acknowledgedRules(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data).map((id) => id.replace(/^annotation::/i, '')));
}

/** The HTTP `CfnRoute`s under `scope`. */
function cfnRoutesUnder(scope: IConstruct): apigwv2.CfnRoute[] {
  return scope.node.findAll().filter(apigwv2.CfnRoute.isCfnRoute);
}

describe('AuthorizationPolicy', () => {
  test('runs as MUTATING in apply mode and READONLY in audit mode', () => {
    expect(new AuthorizationPolicy().priority).toBe(AspectPriority.MUTATING);
    expect(new AuthorizationPolicy({ mode: AspectMode.AUDIT }).priority).toBe(AspectPriority.READONLY);
  });

  describe.each<Flavour>(['plain', 'wrappers'])('apply mode, %s APIs', (flavour) => {
    test('Authorization.jwt() gives every HTTP route one JWT authorizer of the API (Authorization header), and its scopes', () => {
      const template = service(flavour, { authorization: Authorization.jwt('books/read'), ...ISSUER });

      const http = apiOf(template, 'HTTP');
      const authorizer = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: http } });
      template.hasResourceProperties(AUTHORIZER, {
        ApiId: { Ref: http }, AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: JWT_CONFIGURATION,
      });
      for (const key of HTTP_ROUTES) {
        expect(routeProps(template, key)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer }, AuthorizationScopes: ['books/read'] });
      }
    });

    test('Authorization.jwt() gives $connect a WebSocketTokenAuthorizer (?token=) with the same issuer and scopes, and no API key', () => {
      const template = service(flavour, { authorization: Authorization.jwt('books/read'), ...ISSUER });

      const ws = apiOf(template, 'WEBSOCKET');
      const authorizer = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: ws } });
      template.hasResourceProperties(AUTHORIZER, { ApiId: { Ref: ws }, AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.token'] });
      expect(routeProps(template, '$connect')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer } });
      expect(routeProps(template, '$connect').ApiKeyRequired).toBeUndefined();
      expect(environmentWith(template, 'JWT_ISSUER')).toMatchObject({
        JWT_ISSUER: ISSUER.jwtIssuer, JWT_AUDIENCE: ISSUER.jwtAudience[0], JWT_REQUIRED_SCOPES: 'books/read', TOKEN_QUERY_PARAMETER: 'token',
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', ApiKeySelectionExpression: Match.absent() });
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    });

    test('Authorization.IAM makes every HTTP route and $connect AWS_IAM, with no authorizer resource and no usage plan', () => {
      const template = service(flavour, { authorization: Authorization.IAM });

      for (const key of [...HTTP_ROUTES, '$connect']) {
        expect(routeProps(template, key)).toMatchObject({ AuthorizationType: 'AWS_IAM' });
        expect(routeProps(template, key).AuthorizerId).toBeUndefined();
      }
      template.resourceCountIs(AUTHORIZER, 0);
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    });

    test('Authorization.NONE leaves every route open, and adds nothing', () => {
      const untouched = Template.fromStack(serviceStack(flavour)).toJSON();

      const template = service(flavour, { authorization: Authorization.NONE });

      for (const key of [...HTTP_ROUTES, '$connect']) expect(routeProps(template, key).AuthorizationType ?? 'NONE').toBe('NONE');
      expect(template.toJSON().Resources).toEqual(untouched.Resources);
    });

    test('routeAuthorization gives each route its own kind; the others follow authorization', () => {
      const template = service(flavour, {
        ...ISSUER,
        routeAuthorization: { 'POST /books': Authorization.jwt('books/admin'), 'GET /books/{id}': Authorization.IAM },
      });

      const http = apiOf(template, 'HTTP');
      const jwt = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: http }, AuthorizerType: 'JWT' });
      const apiKey = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: http }, AuthorizerType: 'REQUEST' });
      expect(routeProps(template, 'GET /books')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: apiKey } });
      expect(routeProps(template, 'POST /books')).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: jwt }, AuthorizationScopes: ['books/admin'] });
      expect(routeProps(template, 'GET /books/{id}')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      expect(routeProps(template, 'GET /books').AuthorizationScopes).toBeUndefined();
    });

    test('publicRoutes and Authorization.NONE in routeAuthorization leave their routes open', () => {
      const template = service(flavour, { publicRoutes: ['GET /books'], routeAuthorization: { 'POST /books': Authorization.NONE } });

      expect(routeProps(template, 'GET /books').AuthorizationType ?? 'NONE').toBe('NONE');
      expect(routeProps(template, 'POST /books').AuthorizationType ?? 'NONE').toBe('NONE');
      expect(routeProps(template, 'GET /books/{id}')).toMatchObject({ AuthorizationType: 'CUSTOM' });
    });

    // cdk-nag 3 honours an acknowledgement on any ancestor (NagPack.isAcknowledged); the cdk-nag checks of the
    // reference service with Authorization.NONE (api-service-defaults.test.ts) show that no route is then a finding.
    test('with every HTTP route public, one acknowledgement on the HttpApi covers its routes, none on each route', () => {
      const stack = withPolicy(serviceStack(flavour), { authorization: Authorization.NONE });
      Template.fromStack(stack);

      const http = stack.node.findChild('Http');
      expect(acknowledgedRules(http)).toEqual(['AwsSolutions-APIG4']);
      expect(cfnRoutesUnder(http)).toHaveLength(HTTP_ROUTES.length);
      for (const route of cfnRoutesUnder(http)) expect(acknowledgedRules(route)).toEqual([]);
    });

    test('with some HTTP routes authorized, each public route is acknowledged on itself and the HttpApi is not', () => {
      const stack = withPolicy(serviceStack(flavour), { publicRoutes: ['GET /books'] });
      Template.fromStack(stack);

      const http = stack.node.findChild('Http');
      expect(acknowledgedRules(http)).toEqual([]);
      const acknowledged = cfnRoutesUnder(http).filter((route) => acknowledgedRules(route).includes('AwsSolutions-APIG4'));
      expect(acknowledged.map((route) => route.routeKey)).toEqual(['GET /books']);
    });

    test('webSocketAuthorization sets $connect apart from the HTTP routes', () => {
      const template = service(flavour, { authorization: Authorization.IAM, webSocketAuthorization: Authorization.jwt('chat'), ...ISSUER });

      expect(routeProps(template, 'GET /books')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      expect(routeProps(template, '$connect')).toMatchObject({ AuthorizationType: 'CUSTOM' });
      expect(environmentWith(template, 'JWT_ISSUER')).toMatchObject({ JWT_REQUIRED_SCOPES: 'chat' });
      template.resourceCountIs(AUTHORIZER, 1);
    });

    test('with a Cognito user pool: an HttpUserPoolAuthorizer for the HTTP routes, the pool\'s token authorizer on $connect', () => {
      const stack = serviceStack(flavour);
      const users = new ServiceUserPool(stack, 'Users');
      const template = Template.fromStack(withPolicy(stack, {
        authorization: Authorization.jwt(), jwtUserPool: users.userPool, jwtUserPoolClients: [users.userPoolClient],
      }));

      const pool = logicalIdOf(template, 'AWS::Cognito::UserPool');
      const client = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
      template.hasResourceProperties(AUTHORIZER, {
        AuthorizerType: 'JWT',
        JwtConfiguration: { Audience: [{ Ref: client }], Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: pool }]] } },
      });
      expect(routeProps(template, 'GET /books')).toMatchObject({ AuthorizationType: 'JWT' });
      expect(environmentWith(template, 'COGNITO_USER_POOL_ID')).toMatchObject({ COGNITO_USER_POOL_ID: { Ref: pool }, JWT_AUDIENCE: { Ref: client } });
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    });

    test('applied twice, creates nothing twice', () => {
      const props = { authorization: Authorization.jwt('books/read'), ...ISSUER };
      const once = service(flavour, props).toJSON();

      const twice = Template.fromStack(withPolicy(withPolicy(serviceStack(flavour), props), props)).toJSON();

      expect(twice).toEqual(once);
    });
  });

  describe('routes that already have an authorizer', () => {
    test('keep it, whatever kind the policy would give them', () => {
      const template = Template.fromStack(withPolicy(plainStack(), { authorization: Authorization.jwt(), ...ISSUER }));

      expect(routeProps(template, 'GET /admin')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      expect(routeProps(template, 'GET /books')).toMatchObject({ AuthorizationType: 'JWT' });
      expect(routeProps(template, 'OPTIONS /preflight').AuthorizationType).toBe('NONE');
    });

    test('a route whose explicit routeAuthorization is of another type keeps its authorizer, with a warning in apply mode', () => {
      const stack = withPolicy(plainStack(), { routeAuthorization: { 'GET /admin': Authorization.jwt() }, ...ISSUER });

      expect(routeProps(Template.fromStack(stack), 'GET /admin')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      Annotations.fromStack(stack).hasWarning('/Stack/Http/GET--admin/Resource', Match.stringLikeRegexp(
        'HTTP route "GET /admin" has an AWS_IAM authorizer, but routeAuthorization "GET /admin" is "jwt" \\(JWT\\): the route keeps its own authorizer'));
    });

    /** A plain HTTP API whose `GET /books` has its own JWT authorizer, with `scopes`. */
    function ownJwtRoute(scopes?: string[]): Stack {
      const stack = new Stack(new App(), 'Stack');
      const http = new apigwv2.HttpApi(stack, 'Http');
      const integration = new HttpLambdaIntegration('Books', testFunction(stack, 'Books'));
      const authorizer = new HttpJwtAuthorizer('Own', ISSUER.jwtIssuer, { jwtAudience: ISSUER.jwtAudience });
      http.addRoutes({ path: '/books', methods: [apigwv2.HttpMethod.GET], integration, authorizer, authorizationScopes: scopes });
      return stack;
    }

    test('a JWT route without scopes gets the scopes its routeAuthorization names', () => {
      const stack = withPolicy(ownJwtRoute(), { routeAuthorization: { 'GET /books': Authorization.jwt('books/read') }, ...ISSUER });

      expect(routeProps(Template.fromStack(stack), 'GET /books')).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['books/read'] });
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });

    test('a JWT route with other scopes keeps them, with a warning in apply mode', () => {
      const stack = withPolicy(ownJwtRoute(['books/write']), { routeAuthorization: { 'GET /books': Authorization.jwt('books/read') }, ...ISSUER });

      expect(routeProps(Template.fromStack(stack), 'GET /books').AuthorizationScopes).toEqual(['books/write']);
      Annotations.fromStack(stack).hasWarning('/Stack/Http/GET--books/Resource', Match.stringLikeRegexp(
        'HTTP route "GET /books" requires the scopes \\["books/write"\\], but routeAuthorization "GET /books" is "jwt:books/read"'));
    });

    test('a $connect with an authorizer of another type than an explicit webSocketAuthorization keeps it, with a warning', () => {
      const stack = new Stack(new App(), 'Stack');
      const integration = new WebSocketLambdaIntegration('Socket', testFunction(stack, 'Socket'));
      new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration, authorizer: new WebSocketIamAuthorizer() } });
      withPolicy(stack, { webSocketAuthorization: Authorization.jwt(), ...ISSUER });

      expect(routeProps(Template.fromStack(stack), '$connect')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      Annotations.fromStack(stack).hasWarning('/Stack/Ws/$connect-Route/Resource', Match.stringLikeRegexp(
        '\\$connect route of WebSocket API Stack/Ws/Resource is protected by an AWS_IAM authorizer, but webSocketAuthorization is "jwt" \\(CUSTOM\\)'));
    });
  });

  describe('WebSocket APIs', () => {
    test('an API that selects keys from the x-api-key header keeps header keys: $connect only requires one', () => {
      const stack = new Stack(new App(), 'Stack');
      const integration = new WebSocketLambdaIntegration('Socket', testFunction(stack, 'Socket'));
      new apigwv2.WebSocketApi(stack, 'Ws', {
        connectRouteOptions: { integration },
        apiKeySelectionExpression: apigwv2.WebSocketApiKeySelectionExpression.HEADER_X_API_KEY,
      });
      const template = Template.fromStack(withPolicy(stack, {}));

      expect(routeProps(template, '$connect')).toMatchObject({ ApiKeyRequired: true });
      expect(routeProps(template, '$connect').AuthorizationType ?? 'NONE').toBe('NONE');
      template.resourceCountIs(AUTHORIZER, 0);
    });

    test('with Authorization.NONE, an API without $connect is no error', () => {
      const stack = new Stack(new App(), 'Stack');
      new apigwv2.WebSocketApi(stack, 'Ws', { defaultRouteOptions: { integration: new WebSocketLambdaIntegration('Socket', testFunction(stack, 'Socket')) } });

      expect(() => Template.fromStack(withPolicy(stack, { webSocketAuthorization: Authorization.NONE }))).not.toThrow();
    });
  });

  describe('APIs made of L1s only', () => {
    function l1Stack(): Stack {
      const stack = new Stack(new App(), 'Stack');
      const http = new apigwv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
      new apigwv2.CfnRoute(stack, 'HttpRoute', { apiId: http.ref, routeKey: 'GET /raw' });
      const ws = new apigwv2.CfnApi(stack, 'Ws', { name: 'ws', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
      new apigwv2.CfnRoute(stack, 'Connect', { apiId: ws.ref, routeKey: '$connect' });
      return stack;
    }

    test('get a JWT authorizer on the HTTP route and a token authorizer on $connect', () => {
      const template = Template.fromStack(withPolicy(l1Stack(), { authorization: Authorization.jwt('raw'), ...ISSUER }));

      const jwt = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: 'Http' } });
      template.hasResourceProperties(AUTHORIZER, { ApiId: { Ref: 'Http' }, AuthorizerType: 'JWT', JwtConfiguration: JWT_CONFIGURATION });
      expect(routeProps(template, 'GET /raw')).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: jwt }, AuthorizationScopes: ['raw'] });
      const token = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: 'Ws' } });
      expect(routeProps(template, '$connect')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: token } });
    });

    test('with every HTTP route public, the route is acknowledged on itself: there is no HttpApi to hold it', () => {
      const stack = withPolicy(l1Stack(), { authorization: Authorization.NONE });
      Template.fromStack(stack);

      expect(acknowledgedRules(stack.node.findChild('HttpRoute'))).toEqual(['AwsSolutions-APIG4']);
      expect(acknowledgedRules(stack)).toEqual([]);
    });

    test('with every HTTP route public, an L1 route outside its HttpApi is acknowledged on itself', () => {
      const stack = new Stack(new App(), 'Stack');
      const http = new apigwv2.HttpApi(stack, 'Http');
      new apigwv2.CfnRoute(stack, 'Outside', { apiId: http.apiId, routeKey: 'GET /outside' });
      Template.fromStack(withPolicy(stack, { authorization: Authorization.NONE }));

      expect(acknowledgedRules(stack.node.findChild('Outside'))).toEqual(['AwsSolutions-APIG4']);
      expect(acknowledgedRules(http)).toEqual([]);
    });

    test('get the WebSocket API-key authorizer, key selection and apiKeyRequired on $connect', () => {
      const template = Template.fromStack(withPolicy(l1Stack(), { authorization: Authorization.API_KEY }));

      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'ws', ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
      const authorizer = logicalIdOf(template, AUTHORIZER, { ApiId: { Ref: 'Ws' } });
      expect(routeProps(template, '$connect')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizer }, ApiKeyRequired: true });
    });
  });

  describe('audit mode', () => {
    test('reports open routes with their configured kind, and an open $connect, and changes nothing', () => {
      const stack = withPolicy(plainStack(), { mode: AspectMode.AUDIT, authorization: Authorization.jwt(), publicRoutes: ['GET /health'], ...ISSUER });
      const annotations = Annotations.fromStack(stack);
      const error = (text: string) => Match.stringLikeRegexp(`^\\[projen-api-service:authorization\\] ${text}`);

      annotations.hasError('/Stack/Http/GET--books/Resource', error('HTTP route "GET /books" has no authorizer \\(its authorization is "jwt"\\)'));
      annotations.hasError('/Stack/Ws/$connect-Route/Resource', error('\\$connect route of WebSocket API Stack/Ws/Resource is open \\(its authorization is "jwt"\\)'));
      annotations.hasNoError('/Stack/Http/GET--health/Resource', Match.anyValue());
      annotations.hasNoError('/Stack/WsStage', Match.anyValue());
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(plainStack()).toJSON());
    });

    test('reports a route whose authorizer is not of its explicit kind, and a JWT route missing its scopes', () => {
      const stack = plainStack();
      const http = stack.node.findChild('Http') as apigwv2.HttpApi;
      http.addRoutes({
        path: '/reports',
        methods: [apigwv2.HttpMethod.GET],
        integration: new HttpLambdaIntegration('Reports', testFunction(stack, 'Reports')),
        authorizer: new HttpJwtAuthorizer('Own', ISSUER.jwtIssuer, { jwtAudience: ISSUER.jwtAudience }),
      });
      withPolicy(stack, {
        mode: AspectMode.AUDIT,
        ...ISSUER,
        routeAuthorization: { 'GET /admin': Authorization.API_KEY, 'GET /reports': Authorization.jwt('reports/read') },
      });
      const annotations = Annotations.fromStack(stack);

      annotations.hasError('/Stack/Http/GET--admin/Resource', Match.stringLikeRegexp('HTTP route "GET /admin" has an AWS_IAM authorizer, but routeAuthorization "GET /admin" is "api-key" \\(CUSTOM\\)'));
      annotations.hasError('/Stack/Http/GET--reports/Resource', Match.stringLikeRegexp('HTTP route "GET /reports" requires the scopes \\[\\], but routeAuthorization "GET /reports" is "jwt:reports/read"'));
    });

    test('is silent on routes declared public with Authorization.NONE', () => {
      const stack = withPolicy(plainStack(), { mode: AspectMode.AUDIT, authorization: Authorization.NONE });

      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });

    test('is silent on routes that carry their own IAM authorizers', () => {
      const stack = plainStack();
      stack.node.findAll().filter(apigwv2.CfnRoute.isCfnRoute).forEach((route) => route.authorizationType = 'AWS_IAM');
      withPolicy(stack, { mode: AspectMode.AUDIT, authorization: Authorization.IAM });

      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });
  });

  describe('validation', () => {
    test.each<[string, AuthorizationPolicyProps, string]>([
      ['authorization', { authorization: Authorization.jwt() }, 'AuthorizationPolicy authorization "jwt" needs the token issuer, but jwtIssuer is missing'],
      ['webSocketAuthorization', { webSocketAuthorization: Authorization.jwt('chat') }, 'AuthorizationPolicy webSocketAuthorization "jwt:chat" needs the token issuer'],
      ['routeAuthorization', { routeAuthorization: { 'GET /me': Authorization.jwt() } }, 'AuthorizationPolicy routeAuthorization "GET /me" "jwt" needs the token issuer'],
    ])('throws when %s is jwt without issuer and audience or user pool and clients', (_, props, message) => {
      expect(() => new AuthorizationPolicy(props)).toThrow(message);
      expect(() => new AuthorizationPolicy(props)).toThrow('give jwtIssuer and jwtAudience (any OIDC provider), or jwtUserPool and jwtUserPoolClients');
    });

    test('throws when jwtIssuer has no jwtAudience', () => {
      expect(() => new AuthorizationPolicy({ authorization: Authorization.jwt(), jwtIssuer: ISSUER.jwtIssuer }))
        .toThrow('AuthorizationPolicy authorization "jwt" needs the token issuer, but jwtAudience is missing');
    });

    test('throws when the issuer is not an https URL', () => {
      expect(() => new AuthorizationPolicy({ authorization: Authorization.jwt(), jwtIssuer: 'http://example.com', jwtAudience: ['a'] }))
        .toThrow('JWT issuer "http://example.com" is not an https:// URL');
    });

    test('throws when jwtUserPool has no clients, or comes with jwtIssuer', () => {
      const stack = new Stack();
      const users = new ServiceUserPool(stack, 'Users');
      expect(() => new AuthorizationPolicy({ authorization: Authorization.jwt(), jwtUserPool: users.userPool }))
        .toThrow('AuthorizationPolicy has jwtUserPool: give its app clients as jwtUserPoolClients');
      const both = { authorization: Authorization.jwt(), jwtUserPool: users.userPool, jwtUserPoolClients: [users.userPoolClient], ...ISSUER };
      expect(() => new AuthorizationPolicy(both))
        .toThrow('AuthorizationPolicy has both jwtIssuer "https://example.auth0.com/" and jwtUserPool');
    });

    test('throws when a routeAuthorization key is not a route key, naming it', () => {
      expect(() => new AuthorizationPolicy({ routeAuthorization: { 'GET books': Authorization.IAM } }))
        .toThrow('AuthorizationPolicy routeAuthorization has a key that is not an HTTP route key: HTTP route key "GET books" has a path "books" that does not start with "/"');
    });

    test('throws when a route is in publicRoutes and has another routeAuthorization', () => {
      expect(() => new AuthorizationPolicy({ publicRoutes: ['GET /health'], routeAuthorization: { 'GET /health': Authorization.IAM } }))
        .toThrow('AuthorizationPolicy: route "GET /health" is in publicRoutes and has routeAuthorization "iam": a route is either public or authorized.');
    });

    test('throws when JWT settings are given half, even when no route is jwt', () => {
      expect(() => new AuthorizationPolicy({ jwtIssuer: ISSUER.jwtIssuer })).toThrow('AuthorizationPolicy has JWT settings, but jwtAudience is missing');
      expect(() => new AuthorizationPolicy({ jwtIssuer: 'http://example.com', jwtAudience: ['a'] })).toThrow('JWT issuer "http://example.com" is not an https:// URL');
    });

    test('throws when a routeAuthorization key is a WebSocket route, pointing at webSocketAuthorization', () => {
      expect(() => new AuthorizationPolicy({ routeAuthorization: { sendmessage: Authorization.IAM } }))
        .toThrow('HTTP route key "sendmessage" has no method: write it as "<METHOD> /<path>", e.g. "GET /books/{id}" or "ANY /{proxy+}", or use "$default". '
          + '(WebSocket connections are authorized on $connect, with webSocketAuthorization.)');
    });

    test('the issuer settings are not needed when no route is jwt', () => {
      expect(() => new AuthorizationPolicy({ authorization: Authorization.IAM, routeAuthorization: { 'GET /a': Authorization.API_KEY } })).not.toThrow();
    });
  });
});
