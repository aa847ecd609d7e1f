import { buildAssemblyModel } from '../../src/local/api-model';
import { StackTemplate } from '../../src/local/cloud-assembly';

const getAtt = (logicalId: string, attr: string) => ({ 'Fn::GetAtt': [logicalId, attr] });
const fn = (variables: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Environment: { Variables: variables } },
});

const stack: StackTemplate = {
  stackName: 'Svc',
  region: 'eu-west-1',
  account: '111122223333',
  assemblyDir: '/tmp',
  assets: {},
  resources: {
    Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'Http', ProtocolType: 'HTTP' } },
    Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'Ws', ProtocolType: 'WEBSOCKET' } },
    // What the emulator reads for itself and ignores: log group ARNs of access logs (two APIs, two stages).
    HttpStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Http' }, StageName: '$default', AccessLogSettings: { DestinationArn: getAtt('HttpLogs', 'Arn') } } },
    WsStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Ws' }, StageName: 'prod', AccessLogSettings: { DestinationArn: getAtt('WsLogs', 'Arn') } } },
    HttpLogs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    WsLogs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Reader: fn({ STREAM: getAtt('Table', 'StreamArn'), TABLE: { Ref: 'Table' } }),
    Writer: fn({ STREAM: getAtt('Table', 'StreamArn') }),
  },
};

test('warns once about each value with no local equivalent that functions see, naming every place', () => {
  const model = buildAssemblyModel([stack]);
  expect(model.warnings).toEqual([
    "Svc: Fn::GetAtt Table.StreamArn has no local value; using 'Table.StreamArn' in STREAM of Svc-Reader, STREAM of Svc-Writer",
  ]);
  expect(model.functions.get('Svc/Reader')!.environment).toEqual({ STREAM: 'Table.StreamArn', TABLE: 'Table' });
});
