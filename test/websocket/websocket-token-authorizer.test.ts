import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { WebSocketTokenAuthorizer, WebSocketTokenAuthorizerProps } from '../../src/websocket/websocket-token-authorizer';
import { synthWithChecks, testFunction } from '../aspects/service-fixture';

const OIDC: WebSocketTokenAuthorizerProps = { issuer: 'https://example.auth0.com/', audience: ['https://books.example.com'] };

/** A WebSocket API whose `$connect` route uses a `WebSocketTokenAuthorizer` made from `props`. */
function connectWithToken(props: WebSocketTokenAuthorizerProps = OIDC, stack = new Stack(new App(), 'Stack')) {
  const authorizer = new WebSocketTokenAuthorizer(stack, 'Token', props);
  const integration = new WebSocketLambdaIntegration('Connect', testFunction(stack, 'ConnectFn'));
  const api = new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration, authorizer } });
  const stage = new apigwv2.WebSocketStage(stack, 'Stage', { webSocketApi: api, stageName: 'prod', autoDeploy: true });
  return { stack, authorizer, api, stage };
}

/** The authorizer function's environment variables. */
function environmentOf(stack: Stack, authorizer: WebSocketTokenAuthorizer) {
  const id = stack.getLogicalId(authorizer.handler.node.defaultChild as CfnElement);
  return Template.fromStack(stack).toJSON().Resources[id].Properties.Environment.Variables;
}

describe('WebSocketTokenAuthorizer', () => {
  test('puts a REQUEST authorizer on $connect whose identity source is the token query parameter', () => {
    const { stack, authorizer } = connectWithToken();

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      Name: 'Token',
      IdentitySource: ['route.request.querystring.token'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: Match.stringLikeRegexp('TokenAuthorizer') },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [stack.getLogicalId(authorizer.handler.node.defaultChild as CfnElement), 'Arn'] },
    });
  });

  test('gives the function the issuer, audiences, default JWKS URI and query parameter', () => {
    const { stack, authorizer } = connectWithToken({ ...OIDC, audience: ['https://books.example.com', 'web-app'] });

    expect(environmentOf(stack, authorizer)).toEqual({
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      JWT_ISSUER: 'https://example.auth0.com/',
      JWT_AUDIENCE: 'https://books.example.com,web-app',
      JWKS_URI: 'https://example.auth0.com/.well-known/jwks.json',
      TOKEN_QUERY_PARAMETER: 'token',
    });
  });

  test('passes jwksUri, requiredScopes, queryParameter and authorizerName on', () => {
    const { stack, authorizer } = connectWithToken({
      issuer: 'https://example.okta.com/oauth2/default',
      audience: ['api://books'],
      jwksUri: 'https://example.okta.com/oauth2/default/v1/keys',
      requiredScopes: ['books/read', 'books/admin'],
      queryParameter: 'access_token',
      authorizerName: 'jwt',
    });

    expect(environmentOf(stack, authorizer)).toMatchObject({
      JWKS_URI: 'https://example.okta.com/oauth2/default/v1/keys',
      JWT_REQUIRED_SCOPES: 'books/read books/admin',
      TOKEN_QUERY_PARAMETER: 'access_token',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'jwt',
      IdentitySource: ['route.request.querystring.access_token'],
    });
  });

  test('with a Cognito user pool, verifies its tokens with the pool id and app client ids', () => {
    const stack = new Stack(new App(), 'Stack');
    const userPool = new cognito.UserPool(stack, 'Users');
    const web = userPool.addClient('Web');
    const mobile = userPool.addClient('Mobile');
    const { authorizer } = connectWithToken({ userPool, userPoolClients: [web, mobile] }, stack);

    const ref = (construct: cognito.UserPool | cognito.UserPoolClient) => ({ Ref: stack.getLogicalId(construct.node.defaultChild as CfnElement) });
    expect(environmentOf(stack, authorizer)).toEqual({
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
      COGNITO_USER_POOL_ID: ref(userPool),
      JWT_AUDIENCE: { 'Fn::Join': ['', [ref(web), ',', ref(mobile)]] },
      JWKS_URI: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [stack.getLogicalId(userPool.node.defaultChild as CfnElement), 'ProviderName'] }, '/.well-known/jwks.json']] },
      TOKEN_QUERY_PARAMETER: 'token',
    });
  });

  test('synthesizes with CloudFormation validation and no cdk-nag finding on the authorizer or $connect', () => {
    const findings = synthWithChecks((app) => {
      const { stage } = connectWithToken(OIDC, new Stack(app, 'Stack'));
      // The plain test stage is not under test here.
      for (const id of ['AwsSolutions-APIG1', 'Serverless-APIGWAccessLogging', 'Serverless-APIGWDefaultThrottling']) {
        Validations.of(stage).acknowledge({ id, reason: 'Stage settings are outside this test.' });
      }
    });
    expect(findings).toEqual([]);
  });

  test('throws when bound to a route other than $connect (API Gateway allows authorizers there only)', () => {
    const { stack, authorizer, api } = connectWithToken();
    const integration = new WebSocketLambdaIntegration('Send', testFunction(stack, 'SendFn'));
    expect(() => api.addRoute('sendmessage', { integration, authorizer })).toThrow(/only set a WebSocket authorizer to a \$connect route/);
  });

  describe('throws when', () => {
    const stack = () => new Stack();
    const userPool = (s: Stack) => new cognito.UserPool(s, 'Users');

    test.each<[string, WebSocketTokenAuthorizerProps, RegExp]>([
      ['the issuer is not https', { ...OIDC, issuer: 'http://example.auth0.com/' }, /JWT issuer "http:\/\/example.auth0.com\/" is not an https:\/\/ URL/],
      ['the issuer is not a URL', { ...OIDC, issuer: 'example.auth0.com' }, /JWT issuer "example.auth0.com" is not an https:\/\/ URL/],
      ['the audience is empty', { ...OIDC, audience: [] }, /JWT audience is empty: give at least one accepted "aud" value/],
      ['the audience is missing', { issuer: OIDC.issuer }, /JWT audience is empty/],
      ['an audience holds a comma', { ...OIDC, audience: ['a,b'] }, /JWT audience "a,b" is not usable/],
      ['the JWKS URI is not https', { ...OIDC, jwksUri: 'http://example.auth0.com/jwks' }, /JWKS URI "http:\/\/example.auth0.com\/jwks" is not an https:\/\/ URL/],
      ['neither issuer nor userPool is given', {}, /Default\/Token has no token issuer: give issuer and audience \(any OIDC provider\), or userPool and userPoolClients/],
      ['a required scope holds a space', { ...OIDC, requiredScopes: ['books/read books/write'] }, /JWT scope "books\/read books\/write" is not a scope/],
      ['the query parameter is not a parameter name', { ...OIDC, queryParameter: 'to ken' }, /Query-string parameter name "to ken" is not one API Gateway accepts/],
    ])('%s', (_name, props, message) => {
      expect(() => new WebSocketTokenAuthorizer(stack(), 'Token', props)).toThrow(message);
    });

    test('both issuer and userPool are given', () => {
      const s = stack();
      expect(() => new WebSocketTokenAuthorizer(s, 'Token', { ...OIDC, userPool: userPool(s) }))
        .toThrow(/Default\/Token has both issuer and userPool: give issuer and audience for an OIDC provider, or userPool and userPoolClients/);
    });

    test('a userPool comes without userPoolClients', () => {
      const s = stack();
      expect(() => new WebSocketTokenAuthorizer(s, 'Token', { userPool: userPool(s) }))
        .toThrow(/Default\/Token has a userPool: give its app clients as userPoolClients/);
    });

    test('a userPool comes with an audience', () => {
      const s = stack();
      const pool = userPool(s);
      expect(() => new WebSocketTokenAuthorizer(s, 'Token', { userPool: pool, userPoolClients: [pool.addClient('C')], audience: ['x'] }))
        .toThrow(/give its app clients as userPoolClients \(their ids are the accepted audiences\), and no audience/);
    });
  });
});
