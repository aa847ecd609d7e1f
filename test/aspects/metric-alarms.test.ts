import { App, AspectPriority, Aspects, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Flavour, serviceStack } from './service-fixture';
import { HttpStageAlarms, WebSocketStageAlarms } from '../../src/alarms';
import { AspectMode } from '../../src/aspects/aspect-mode';
import { MetricAlarms, MetricAlarmsProps } from '../../src/aspects/metric-alarms';
import { ServiceHttpApi } from '../../src/http/service-http-api';

const ALARM = 'AWS::CloudWatch::Alarm';
const HTTP_METRICS = ['5xx', '4xx', 'Latency', 'IntegrationLatency'];
const WEBSOCKET_METRICS = ['ExecutionError', 'IntegrationError', 'ClientError', 'IntegrationLatency'];

function addAspects(stack: Stack, ...aspects: MetricAlarms[]): Stack {
  aspects.forEach((aspect) => Aspects.of(stack).add(aspect, { priority: aspect.priority }));
  return stack;
}

/** A plain HTTP API (its `$default` stage and a `prod` stage) and a plain WebSocket API with a `live` stage. */
function plainStack(build: (stack: Stack, http: apigwv2.HttpApi, wsStage: apigwv2.WebSocketStage) => void = () => undefined): Stack {
  const stack = new Stack(new App(), 'Stack');
  const http = new apigwv2.HttpApi(stack, 'Http');
  http.addStage('Prod', { stageName: 'prod' });
  const ws = new apigwv2.WebSocketApi(stack, 'Ws');
  const wsStage = new apigwv2.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'live' });
  build(stack, http, wsStage);
  return stack;
}

function apiRef(stack: Stack, protocol: string): { Ref: string } {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: protocol } });
  expect(Object.keys(apis)).toHaveLength(1);
  return { Ref: Object.keys(apis)[0] };
}

/** The alarms on the stage `stageName` of the API with `protocol`, by metric name. */
function stageAlarms(stack: Stack, protocol: string, stageName: string): Record<string, Record<string, any>> {
  const dimensions = [{ Name: 'ApiId', Value: apiRef(stack, protocol) }, { Name: 'Stage', Value: stageName }];
  const alarms = Template.fromStack(stack).findResources(ALARM, { Properties: { Dimensions: dimensions } });
  return Object.fromEntries(Object.values(alarms).map((a) => [a.Properties.MetricName, a.Properties]));
}

function alarmCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).findResources(ALARM)).length;
}

describe('MetricAlarms', () => {
  test('runs as MUTATING in apply mode and READONLY in audit mode', () => {
    expect(new MetricAlarms().priority).toBe(AspectPriority.MUTATING);
    expect(new MetricAlarms({ mode: AspectMode.AUDIT }).priority).toBe(AspectPriority.READONLY);
  });

  describe('apply mode', () => {
    test('gives a named HTTP stage its 4 alarms on ApiId and the real stage name', () => {
      const stack = addAspects(plainStack(), new MetricAlarms());

      const alarms = stageAlarms(stack, 'HTTP', 'prod');

      expect(Object.keys(alarms).sort()).toEqual([...HTTP_METRICS].sort());
      expect(alarms['5xx']).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Threshold: 0, TreatMissingData: 'notBreaching' });
      expect(alarms.Latency).toMatchObject({ ExtendedStatistic: 'p99', TreatMissingData: 'notBreaching' });
      expect(Object.keys(stageAlarms(stack, 'HTTP', '$default')).sort()).toEqual([...HTTP_METRICS].sort());
    });

    test('uses the stageName of a ServiceHttpApi', () => {
      const stack = new Stack(new App(), 'Stack');
      new ServiceHttpApi(stack, 'Http', { stageName: 'prod' });
      addAspects(stack, new MetricAlarms());

      expect(Object.keys(stageAlarms(stack, 'HTTP', 'prod')).sort()).toEqual([...HTTP_METRICS].sort());
      expect(alarmCount(stack)).toBe(4);
    });

    test('gives a WebSocket stage its 4 alarms, missing data not breaching', () => {
      const stack = addAspects(plainStack(), new MetricAlarms());

      const alarms = stageAlarms(stack, 'WEBSOCKET', 'live');

      expect(Object.keys(alarms).sort()).toEqual([...WEBSOCKET_METRICS].sort());
      for (const name of ['ExecutionError', 'IntegrationError', 'ClientError']) {
        expect(alarms[name]).toMatchObject({ Statistic: 'Sum', TreatMissingData: 'notBreaching' });
      }
      expect(alarms.IntegrationLatency).toMatchObject({ ExtendedStatistic: 'p99', TreatMissingData: 'notBreaching' });
    });

    test.each<Flavour>(['plain', 'wrappers'])('covers both stages of the %s reference service', (flavour) => {
      const stack = addAspects(serviceStack(flavour), new MetricAlarms());

      expect(Object.keys(stageAlarms(stack, 'HTTP', '$default'))).toHaveLength(4);
      expect(Object.keys(stageAlarms(stack, 'WEBSOCKET', 'prod'))).toHaveLength(4);
      expect(alarmCount(stack)).toBe(8);
    });

    test('alarmEmail creates one encrypted topic with an e-mail subscription, shared by every alarm', () => {
      const stack = addAspects(plainStack(), new MetricAlarms({ alarmEmail: 'oncall@example.com' }));
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.resourceCountIs('AWS::SNS::Subscription', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
      const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
      const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          })]),
        },
      });
      const alarms = Object.values(template.findResources(ALARM));
      expect(alarms).toHaveLength(12);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      }
    });

    test('uses alarmTopic when given, and creates no topic of its own', () => {
      let topic!: sns.Topic;
      const stack = plainStack((s) => { topic = new sns.Topic(s, 'OnCall'); });
      addAspects(stack, new MetricAlarms({ alarmTopic: topic, alarmEmail: 'ignored@example.com' }));
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
      for (const alarm of Object.values(template.findResources(ALARM))) {
        expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      }
    });

    test('passes the alarm options on', () => {
      const stack = addAspects(plainStack(), new MetricAlarms({ clientErrorThreshold: 7 }));

      expect(stageAlarms(stack, 'HTTP', 'prod')['4xx'].Threshold).toBe(7);
      expect(stageAlarms(stack, 'WEBSOCKET', 'live').ClientError.Threshold).toBe(7);
    });

    test('adds none to a stage that already has alarms', () => {
      const stack = plainStack((s, http, wsStage) => {
        new HttpStageAlarms(s, 'OwnHttpAlarms', { stage: http.defaultStage!, clientErrorThreshold: 1 });
        new WebSocketStageAlarms(s, 'OwnWsAlarms', { stage: wsStage, clientErrorThreshold: 1 });
      });
      addAspects(stack, new MetricAlarms());

      // The user's 8 alarms, and 4 new ones on the `prod` HTTP stage only.
      expect(alarmCount(stack)).toBe(12);
      expect(stageAlarms(stack, 'HTTP', '$default')['4xx'].Threshold).toBe(1);
      expect(stageAlarms(stack, 'WEBSOCKET', 'live').ClientError.Threshold).toBe(1);
      expect(stageAlarms(stack, 'HTTP', 'prod')['4xx'].Threshold).toBe(100);
    });

    test('applied twice, creates alarms and topic once', () => {
      const props: MetricAlarmsProps = { alarmEmail: 'oncall@example.com' };
      const once = Template.fromStack(addAspects(plainStack(), new MetricAlarms(props))).toJSON();

      const twice = Template.fromStack(addAspects(plainStack(), new MetricAlarms(props), new MetricAlarms(props))).toJSON();

      expect(Object.keys(twice.Resources)).toHaveLength(Object.keys(once.Resources).length);
      expect(twice).toEqual(once);
    });
  });

  describe('audit mode', () => {
    test('reports each stage without alarms, is silent on one with alarms, and changes nothing', () => {
      const withOwnAlarms = (s: Stack, http: apigwv2.HttpApi) => { new HttpStageAlarms(s, 'OwnAlarms', { stage: http.defaultStage! }); };
      const stack = addAspects(plainStack(withOwnAlarms), new MetricAlarms({ mode: AspectMode.AUDIT, alarmEmail: 'oncall@example.com' }));
      const annotations = Annotations.fromStack(stack);

      annotations.hasError('/Stack/Http/Prod', Match.stringLikeRegexp('\\[projen-api-service:alarms\\] Stage "prod" has no metric alarms'));
      annotations.hasError('/Stack/WsStage', Match.stringLikeRegexp('Stage "live" has no metric alarms'));
      annotations.hasNoError('/Stack/Http/DefaultStage', Match.anyValue());
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(plainStack(withOwnAlarms)).toJSON());
    });
  });

  describe('validation', () => {
    test('throws when alarmEmail is not an e-mail address', () => {
      expect(() => new MetricAlarms({ alarmEmail: 'oncall.example.com' }))
        .toThrow('Alarm e-mail "oncall.example.com" is not an e-mail address');
    });

    test('accepts an alarmEmail token, e.g. a parameter', () => {
      const stack = plainStack();
      const email = new CfnParameter(stack, 'AlarmEmail');
      addAspects(stack, new MetricAlarms({ alarmEmail: email.valueAsString }));

      Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } });
    });

    test('throws when the alarm options are invalid', () => {
      const stack = addAspects(plainStack(), new MetricAlarms({ evaluationPeriods: 0 }));

      expect(() => Template.fromStack(stack)).toThrow('evaluationPeriods must be an integer >= 1, got 0');
    });
  });
});
