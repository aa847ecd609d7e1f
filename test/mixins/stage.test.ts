import { Lazy, Mixin, Mixins, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnApi, CfnStage, CfnStageProps, HttpApi, HttpStage, LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StageAccessLogging, StageThrottling } from '../../src/mixins';
import { newStack } from '../helpers';

const STAGE = 'AWS::ApiGatewayV2::Stage';
const LOG_GROUP = 'AWS::Logs::LogGroup';

function cfnStage(stack: Stack, props: Partial<CfnStageProps> = {}): CfnStage {
  return new CfnStage(stack, 'Stage', { apiId: 'api', stageName: 'prod', ...props });
}

function logGroupArnOf(stack: Stack) {
  const groups = Object.keys(Template.fromStack(stack).findResources(LOG_GROUP));
  expect(groups).toHaveLength(1);
  return { 'Fn::GetAtt': [groups[0], 'Arn'] };
}

describe('StageAccessLogging', () => {
  test('the default format is a JSON object with the request id', () => {
    const format = JSON.parse(StageAccessLogging.DEFAULT_FORMAT);
    expect(format).toEqual(expect.objectContaining({ requestId: '$context.requestId', status: '$context.status' }));
  });

  // Tokens (?token=) and API keys (?apiKey=) travel in WebSocket query strings. Context variables:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
  test('the default format records no query string, path or URL: tokens and API keys travel there', () => {
    const values = Object.values(JSON.parse(StageAccessLogging.DEFAULT_FORMAT)) as string[];
    for (const value of values) {
      expect(value).toMatch(/^\$context\.[A-Za-z.]+$/);
      expect(value).not.toMatch(/querystring|path|uri|url/i);
    }
  });

  test('is a Mixin whose supports() accepts stages only', () => {
    const stack = newStack();
    const mixin = new StageAccessLogging();
    expect(Mixin.isMixin(mixin)).toBe(true);
    expect(mixin.supports(cfnStage(stack))).toBe(true);
    expect(mixin.supports(new CfnApi(stack, 'Api', { name: 'a', protocolType: 'HTTP' }))).toBe(false);
  });

  test('with() on the L1 logs JSON to a new log group kept for 3 months', () => {
    const stack = newStack();
    cfnStage(stack).with(new StageAccessLogging());
    const template = Template.fromStack(stack);
    template.hasResourceProperties(LOG_GROUP, { RetentionInDays: 90 });
    template.hasResourceProperties(STAGE, {
      AccessLogSettings: { DestinationArn: logGroupArnOf(stack), Format: StageAccessLogging.DEFAULT_FORMAT },
    });
  });

  test('the retention and format can be given', () => {
    const stack = newStack();
    const format = '{"requestId":"$context.requestId","latency":"$context.responseLatency"}';
    cfnStage(stack).with(new StageAccessLogging({ retention: logs.RetentionDays.ONE_WEEK, format }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(LOG_GROUP, { RetentionInDays: 7 });
    template.hasResourceProperties(STAGE, { AccessLogSettings: { Format: format } });
  });

  test('a given log group is used instead of a new one', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Given', { retention: logs.RetentionDays.ONE_DAY });
    cfnStage(stack).with(new StageAccessLogging({ logGroup }));
    const template = Template.fromStack(stack);
    template.resourceCountIs(LOG_GROUP, 1);
    template.hasResourceProperties(LOG_GROUP, { RetentionInDays: 1 });
    template.hasResourceProperties(STAGE, { AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] } } });
  });

  test('applied twice, one log group per stage', () => {
    const stack = newStack();
    const stage = cfnStage(stack);
    stage.with(new StageAccessLogging());
    stage.with(new StageAccessLogging({ retention: logs.RetentionDays.ONE_YEAR }));
    const template = Template.fromStack(stack);
    template.resourceCountIs(LOG_GROUP, 1);
    template.hasResourceProperties(LOG_GROUP, { RetentionInDays: 90 });
  });

  test('Mixins.of(scope).apply() gives each HTTP and WebSocket stage its own log group', () => {
    const stack = newStack();
    new HttpApi(stack, 'Http');
    new WebSocketStage(stack, 'WsStage', { webSocketApi: new WebSocketApi(stack, 'Ws'), stageName: 'prod' });
    Mixins.of(stack).apply(new StageAccessLogging());
    const template = Template.fromStack(stack);
    template.resourceCountIs(LOG_GROUP, 2);
    template.allResourcesProperties(STAGE, { AccessLogSettings: Match.objectLike({ Format: StageAccessLogging.DEFAULT_FORMAT }) });
  });

  test('with() on the L2 HttpApi applies to its default stage', () => {
    const stack = newStack();
    new HttpApi(stack, 'Http').with(new StageAccessLogging());
    Template.fromStack(stack).hasResourceProperties(STAGE, { StageName: '$default', AccessLogSettings: Match.objectLike({ DestinationArn: logGroupArnOf(stack) }) });
  });

  test('keeps existing access log settings', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Existing');
    new HttpStage(stack, 'Stage', {
      httpApi: new HttpApi(stack, 'Http', { createDefaultStage: false }),
      stageName: 'prod',
      accessLogSettings: { destination: new LogGroupLogDestination(logGroup), format: AccessLogFormat.custom('{"id":"$context.requestId","own":"yes"}') },
    }).with(new StageAccessLogging());
    const template = Template.fromStack(stack);
    template.resourceCountIs(LOG_GROUP, 1);
    template.hasResourceProperties(STAGE, { AccessLogSettings: { DestinationArn: logGroupArnOf(stack), Format: '{"id":"$context.requestId","own":"yes"}' } });
  });

  test('does not validate a token format', () => {
    expect(() => new StageAccessLogging({ format: Lazy.string({ produce: () => 'plain' }) })).not.toThrow();
  });

  test.each([
    ['is not JSON', '$context.requestId $context.status'],
    ['is a JSON array', '["$context.requestId"]'],
    ['is a JSON string', '"$context.requestId"'],
    ['has no $context.requestId', '{"status":"$context.status"}'],
  ])('throws when the format %s', (_why, format) => {
    expect(() => new StageAccessLogging({ format }))
      .toThrow(`Access log format ${format} must be a JSON object that includes "$context.requestId"`);
  });
});

describe('StageThrottling', () => {
  test('is a Mixin whose supports() accepts stages only', () => {
    const stack = newStack();
    const mixin = new StageThrottling();
    expect(Mixin.isMixin(mixin)).toBe(true);
    expect(mixin.supports(cfnStage(stack))).toBe(true);
    expect(mixin.supports(new CfnApi(stack, 'Api', { name: 'a', protocolType: 'HTTP' }))).toBe(false);
  });

  test('with() on the L1 sets burst 100 and rate 50 by default', () => {
    const stack = newStack();
    cfnStage(stack).with(new StageThrottling());
    Template.fromStack(stack).hasResourceProperties(STAGE, { DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 } });
  });

  test('with() on the L2 WebSocketStage sets the given limits', () => {
    const stack = newStack();
    new WebSocketStage(stack, 'Stage', { webSocketApi: new WebSocketApi(stack, 'Ws'), stageName: 'prod' })
      .with(new StageThrottling({ burstLimit: 0, rateLimit: 0.5 }));
    Template.fromStack(stack).hasResourceProperties(STAGE, { DefaultRouteSettings: { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0.5 } });
  });

  test('keeps limits already set and adds the missing ones', () => {
    const stack = newStack();
    new HttpStage(stack, 'Stage', {
      httpApi: new HttpApi(stack, 'Http', { createDefaultStage: false }),
      stageName: 'prod',
      throttle: { rateLimit: 10 },
      detailedMetricsEnabled: true,
    }).with(new StageThrottling({ burstLimit: 500, rateLimit: 400 }));
    Template.fromStack(stack).hasResourceProperties(STAGE, {
      DefaultRouteSettings: { ThrottlingBurstLimit: 500, ThrottlingRateLimit: 10, DetailedMetricsEnabled: true },
    });
  });

  test('Mixins.of(scope).apply() keeps both limits when both are set', () => {
    const stack = newStack();
    cfnStage(stack, { defaultRouteSettings: { throttlingBurstLimit: 7, throttlingRateLimit: 3 } });
    Mixins.of(stack).apply(new StageThrottling());
    Template.fromStack(stack).hasResourceProperties(STAGE, { DefaultRouteSettings: { ThrottlingBurstLimit: 7, ThrottlingRateLimit: 3 } });
  });

  test('leaves token route settings as they are', () => {
    const stack = newStack();
    cfnStage(stack, { defaultRouteSettings: Lazy.any({ produce: () => ({ throttlingBurstLimit: 1 }) }) }).with(new StageThrottling());
    Template.fromStack(stack).hasResourceProperties(STAGE, {
      DefaultRouteSettings: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: Match.absent() },
    });
  });

  test('does not validate token limits', () => {
    const limit = Token.asNumber(Lazy.any({ produce: () => -1 }));
    expect(() => new StageThrottling({ burstLimit: limit, rateLimit: limit })).not.toThrow();
  });

  test.each([-1, 1.5])('throws when burstLimit is %s', (burstLimit) => {
    expect(() => new StageThrottling({ burstLimit }))
      .toThrow(`Throttling burstLimit ${burstLimit} is not a whole number of requests of 0 or more`);
  });

  test('throws when rateLimit is negative', () => {
    expect(() => new StageThrottling({ rateLimit: -0.5 })).toThrow('Throttling rateLimit -0.5 is negative');
  });
});
