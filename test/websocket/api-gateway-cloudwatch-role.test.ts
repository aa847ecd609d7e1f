import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { ApiGatewayCloudWatchRole } from '../../src/websocket/api-gateway-cloudwatch-role';
import { newStack } from '../helpers';

const SETTING = 'Custom::ApiGatewayCloudWatchRole';

function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function webSocketStage(stack: Stack, id = 'Ws'): apigwv2.WebSocketStage {
  const api = new apigwv2.WebSocketApi(stack, id);
  return new apigwv2.WebSocketStage(stack, `${id}Stage`, { webSocketApi: api, stageName: 'prod' });
}

describe('ApiGatewayCloudWatchRole', () => {
  test('holds a role API Gateway assumes, with AmazonAPIGatewayPushToCloudWatchLogs, retained on stack deletion', () => {
    const stack = newStack();
    ApiGatewayCloudWatchRole.of(stack);
    const template = Template.fromStack(stack);

    template.hasResource('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] }],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('a custom resource hands that role to its function, which may only read and patch the account settings and pass that role', () => {
    const stack = newStack();
    const { role, handler } = ApiGatewayCloudWatchRole.of(stack);
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(role.node.defaultChild as any);
    const handlerId = stack.getLogicalId(handler.node.defaultChild as any);

    template.hasResourceProperties(SETTING, {
      ServiceToken: { 'Fn::GetAtt': [handlerId, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      ServiceTimeout: '300',
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      { Action: ['apigateway:GET', 'apigateway:PATCH'], Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/account']] } },
      { Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    ]));
    expect(statements.filter((s) => [].concat(s.Action).some((a: string) => a.startsWith('apigateway:') || a === 'iam:PassRole'))).toHaveLength(2);
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 120, MemorySize: 256, LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }) });
  });

  test('of() gives one per stack', () => {
    const stack = newStack();
    expect(ApiGatewayCloudWatchRole.of(webSocketStage(stack))).toBe(ApiGatewayCloudWatchRole.of(stack));
    Template.fromStack(stack).resourceCountIs(SETTING, 1);
  });

  test('throws when a second one is created in the same stack', () => {
    const stack = newStack();
    new ApiGatewayCloudWatchRole(stack, 'Mine');
    expect(() => new ApiGatewayCloudWatchRole(stack, 'Again'))
      .toThrow('Stack Stack already has an ApiGatewayCloudWatchRole (Stack/Mine); the account setting needs one per stack: use ApiGatewayCloudWatchRole.of(scope).');
  });

  test('addDependent() makes the stage wait for the setting, and the setting wait for the stage\'s API', () => {
    const stack = newStack();
    const stage = webSocketStage(stack);
    ApiGatewayCloudWatchRole.of(stack).addDependent(stage);
    const template = Template.fromStack(stack);
    const setting = logicalIdOf(template, SETTING);
    const api = logicalIdOf(template, 'AWS::ApiGatewayV2::Api');

    template.hasResource('AWS::ApiGatewayV2::Stage', { DependsOn: Match.arrayWith([setting]) });
    template.hasResource(SETTING, { DependsOn: Match.arrayWith([api]) });
  });

  test('addDependent() takes the L1 CfnStage too', () => {
    const stack = newStack();
    const stage = webSocketStage(stack);
    ApiGatewayCloudWatchRole.of(stack).addDependent(stage.node.defaultChild as apigwv2.CfnStage);
    Template.fromStack(stack).hasResource('AWS::ApiGatewayV2::Stage', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ApiGatewayCloudWatchRole')]) });
  });

  test('throws when addDependent() gets something that is not a stage', () => {
    const stack = newStack();
    const api = new apigwv2.WebSocketApi(stack, 'Ws');
    expect(() => ApiGatewayCloudWatchRole.of(stack).addDependent(api))
      .toThrow('ApiGatewayCloudWatchRole.addDependent got Stack/Ws, which is not a stage: give a WebSocketStage or a CfnStage.');
  });
});
