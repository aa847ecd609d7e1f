import { App, CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { HttpApiKeyAuthorizer } from '../../src/http/http-api-key-authorizer';

/** Integrations bind to one API, so each API gets its own. */
function backend() {
  return new HttpUrlIntegration('Backend', 'https://backend.example.com');
}

/** A stack with an HTTP API whose two routes use one authorizer. */
function apiWithTwoRoutes(props: ConstructorParameters<typeof HttpApiKeyAuthorizer>[2] = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const authorizer = new HttpApiKeyAuthorizer(stack, 'ApiKey', props);
  const api = new apigwv2.HttpApi(stack, 'Api');
  const integration = backend();
  api.addRoutes({ path: '/books', methods: [apigwv2.HttpMethod.GET], integration, authorizer });
  api.addRoutes({ path: '/authors', methods: [apigwv2.HttpMethod.GET], integration, authorizer });
  return { app, stack, api, authorizer };
}

describe('HttpApiKeyAuthorizer', () => {
  test('creates a REQUEST authorizer with simple responses on the x-api-key header', () => {
    const { stack } = apiWithTwoRoutes();

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      Name: 'ApiKey',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      IdentitySource: ['$request.header.x-api-key'],
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  test('passes resultsCacheTtl and authorizerName to API Gateway', () => {
    const { stack } = apiWithTwoRoutes({ resultsCacheTtl: Duration.seconds(0), authorizerName: 'keys' });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'keys',
      AuthorizerResultTtlInSeconds: 0,
    });
  });

  test('routes of one API share one authorizer and one invoke permission', () => {
    const { stack, authorizer } = apiWithTwoRoutes();

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    expect(Object.keys(routes)).toHaveLength(2);
    const authorizerIds = Object.values(routes).map((route) => route.Properties.AuthorizerId);
    expect(authorizerIds[0]).toEqual(authorizerIds[1]);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      AuthorizationType: 'CUSTOM',
      AuthorizerId: authorizerIds[0],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [stack.getLogicalId(authorizer.handler.node.defaultChild as CfnElement), 'Arn'] },
    });
  });

  test('works as the default authorizer of an HttpApi', () => {
    const stack = new Stack();
    const authorizer = new HttpApiKeyAuthorizer(stack, 'ApiKey');
    const api = new apigwv2.HttpApi(stack, 'Api', { defaultAuthorizer: authorizer });
    const integration = backend();
    api.addRoutes({ path: '/books', integration });
    api.addRoutes({ path: '/authors', integration });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'CUSTOM' });
  });

  test('generates a header-safe secret and gives the function read access to it', () => {
    const { stack, authorizer } = apiWithTwoRoutes();

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 40 },
    });
    const secretRef = { Ref: stack.getLogicalId(authorizer.secret.node.defaultChild as CfnElement) };
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ API_KEY_SECRET_ARN: secretRef }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Effect: 'Allow',
            Resource: secretRef,
          }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('ApiKeyFunctionServiceRole') }],
    });
  });

  test('uses a given secret instead of creating one', () => {
    const stack = new Stack();
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:api-keys-AbCdEf';
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Keys', secretArn);
    const authorizer = new HttpApiKeyAuthorizer(stack, 'ApiKey', { secret });

    expect(authorizer.secret).toBe(secret);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ API_KEY_SECRET_ARN: secretArn }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['secretsmanager:GetSecretValue']), Resource: secretArn }),
        ]),
      },
    });
  });

  test('configures the function: Node runtime, memory, timeout, tracing, JSON logs, retained log group', () => {
    const { stack, authorizer } = apiWithTwoRoutes({ logRetention: logs.RetentionDays.ONE_WEEK });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: {
        LogFormat: 'JSON',
        LogGroup: { Ref: stack.getLogicalId(authorizer.logGroup.node.defaultChild as CfnElement) },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('cdk-nag AwsSolutions and Serverless checks report nothing for the authorizer', () => {
    const { app, stack, api } = apiWithTwoRoutes();
    const packs = [new AwsSolutionsChecks(app), new ServerlessChecks(app)];
    Validations.of(app).addPlugins(...packs);
    // The plain test stage is not under test here.
    for (const id of ['AwsSolutions-APIG1', 'Serverless-APIGWAccessLogging', 'Serverless-APIGWDefaultThrottling']) {
      Validations.of(api.defaultStage!).acknowledge({ id, reason: 'Stage settings are outside this test.' });
    }

    // Errors would make synthesis throw; warnings only show in the reports checked below.
    expect(() => app.synth()).not.toThrow();
    for (const pack of packs) {
      expect(pack.validateScope(stack).violations).toEqual([]);
    }
  });

  test('does not acknowledge cdk-nag findings on a secret it is given', () => {
    const stack = new Stack();
    const secret = new secretsmanager.Secret(stack, 'Keys');
    new HttpApiKeyAuthorizer(stack, 'ApiKey', { secret });

    const violations = new AwsSolutionsChecks().validateScope(stack).violations;
    expect(violations).toEqual([
      expect.objectContaining({
        ruleName: 'AwsSolutions-SMG4',
        violatingResources: [expect.objectContaining({ constructPath: 'Default/Keys/Resource' })],
      }),
    ]);
  });

  test('throws when resultsCacheTtl is longer than 1 hour', () => {
    const stack = new Stack();
    expect(() => new HttpApiKeyAuthorizer(stack, 'ApiKey', { resultsCacheTtl: Duration.minutes(61) }))
      .toThrow(/resultsCacheTtl is 1 hour 1 minute, but API Gateway allows at most 1 hour/);
  });

  test('throws when resultsCacheTtl is not a whole number of seconds', () => {
    const stack = new Stack();
    expect(() => new HttpApiKeyAuthorizer(stack, 'ApiKey', { resultsCacheTtl: Duration.millis(1500) }))
      .toThrow(/resultsCacheTtl is 1 second 500 millis, but API Gateway takes whole seconds/);
  });

  test('throws when bound to a second HTTP API', () => {
    const { stack, authorizer } = apiWithTwoRoutes();
    const other = new apigwv2.HttpApi(stack, 'Other');
    expect(() => other.addRoutes({ path: '/books', integration: backend(), authorizer }))
      .toThrow(/Cannot attach the same authorizer to multiple Apis/);
  });
});
