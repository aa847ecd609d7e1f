import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { WebSocketApiKeyAuthorizer, WebSocketApiKeyAuthorizerProps } from '../../src/websocket/websocket-api-key-authorizer';
import { synthWithChecks, testFunction } from '../aspects/service-fixture';

const AUTHORIZER_KEY = apigwv2.WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY;

interface Setup {
  readonly props?: WebSocketApiKeyAuthorizerProps;
  readonly selection?: apigwv2.WebSocketApiKeySelectionExpression;
  readonly apiKeyRequired?: boolean;
}

/** A WebSocket API whose `$connect` route uses a `WebSocketApiKeyAuthorizer`, set up as documented by default. */
function connectWithApiKey(setup: Setup = {}, stack = new Stack(new App(), 'Stack')) {
  const authorizer = new WebSocketApiKeyAuthorizer(stack, 'ApiKey', setup.props);
  const integration = new WebSocketLambdaIntegration('Connect', testFunction(stack, 'ConnectFn'));
  const api = new apigwv2.WebSocketApi(stack, 'Ws', { apiKeySelectionExpression: 'selection' in setup ? setup.selection : AUTHORIZER_KEY });
  // apiKeyRequired is a WebSocketRoute prop (not a WebSocketRouteOptions one), so $connect is made directly.
  new apigwv2.WebSocketRoute(api, '$connect-Route', {
    webSocketApi: api, routeKey: '$connect', integration, authorizer, apiKeyRequired: setup.apiKeyRequired ?? true,
  });
  const stage = new apigwv2.WebSocketStage(stack, 'Stage', { webSocketApi: api, stageName: 'prod', autoDeploy: true });
  return { stack, authorizer, api, stage };
}

describe('WebSocketApiKeyAuthorizer', () => {
  test('puts a REQUEST authorizer without identity source on $connect, which requires the key it returns', () => {
    const { stack, authorizer } = connectWithApiKey();

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', Name: 'ApiKey', IdentitySource: [] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      ApiKeyRequired: true,
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: Match.stringLikeRegexp('ApiKeyAuthorizer') },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ API_KEY_QUERY_PARAMETER: 'apiKey' }) },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: stack.getLogicalId(authorizer.logGroup.node.defaultChild as CfnElement) } },
    });
  });

  test('passes queryParameter and authorizerName on', () => {
    const { stack } = connectWithApiKey({ props: { queryParameter: 'key', authorizerName: 'keys' } });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { Name: 'keys' });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ API_KEY_QUERY_PARAMETER: 'key' }) } });
  });

  test('synthesizes with CloudFormation validation and no cdk-nag finding on the authorizer or $connect', () => {
    const findings = synthWithChecks((app) => {
      const { stage } = connectWithApiKey({}, new Stack(app, 'Stack'));
      for (const id of ['AwsSolutions-APIG1', 'Serverless-APIGWAccessLogging', 'Serverless-APIGWDefaultThrottling']) {
        Validations.of(stage).acknowledge({ id, reason: 'Stage settings are outside this test.' });
      }
    });
    expect(findings).toEqual([]);
  });

  // Without both settings API Gateway would not check the returned key, and any string would connect.
  describe('synthesis fails when API Gateway would not check the key', () => {
    test('throws when $connect does not require an API key', () => {
      const { stack } = connectWithApiKey({ apiKeyRequired: false });
      expect(() => Template.fromStack(stack)).toThrow(
        /Route Stack\/Ws\/\$connect-Route uses WebSocketApiKeyAuthorizer Stack\/ApiKey but does not require an API key, so API Gateway would accept any key: set apiKeyRequired: true on the \$connect route/,
      );
    });

    test('throws when the API selects keys from the x-api-key header', () => {
      const { stack } = connectWithApiKey({ selection: apigwv2.WebSocketApiKeySelectionExpression.HEADER_X_API_KEY });
      expect(() => Template.fromStack(stack)).toThrow(
        /WebSocket API Stack\/Ws selects API keys with "\$request.header.x-api-key", so API Gateway would not check the key WebSocketApiKeyAuthorizer Stack\/ApiKey returns: set apiKeySelectionExpression to WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY/,
      );
    });

    test('throws when the API selects no keys at all', () => {
      const { stack } = connectWithApiKey({ selection: undefined });
      expect(() => Template.fromStack(stack)).toThrow(/WebSocket API Stack\/Ws selects API keys with null/);
    });
  });

  test('throws when the query parameter is not a parameter name', () => {
    expect(() => new WebSocketApiKeyAuthorizer(new Stack(), 'ApiKey', { queryParameter: 'api key' }))
      .toThrow(/Query-string parameter name "api key" is not one API Gateway accepts as an identity source/);
  });
});
