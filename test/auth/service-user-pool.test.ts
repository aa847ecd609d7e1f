import { App, CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpUrlIntegration, WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ServiceUserPool, ServiceUserPoolProps } from '../../src/auth/service-user-pool';
import { WebSocketTokenAuthorizer } from '../../src/websocket/websocket-token-authorizer';
import { synthWithChecks } from '../aspects/service-fixture';

const REGION = 'eu-west-1';

function userPoolStack(props?: ServiceUserPoolProps, app = new App()) {
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: REGION } });
  const users = new ServiceUserPool(stack, 'Users', props);
  return { stack, users };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

describe('ServiceUserPool', () => {
  test('creates a user pool: e-mail sign-in, strong passwords, TOTP MFA required, Essentials plan, retained', () => {
    const { stack } = userPoolStack();

    const template = Template.fromStack(stack);
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'ESSENTIALS',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
          }),
        },
      }),
    });
  });

  test('creates a public app client that signs in with SRP and has no OAuth flow by default', () => {
    const { stack } = userPoolStack();

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
    });
    template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
  });

  test('exposes the issuer, audience and JWKS URI that JWT authorizers need', () => {
    const { stack, users } = userPoolStack();

    const pool = logicalId(stack, users.userPool);
    expect(stack.resolve(users.issuer)).toEqual({ 'Fn::GetAtt': [pool, 'ProviderURL'] });
    expect(stack.resolve(users.audience)).toEqual([{ Ref: logicalId(stack, users.userPoolClient) }]);
    expect(stack.resolve(users.jwksUri)).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [pool, 'ProviderURL'] }, '/.well-known/jwks.json']] });
  });

  test('creates one resource server per scope prefix', () => {
    const { stack } = userPoolStack({ scopes: ['books/read', 'books/admin', 'authors/read', 'books/read'] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'books',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'books/read' }, { ScopeName: 'admin', ScopeDescription: 'books/admin' }],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', { Identifier: 'authors', Scopes: [{ ScopeName: 'read', ScopeDescription: 'authors/read' }] });
  });

  test('with callbackUrls and domainPrefix, the client may use the authorization code grant and ask for the custom scopes', () => {
    const { stack } = userPoolStack({ scopes: ['books/admin'], callbackUrls: ['https://app.example.com/callback'], domainPrefix: 'books-api' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'books-api' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://app.example.com/callback'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('ResourceServerbooks') }, '/admin']] }],
    });
  });

  test('passes mfa, featurePlan, selfSignUpEnabled and removalPolicy on', () => {
    const { stack } = userPoolStack({
      mfa: cognito.Mfa.OPTIONAL,
      featurePlan: cognito.FeaturePlan.PLUS,
      selfSignUpEnabled: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ MfaConfiguration: 'OPTIONAL', UserPoolTier: 'PLUS', AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } }),
    });
  });

  test('its issuer and client serve aws-cdk-lib\'s HttpJwtAuthorizer and our WebSocketTokenAuthorizer alike', () => {
    const { stack, users } = userPoolStack();
    const http = new apigwv2.HttpApi(stack, 'Http');
    http.addRoutes({
      path: '/books',
      integration: new HttpUrlIntegration('Books', 'https://books.example.com'),
      authorizer: new HttpJwtAuthorizer('Jwt', users.issuer, { jwtAudience: users.audience }),
    });
    const authorizer = new WebSocketTokenAuthorizer(stack, 'Token', { userPool: users.userPool, userPoolClients: [users.userPoolClient] });
    new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration: new WebSocketMockIntegration('Connect'), authorizer } });

    const template = Template.fromStack(stack);
    const client = { Ref: logicalId(stack, users.userPoolClient) };
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: { 'Fn::GetAtt': [logicalId(stack, users.userPool), 'ProviderURL'] }, Audience: [client] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COGNITO_USER_POOL_ID: { Ref: logicalId(stack, users.userPool) }, JWT_AUDIENCE: client }) },
    });
  });

  test('synthesizes with CloudFormation validation and no unacknowledged cdk-nag finding', () => {
    expect(synthWithChecks((app) => userPoolStack({ scopes: ['books/admin'], callbackUrls: ['https://app.example.com/cb'], domainPrefix: 'books' }, app))).toEqual([]);
  });

  test('acknowledges AwsSolutions-COG8 (Plus plan) only when it chose the plan itself', () => {
    expect(synthWithChecks((app) => userPoolStack({ featurePlan: cognito.FeaturePlan.PLUS }, app))).toEqual([]);
    expect(synthWithChecks((app) => userPoolStack({ featurePlan: cognito.FeaturePlan.ESSENTIALS }, app))).toEqual([
      { plugin: 'AwsSolutions', rule: 'AwsSolutions-COG8', path: 'Stack/Users/UserPool/Resource' },
    ]);
  });

  test('leaves optional MFA to cdk-nag to report (AwsSolutions-COG2), never acknowledges it', () => {
    expect(synthWithChecks((app) => userPoolStack({ mfa: cognito.Mfa.OPTIONAL }, app))).toEqual([
      { plugin: 'AwsSolutions', rule: 'AwsSolutions-COG2', path: 'Stack/Users/UserPool/Resource' },
    ]);
  });

  describe('throws when', () => {
    test('callbackUrls come without a domainPrefix', () => {
      expect(() => userPoolStack({ callbackUrls: ['https://app.example.com/callback'] }))
        .toThrow(/ServiceUserPool Stack\/Users has callbackUrls but no domainPrefix: the authorization code grant needs Cognito's hosted OAuth endpoints/);
    });

    test.each(['admin', '/admin', 'books/'])('the scope %j has no resource server', (scope) => {
      expect(() => userPoolStack({ scopes: [scope] }))
        .toThrow(`Scope "${scope}" of ServiceUserPool Stack/Users has no resource server: write it as "<resource server>/<scope>", e.g. "books/admin".`);
    });

    test('a scope holds a space', () => {
      expect(() => userPoolStack({ scopes: ['books/read books/write'] })).toThrow(/JWT scope "books\/read books\/write" is not a scope/);
    });
  });
});
