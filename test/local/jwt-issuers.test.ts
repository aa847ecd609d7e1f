import { jwtApiResources, writeAssembly } from './fixtures/template-assembly';
import { buildAssemblyModel } from '../../src/local/api-model';
import { readCloudAssembly } from '../../src/local/cloud-assembly';
import { jwtIssuers } from '../../src/local/jwt-issuers';

const issuersOf = (dir: string) => jwtIssuers(buildAssemblyModel(readCloudAssembly(dir)));
const tokenAuthorizerFn = (environment: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: 'token-authorizer', Handler: 'index.handler', Environment: { Variables: { TOKEN_QUERY_PARAMETER: 'token', JWKS_URI: 'https://x/jwks', ...environment } } },
});

test('merges the issuers of HTTP JWT authorizers and WebSocket token authorizer functions, audiences in order', () => {
  const dir = writeAssembly({
    ...jwtApiResources('One', 'https://a.example.com/', ['web', 'cli']),
    ...jwtApiResources('Two', 'https://b.example.com/', ['svc']),
    Fn: tokenAuthorizerFn({ JWT_ISSUER: 'https://a.example.com/', JWT_AUDIENCE: 'cli,mobile' }),
  });
  expect(issuersOf(dir)).toEqual([
    { issuer: 'https://a.example.com/', audience: ['web', 'cli', 'mobile'], usedBy: ['HTTP API One (JWT authorizer OneJwt)', 'function token-authorizer (WebSocket token authorizer)'] },
    { issuer: 'https://b.example.com/', audience: ['svc'], usedBy: ['HTTP API Two (JWT authorizer TwoJwt)'] },
  ]);
});

test('recognises an Amazon Cognito user pool, from an HTTP issuer or a token authorizer\'s COGNITO_USER_POOL_ID', () => {
  const pool = 'eu-west-1_AbCdEfGhI';
  const http = writeAssembly(jwtApiResources('Api', `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`, ['client']));
  const ws = writeAssembly({ Fn: tokenAuthorizerFn({ COGNITO_USER_POOL_ID: pool, JWT_AUDIENCE: 'client' }) });
  for (const dir of [http, ws]) {
    expect(issuersOf(dir)).toEqual([expect.objectContaining({ issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`, cognitoUserPoolId: pool })]);
  }
});

test('finds no issuer in functions that only look like token authorizers', () => {
  expect(issuersOf(writeAssembly({ Fn: tokenAuthorizerFn({ JWT_ISSUER: 'https://a.example.com/' }) }))).toEqual([]);
});
