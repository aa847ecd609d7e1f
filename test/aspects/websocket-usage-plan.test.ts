import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AspectMode } from '../../src/aspects/aspect-mode';
import { ensureUsagePlan } from '../../src/aspects/websocket-usage-plan';

function stageStack(): { stack: Stack; stage: apigwv2.WebSocketStage } {
  const stack = new Stack(new App(), 'Stack');
  const ws = new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration: new WebSocketMockIntegration('Mock') } });
  return { stack, stage: new apigwv2.WebSocketStage(stack, 'Stage', { webSocketApi: ws, stageName: 'live' }) };
}

describe('ensureUsagePlan', () => {
  test('apply mode: a usage plan with the limits given, one key, and the key id as an output', () => {
    const { stack, stage } = stageStack();
    ensureUsagePlan(stage, { mode: AspectMode.APPLY, rateLimit: 5, burstLimit: 7 });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { ApiStages: [{ ApiId: { Ref: Match.anyValue() }, Stage: 'live' }], Throttle: { RateLimit: 5, BurstLimit: 7 } });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    expect(Object.keys(template.findOutputs('*'))).toHaveLength(1);
  });

  test('twice: still one plan', () => {
    const { stack, stage } = stageStack();
    ensureUsagePlan(stage, { mode: AspectMode.APPLY });
    ensureUsagePlan(stage, { mode: AspectMode.APPLY });

    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
  });

  test('audit mode: an error on a stage in no plan, and nothing created', () => {
    const { stack, stage } = stageStack();
    ensureUsagePlan(stage, { mode: AspectMode.AUDIT });

    Annotations.fromStack(stack).hasError('/Stack/Stage', Match.stringLikeRegexp('\\[projen-api-service:api-key\\] WebSocket stage "live" is in no usage plan'));
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });
});
