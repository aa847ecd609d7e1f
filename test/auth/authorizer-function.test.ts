import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newAuthorizerFunction } from '../../src/auth/authorizer-function';
import { WebsocketApiKeyAuthorizerFunction } from '../../src/websocket/websocket-api-key-authorizer-function';
import { synthWithChecks } from '../aspects/service-fixture';

function authorizerFunctionStack(logRetention?: logs.RetentionDays, app = new App()) {
  const stack = new Stack(app, 'Stack');
  const created = newAuthorizerFunction(stack, WebsocketApiKeyAuthorizerFunction, { SETTING: 'value' }, logRetention);
  return { stack, ...created };
}

describe('newAuthorizerFunction', () => {
  test('configures the bundled function: latest Node runtime, memory, timeout, tracing, JSON logs to its log group, environment', () => {
    const { stack, handler, logGroup } = authorizerFunctionStack(logs.RetentionDays.ONE_WEEK);

    expect(handler).toBeInstanceOf(WebsocketApiKeyAuthorizerFunction);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: stack.getLogicalId(logGroup.node.defaultChild as CfnElement) } },
      Environment: { Variables: { SETTING: 'value', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('keeps the logs one month by default', () => {
    Template.fromStack(authorizerFunctionStack().stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('leaves no unacknowledged cdk-nag finding: the execution role and synchronous-invocation ones are acknowledged', () => {
    expect(synthWithChecks((app) => authorizerFunctionStack(undefined, app))).toEqual([]);
  });
});
