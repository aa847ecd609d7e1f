/**
 * End to end: an HTTP-only service whose callers sign in to a Cognito user pool in the stack, on a custom domain
 * with mutual TLS, made by the real `projen new --from <packed tarball> --user-pool --domain-name ...
 * --hosted-zone-id ... --hosted-zone-name ... --mtls-truststore-uri ...`; built green (CloudFormation validation
 * and cdk-nag as errors). The zone is imported from its id and name, so no AWS account is needed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, emptyRepoDir, MINUTES, projenNew, run } from './generated-repo';

const dir = emptyRepoDir('books-users');

/** The resources of the synthesized stack of a given type. */
function resourcesOf(type: string): Record<string, unknown>[] {
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'BooksUsers.template.json'), 'utf-8'));
  return Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    .filter((r) => r.Type === type).map((r) => r.Properties);
}

test('projen new --user-pool --domain-name ... --hosted-zone-id ... --hosted-zone-name ... --mtls-truststore-uri ...', () => {
  const { status, output } = projenNew(dir,
    '--http-routes', 'GET /books', '--http-routes', 'DELETE /books/{id}',
    '--user-pool', '--domain-name', 'api.example.com', '--hosted-zone-id', 'Z0123456789ABC', '--hosted-zone-name', 'example.com',
    '--mtls-truststore-uri', 's3://truststores-example/api/truststore.pem');
  expect({ status, output: status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
  const rc = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8');
  for (const line of ['userPool: true,', "domainName: 'api.example.com',", "hostedZoneId: 'Z0123456789ABC',", "hostedZoneName: 'example.com',"]) {
    expect(rc).toContain(line);
  }
  expect(fs.existsSync(path.join(dir, 'src/websocket'))).toBe(false);
}, 15 * MINUTES);

test('builds green: the user pool issues the tokens, the API is on its domain with mutual TLS and no execute-api endpoint', () => {
  build(dir);
  expect(resourcesOf('AWS::Cognito::UserPool')).toHaveLength(1);
  expect(resourcesOf('AWS::ApiGatewayV2::Authorizer')).toEqual([expect.objectContaining({ AuthorizerType: 'JWT' })]);
  expect(resourcesOf('AWS::ApiGatewayV2::DomainName')).toEqual([expect.objectContaining({
    DomainName: 'api.example.com',
    MutualTlsAuthentication: { TruststoreUri: 's3://truststores-example/api/truststore.pem' },
  })]);
  expect(resourcesOf('AWS::ApiGatewayV2::Api')).toEqual([expect.objectContaining({ ProtocolType: 'HTTP', DisableExecuteApiEndpoint: true })]);
  expect(resourcesOf('AWS::Route53::RecordSet').map((r) => r.Type).sort()).toEqual(['A', 'AAAA']);
  expect(resourcesOf('AWS::CertificateManager::Certificate')).toEqual([expect.objectContaining({ DomainName: 'api.example.com', ValidationMethod: 'DNS' })]);
}, 30 * MINUTES);

test('dev:token mints a Cognito-shaped token for the user pool', () => {
  const token = run(dir, 'npx', ['projen', 'dev:token', '--sub', 'alice']).trim();
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf-8'));
  expect(claims).toMatchObject({ sub: 'alice', iss: expect.stringMatching(/^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9-]+_[A-Za-z0-9]+$/) });
});
