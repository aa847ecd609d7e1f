import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpStage, IHttpStage, IWebSocketStage, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { HttpStageAlarms, StageAlarmOptions, StageAlarms, WebSocketStageAlarms } from '../../src/alarms';

const ALARM = 'AWS::CloudWatch::Alarm';

function httpStage(stageName?: string): { stack: Stack; stage: IHttpStage } {
  const stack = new Stack(new App(), 'Stack');
  if (stageName === undefined) {
    return { stack, stage: new HttpApi(stack, 'Api').defaultStage! };
  }
  const api = new HttpApi(stack, 'Api', { createDefaultStage: false });
  return { stack, stage: new HttpStage(stack, 'Stage', { httpApi: api, stageName }) };
}

function webSocketStage(stageName = 'prod'): { stack: Stack; stage: IWebSocketStage } {
  const stack = new Stack(new App(), 'Stack');
  const api = new WebSocketApi(stack, 'Api');
  return { stack, stage: new WebSocketStage(stack, 'Stage', { webSocketApi: api, stageName }) };
}

function apiRef(stack: Stack): { Ref: string } {
  const apis = Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Api');
  return { Ref: Object.keys(apis)[0] };
}

function dimensions(stack: Stack, stageName: string) {
  return [{ Name: 'ApiId', Value: apiRef(stack) }, { Name: 'Stage', Value: stageName }];
}

function alarmFor(stack: Stack, metricName: string): Record<string, any> {
  const found = Template.fromStack(stack).findResources(ALARM, { Properties: { MetricName: metricName } });
  const alarms = Object.values(found);
  expect(alarms).toHaveLength(1);
  return alarms[0].Properties;
}

/** Asserts an alarm on `metricName` of stage `prod` with the default evaluation settings, plus `expected`. */
function expectDefaultAlarm(stack: Stack, metricName: string, expected: Record<string, unknown>): void {
  Template.fromStack(stack).hasResourceProperties(ALARM, {
    MetricName: metricName,
    Namespace: 'AWS/ApiGateway',
    Dimensions: dimensions(stack, 'prod'),
    ComparisonOperator: 'GreaterThanThreshold',
    Period: 300,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    TreatMissingData: 'notBreaching',
    ...expected,
  });
}

describe('HttpStageAlarms', () => {
  test.each([
    ['5xx', { Statistic: 'Sum', Threshold: 0 }],
    ['4xx', { Statistic: 'Sum', Threshold: 100 }],
    ['Latency', { ExtendedStatistic: 'p99', Threshold: 3000 }],
    ['IntegrationLatency', { ExtendedStatistic: 'p99', Threshold: 2500 }],
  ])('alarms on %s of a named stage with default settings', (metricName, expected) => {
    const { stack, stage } = httpStage('prod');
    new HttpStageAlarms(stack, 'Alarms', { stage });

    expectDefaultAlarm(stack, metricName, {
      AlarmDescription: Match.stringLikeRegexp('^API Gateway stage prod\\. .+ Evaluated over 1 of 1 period\\(s\\) of 5 minutes\\.$'),
      ...expected,
    });
  });

  test('creates exactly four alarms, exposed by name and in the list', () => {
    const { stack, stage } = httpStage('prod');
    const alarms = new HttpStageAlarms(stack, 'Alarms', { stage });

    Template.fromStack(stack).resourceCountIs(ALARM, 4);
    expect(alarms.alarms).toEqual([alarms.serverErrorAlarm, alarms.clientErrorAlarm, alarms.latencyAlarm, alarms.integrationLatencyAlarm]);
  });

  test('works on the $default stage of an HttpApi', () => {
    const { stack, stage } = httpStage();
    new HttpStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage });

    const template = Template.fromStack(stack);
    template.resourceCountIs(ALARM, 4);
    template.allResourcesProperties(ALARM, { Dimensions: dimensions(stack, '$default') });
  });

  test('describes what each alarm means', () => {
    const { stack, stage } = httpStage('prod');
    new HttpStageAlarms(stack, 'Alarms', { stage });

    expect(alarmFor(stack, '5xx').AlarmDescription).toContain('Requests failed with 5XX');
    expect(alarmFor(stack, '5xx').AlarmDescription).toContain('Fires on more than 0 per period.');
    expect(alarmFor(stack, 'Latency').AlarmDescription).toContain('Fires when the p99 exceeds 3 seconds.');
  });

  test('applies overridden thresholds and evaluation settings', () => {
    const { stack, stage } = httpStage('prod');
    new HttpStageAlarms(stack, 'Alarms', {
      stage,
      serverErrorThreshold: 5,
      clientErrorThreshold: 20,
      latencyThreshold: Duration.seconds(10),
      integrationLatencyThreshold: Duration.millis(800),
      period: Duration.minutes(1),
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });

    expect(alarmFor(stack, '5xx')).toMatchObject({ Threshold: 5, Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(alarmFor(stack, '4xx').Threshold).toBe(20);
    expect(alarmFor(stack, 'Latency').Threshold).toBe(10000);
    expect(alarmFor(stack, 'IntegrationLatency').Threshold).toBe(800);
    expect(alarmFor(stack, '4xx').AlarmDescription).toContain('Evaluated over 3 of 5 period(s) of 1 minute.');
  });

  test('ignores the WebSocket-only integrationErrorThreshold', () => {
    const { stack, stage } = httpStage('prod');
    new HttpStageAlarms(stack, 'Alarms', { stage, integrationErrorThreshold: 7 });

    Template.fromStack(stack).resourceCountIs(ALARM, 4);
    Template.fromStack(stack).resourcePropertiesCountIs(ALARM, { Threshold: 7 }, 0);
  });
});

describe('WebSocketStageAlarms', () => {
  test.each([
    ['ExecutionError', { Statistic: 'Sum', Threshold: 0 }],
    ['IntegrationError', { Statistic: 'Sum', Threshold: 0 }],
    ['ClientError', { Statistic: 'Sum', Threshold: 100 }],
    ['IntegrationLatency', { ExtendedStatistic: 'p99', Threshold: 2500 }],
  ])('alarms on %s of a named stage with default settings', (metricName, expected) => {
    const { stack, stage } = webSocketStage('prod');
    new WebSocketStageAlarms(stack, 'Alarms', { stage });

    expectDefaultAlarm(stack, metricName, expected);
  });

  test('creates exactly four alarms, exposed by name and in the list', () => {
    const { stack, stage } = webSocketStage();
    const alarms = new WebSocketStageAlarms(stack, 'Alarms', { stage });

    Template.fromStack(stack).resourceCountIs(ALARM, 4);
    expect(alarms.alarms).toEqual([
      alarms.executionErrorAlarm, alarms.integrationErrorAlarm, alarms.clientErrorAlarm, alarms.integrationLatencyAlarm,
    ]);
  });

  test('works on a $default stage', () => {
    const { stack, stage } = webSocketStage('$default');
    new WebSocketStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage });

    Template.fromStack(stack).allResourcesProperties(ALARM, { Dimensions: dimensions(stack, '$default') });
  });

  test('applies overridden thresholds and ignores the HTTP-only latencyThreshold', () => {
    const { stack, stage } = webSocketStage();
    new WebSocketStageAlarms(stack, 'Alarms', {
      stage,
      serverErrorThreshold: 1,
      integrationErrorThreshold: 2,
      clientErrorThreshold: 3,
      integrationLatencyThreshold: Duration.seconds(4),
      latencyThreshold: Duration.seconds(9),
    });

    expect(alarmFor(stack, 'ExecutionError').Threshold).toBe(1);
    expect(alarmFor(stack, 'IntegrationError').Threshold).toBe(2);
    expect(alarmFor(stack, 'ClientError').Threshold).toBe(3);
    expect(alarmFor(stack, 'IntegrationLatency').Threshold).toBe(4000);
    Template.fromStack(stack).resourcePropertiesCountIs(ALARM, { Threshold: 9000 }, 0);
  });
});

describe('alarm actions', () => {
  test('notifies the topic on ALARM and on OK when a topic is given', () => {
    const { stack, stage } = httpStage('prod');
    const topic = new sns.Topic(stack, 'Topic');
    new HttpStageAlarms(stack, 'Alarms', { stage, alarmTopic: topic });

    const topicRef = { Ref: Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))[0] };
    Template.fromStack(stack).allResourcesProperties(ALARM, { AlarmActions: [topicRef], OKActions: [topicRef] });
  });

  test('has no actions without a topic', () => {
    const { stack, stage } = webSocketStage();
    new WebSocketStageAlarms(stack, 'Alarms', { stage });

    Template.fromStack(stack).allResourcesProperties(ALARM, { AlarmActions: Match.absent(), OKActions: Match.absent() });
  });
});

describe('StageAlarms.of', () => {
  test('finds the alarms of a stage wherever they were created', () => {
    const { stack, stage } = httpStage('prod');
    expect(StageAlarms.of(stage)).toBeUndefined();

    const alarms = new HttpStageAlarms(stack, 'SomewhereElse', { stage });

    expect(StageAlarms.of(stage)).toBe(alarms);
  });

  test('keeps the first alarms of a stage and does not mix stages', () => {
    const { stack, stage } = webSocketStage();
    const other = new WebSocketStage(stack, 'Other', { webSocketApi: stage.api, stageName: 'dev' });
    const first = new WebSocketStageAlarms(stage, StageAlarms.DEFAULT_ID, { stage });
    new WebSocketStageAlarms(stack, 'Second', { stage });

    expect(StageAlarms.of(stage)).toBe(first);
    expect(StageAlarms.of(other)).toBeUndefined();
  });
});

describe('validation', () => {
  test.each<[string, StageAlarmOptions, RegExp]>([
    ['a count threshold is negative', { serverErrorThreshold: -1 }, /serverErrorThreshold must be a number >= 0, got -1/],
    ['a count threshold is not a number', { clientErrorThreshold: NaN }, /clientErrorThreshold must be a number >= 0, got NaN/],
    ['the integration latency threshold is zero', { integrationLatencyThreshold: Duration.millis(0) }, /integrationLatencyThreshold must be a positive duration, got 0 millis/],
    ['evaluationPeriods is zero', { evaluationPeriods: 0 }, /evaluationPeriods must be an integer >= 1, got 0/],
    ['evaluationPeriods is fractional', { evaluationPeriods: 1.5 }, /evaluationPeriods must be an integer >= 1, got 1.5/],
    ['datapointsToAlarm is zero', { datapointsToAlarm: 0 }, /datapointsToAlarm must be an integer >= 1, got 0/],
    ['datapointsToAlarm exceeds evaluationPeriods', { evaluationPeriods: 2, datapointsToAlarm: 3 },
      /datapointsToAlarm \(3\) must not exceed evaluationPeriods \(2\): lower datapointsToAlarm or raise evaluationPeriods/],
    ['the evaluation window exceeds one day', { period: Duration.hours(1), evaluationPeriods: 25 },
      /evaluationPeriods \(25\) times period \(1 hour\) exceeds CloudWatch's limit of one day/],
  ])('throws when %s', (_, options, message) => {
    const http = httpStage('prod');
    const ws = webSocketStage();

    expect(() => new HttpStageAlarms(http.stack, 'Alarms', { stage: http.stage, ...options })).toThrow(message);
    expect(() => new WebSocketStageAlarms(ws.stack, 'Alarms', { stage: ws.stage, ...options })).toThrow(message);
  });

  test('throws when the HTTP latency threshold is zero', () => {
    const { stack, stage } = httpStage('prod');

    expect(() => new HttpStageAlarms(stack, 'Alarms', { stage, latencyThreshold: Duration.seconds(0) }))
      .toThrow(/latencyThreshold must be a positive duration, got 0 seconds: pass e.g. Duration.seconds\(3\)/);
  });

  test('throws when the WebSocket integration error threshold is negative', () => {
    const { stack, stage } = webSocketStage();

    expect(() => new WebSocketStageAlarms(stack, 'Alarms', { stage, integrationErrorThreshold: -2 }))
      .toThrow(/integrationErrorThreshold must be a number >= 0, got -2: pass the count above which the alarm fires/);
  });

  test('leaves unresolved tokens to deploy time', () => {
    const { stack, stage } = webSocketStage();
    const periods = new CfnParameter(stack, 'Periods', { type: 'Number' }).valueAsNumber;
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' }).valueAsNumber;
    new WebSocketStageAlarms(stack, 'Alarms', { stage, evaluationPeriods: periods, serverErrorThreshold: threshold });

    expect(alarmFor(stack, 'ExecutionError')).toMatchObject({
      EvaluationPeriods: { Ref: 'Periods' },
      DatapointsToAlarm: { Ref: 'Periods' },
      Threshold: { Ref: 'Threshold' },
    });
  });

  test('accepts a latency threshold beyond the integration timeout', () => {
    const { stack, stage } = httpStage('prod');
    new HttpStageAlarms(stack, 'Alarms', { stage, latencyThreshold: Duration.minutes(2) });

    expect(alarmFor(stack, 'Latency').Threshold).toBe(120000);
  });
});
