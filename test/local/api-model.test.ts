import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildAssemblyModel, INLINE_CODE_DIR } from '../../src/local/api-model';
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

test('writes an inline function\'s code (ZipFile) under the cloud assembly, in the same folder on every start', () => {
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inline-assembly-'));
  const inline: StackTemplate = {
    ...stack,
    assemblyDir,
    resources: { Inline: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: 'exports.handler = async () => 1;' } } } },
  };
  const [first, second] = [buildAssemblyModel([inline]), buildAssemblyModel([inline])].map((model) => model.functions.get('Svc/Inline')!.codeDir!);
  expect(first).toBe(path.join(assemblyDir, INLINE_CODE_DIR, 'Svc-Inline'));
  expect(second).toBe(first);
  expect(fs.readFileSync(path.join(first, 'index.js'), 'utf-8')).toBe('exports.handler = async () => 1;');
});
