import { StackTemplate } from '../../src/local/cloud-assembly';
import { IntrinsicResolver, localApiId } from '../../src/local/intrinsics';

const stack: StackTemplate = {
  stackName: 'S',
  region: 'eu-west-1',
  account: '111122223333',
  assemblyDir: '/tmp',
  assets: {},
  resources: {
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'my-fn' } },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: {} },
  },
};

test('resolves a stage callback URL built with Fn::Join', () => {
  const resolver = new IntrinsicResolver(stack);
  const url = resolver.resolve({ 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/dev']] });
  expect(url).toBe(`https://${localApiId('S', 'Api')}.execute-api.eu-west-1.amazonaws.com/dev`);
  expect(localApiId('S', 'Api')).toMatch(/^[a-z0-9]{10}$/);
});

test('resolves function ARNs, Fn::Sub, Fn::Select and Fn::Split', () => {
  const resolver = new IntrinsicResolver(stack);
  expect(resolver.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:eu-west-1:111122223333:function:my-fn');
  expect(resolver.resolve({ 'Fn::Sub': '${AWS::AccountId}-${Fn.Arn}-${X}' })).toBe('111122223333-arn:aws:lambda:eu-west-1:111122223333:function:my-fn-X');
  expect(resolver.resolve({ 'Fn::Sub': ['${A}!', { A: { Ref: 'Fn' } }] })).toBe('my-fn!');
  expect(resolver.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
  expect(resolver.resolve({ Ref: 'Secret' })).toBe('arn:aws:secretsmanager:eu-west-1:111122223333:secret:Secret-local');
  expect(resolver.resolve({ 'Fn::GetAtt': ['Api', 'ApiEndpoint'] })).toMatch(/^wss:\/\/[a-z0-9]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/);
});

test('uses a placeholder for what it cannot resolve, and resolveNoting says what', () => {
  const resolver = new IntrinsicResolver(stack);
  expect(resolver.resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toBe('Table.StreamArn');
  const noted = resolver.resolveNoting([{ 'Fn::ImportValue': 'x' }, { Ref: 'Missing' }, { Ref: 'Fn' }]);
  expect(noted.value).toEqual(['Fn::ImportValue', 'Missing', 'my-fn']);
  expect(noted.unresolved).toEqual([
    "Fn::ImportValue is not supported; using 'Fn::ImportValue'",
    "Ref to 'Missing', which is not a resource of stack S; using 'Missing'",
  ]);
  expect(resolver.resolveNoting({ Ref: 'Fn' }).unresolved).toEqual([]);
});

test('gives Cognito user pools and clients ids shaped as Cognito\'s, stable per stack and logical id', () => {
  const resolver = new IntrinsicResolver(stack);
  const poolId = resolver.resolve({ Ref: 'Pool' });
  // aws-jwt-verify's Cognito verifier reads the region from `<region>_<id>`.
  expect(poolId).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
  expect(new IntrinsicResolver(stack).resolve({ Ref: 'Pool' })).toBe(poolId);
  expect(resolver.resolve({ Ref: 'Client' })).toMatch(/^[a-z0-9]{26}$/);
  expect(resolver.resolve({ 'Fn::GetAtt': ['Pool', 'ProviderName'] })).toBe(`cognito-idp.eu-west-1.amazonaws.com/${poolId}`);
  expect(resolver.resolve({ 'Fn::GetAtt': ['Pool', 'ProviderURL'] })).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${poolId}`);
  expect(resolver.resolve({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toBe(`arn:aws:cognito-idp:eu-west-1:111122223333:userpool/${poolId}`);
  expect(resolver.resolveNoting({ 'Fn::GetAtt': ['Pool', 'toString'] }).unresolved).toEqual(["Fn::GetAtt Pool.toString has no local value; using 'Pool.toString'"]);
});
