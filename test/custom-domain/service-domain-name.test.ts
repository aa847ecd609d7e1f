import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration, WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ServiceDomainName, ServiceDomainNameProps } from '../../src/custom-domain/service-domain-name';
import { synthWithChecks } from '../aspects/service-fixture';

const ZONE: ServiceDomainNameProps = { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' };
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const MTLS: ServiceDomainNameProps = { ...ZONE, mtlsTruststoreUri: 's3://truststores/api/truststore.pem' };

/** A stack without account or region: synthesis must not need to look anything up. */
function domainStack(props: ServiceDomainNameProps = ZONE, app = new App()) {
  const stack = new Stack(app, 'Stack');
  const domain = new ServiceDomainName(stack, 'Domain', props);
  return { stack, domain };
}

function httpApi(stack: Stack, id: string, props: apigwv2.HttpApiProps = {}) {
  const api = new apigwv2.HttpApi(stack, id, props);
  api.addRoutes({ path: '/books', integration: new HttpUrlIntegration(`${id}Books`, 'https://books.example.com') });
  return api;
}

function webSocketStage(stack: Stack, id = 'Ws') {
  const api = new apigwv2.WebSocketApi(stack, id, { connectRouteOptions: { integration: new WebSocketMockIntegration(`${id}Connect`) } });
  return new apigwv2.WebSocketStage(stack, `${id}Stage`, { webSocketApi: api, stageName: 'prod', autoDeploy: true });
}

const ref = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  ({ Ref: stack.getLogicalId(construct.node.defaultChild as CfnElement) });

describe('ServiceDomainName', () => {
  test('with a hosted zone: a DNS-validated certificate, a regional dual-stack domain and alias A and AAAA records, no lookup', () => {
    const { stack, domain } = domainStack();

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789ABC' }],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: ref(stack, domain.certificate), EndpointType: 'REGIONAL', IpAddressType: 'dualstack' })],
    });
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABC',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Domain'), 'RegionalDomainName'] },
          HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Domain'), 'RegionalHostedZoneId'] },
        },
      });
    }
    expect(domain.mutualTls).toBe(false);
  });

  test('with a certificateArn: the certificate is imported and no DNS record is made', () => {
    const { stack } = domainStack({ domainName: 'api.example.com', certificateArn: CERTIFICATE_ARN });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE_ARN })],
    });
  });

  test('with mtlsTruststoreUri and version: mutual TLS from the S3 truststore', () => {
    const { stack, domain } = domainStack({ ...MTLS, mtlsTruststoreVersion: 'v3' });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      MutualTlsAuthentication: { TruststoreUri: 's3://truststores/api/truststore.pem', TruststoreVersion: 'v3' },
    });
    expect(domain.mutualTls).toBe(true);
  });

  test('domainMapping() maps an HTTP API\'s default stage, at the root or under a key', () => {
    const { stack, domain } = domainStack();
    const root = httpApi(stack, 'Root', { defaultDomainMapping: domain.domainMapping() });
    const books = httpApi(stack, 'Books', { defaultDomainMapping: domain.domainMapping('books') });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: ref(stack, root), DomainName: ref(stack, domain.domainName), Stage: '$default', ApiMappingKey: Match.absent() });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: ref(stack, books), ApiMappingKey: 'books' });
  });

  test('mapWebSocketStage and mapHttpStage map existing stages', () => {
    const { stack, domain } = domainStack();
    const stage = webSocketStage(stack);
    domain.mapWebSocketStage(stage, 'chat');

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: ref(stack, stage.api),
      Stage: 'prod',
      DomainName: ref(stack, domain.domainName),
      ApiMappingKey: 'chat',
    });

    const other = domainStack({ ...ZONE, domainName: 'books.example.com' });
    const api = httpApi(other.stack, 'Http', { createDefaultStage: false });
    const httpStage = api.addStage('Prod', { stageName: 'prod' });
    other.domain.mapHttpStage(httpStage);
    Template.fromStack(other.stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: ref(other.stack, api), Stage: 'prod' });
  });

  test('httpUrl and webSocketUrl give the URLs on the domain for stack outputs', () => {
    const { stack, domain } = domainStack();
    const name = ref(stack, domain.domainName);
    expect(stack.resolve(domain.httpUrl())).toEqual({ 'Fn::Join': ['', ['https://', name, '/']] });
    expect(stack.resolve(domain.httpUrl('books'))).toEqual({ 'Fn::Join': ['', ['https://', name, '/books']] });
    expect(stack.resolve(domain.webSocketUrl())).toEqual({ 'Fn::Join': ['', ['wss://', name]] });
    expect(stack.resolve(domain.webSocketUrl('chat'))).toEqual({ 'Fn::Join': ['', ['wss://', name, '/chat']] });
  });

  test('synthesizes with CloudFormation validation and no cdk-nag finding on the domain', () => {
    const findings = synthWithChecks((app) => {
      const { stack, domain } = domainStack(MTLS, app);
      const api = httpApi(stack, 'Http', { defaultDomainMapping: domain.domainMapping(), disableExecuteApiEndpoint: true });
      // The plain test API is not under test here.
      for (const id of ['AwsSolutions-APIG1', 'AwsSolutions-APIG4', 'Serverless-APIGWAccessLogging', 'Serverless-APIGWDefaultThrottling']) {
        Validations.of(api).acknowledge({ id, reason: 'API settings are outside this test.' });
      }
    });
    expect(findings).toEqual([]);
  });

  describe('synthesis fails on a mapping API Gateway refuses or that defeats mutual TLS', () => {
    test('throws when an HTTP API on an mTLS domain keeps its execute-api endpoint', () => {
      const { stack, domain } = domainStack(MTLS);
      httpApi(stack, 'Http', { defaultDomainMapping: domain.domainMapping() });
      expect(() => Template.fromStack(stack)).toThrow(
        /HTTP API Stack\/Http is mapped to custom domain Stack\/Domain, which has mutual TLS, but its default execute-api endpoint is enabled, so clients could call it without a certificate: set disableExecuteApiEndpoint: true on the API/,
      );
    });

    test('an HTTP API with disableExecuteApiEndpoint passes', () => {
      const { stack, domain } = domainStack(MTLS);
      httpApi(stack, 'Http', { defaultDomainMapping: domain.domainMapping(), disableExecuteApiEndpoint: true });
      expect(() => Template.fromStack(stack)).not.toThrow();
    });

    test('throws when a WebSocket API is mapped to an mTLS domain', () => {
      const { stack, domain } = domainStack(MTLS);
      domain.mapWebSocketStage(webSocketStage(stack));
      expect(() => Template.fromStack(stack)).toThrow(
        /WebSocket API Stack\/Ws is mapped to custom domain Stack\/Domain, which has mutual TLS: API Gateway supports mutual TLS for REST and HTTP APIs only/,
      );
    });

    test('throws when one domain serves a WebSocket API and an HTTP API', () => {
      const { stack, domain } = domainStack();
      domain.mapWebSocketStage(webSocketStage(stack), 'chat');
      httpApi(stack, 'Http', { defaultDomainMapping: domain.domainMapping('books') });
      expect(() => Template.fromStack(stack)).toThrow(
        /Custom domain Stack\/Domain is mapped to WebSocket API Stack\/Ws and HTTP API Stack\/Http: API Gateway cannot map a WebSocket API to a domain that also serves REST or HTTP APIs/,
      );
    });

    test('a mapping created without the helpers (plain ApiMapping) is checked too', () => {
      const { stack, domain } = domainStack(MTLS);
      const api = httpApi(stack, 'Http');
      new apigwv2.ApiMapping(stack, 'Mapping', { api, domainName: domain.domainName });
      expect(() => Template.fromStack(stack)).toThrow(/HTTP API Stack\/Http is mapped to custom domain Stack\/Domain, which has mutual TLS/);
    });
  });

  describe('throws when', () => {
    test.each<[string, ServiceDomainNameProps, string]>([
      ['the truststore is not an s3:// URI', { ...ZONE, mtlsTruststoreUri: 'https://truststores.s3.amazonaws.com/truststore.pem' },
        'mTLS truststore "https://truststores.s3.amazonaws.com/truststore.pem" is not an s3://<bucket>/<key> URI'],
      ['the truststore URI has no key', { ...ZONE, mtlsTruststoreUri: 's3://truststores' }, 'mTLS truststore "s3://truststores" is not an s3://<bucket>/<key> URI'],
      ['a truststore version comes without a truststore', { ...ZONE, mtlsTruststoreVersion: 'v1' },
        'ServiceDomainName Stack/Domain has mtlsTruststoreVersion but no mtlsTruststoreUri'],
      ['both certificateArn and a hosted zone are given', { ...ZONE, certificateArn: CERTIFICATE_ARN },
        'ServiceDomainName Stack/Domain has both certificateArn and a hosted zone: give certificateArn (an existing certificate) or hostedZoneId and hostedZoneName'],
      ['neither certificateArn nor a hosted zone is given', { domainName: 'api.example.com' },
        'ServiceDomainName Stack/Domain has no certificate source: give certificateArn (an existing certificate for api.example.com) or hostedZoneId and hostedZoneName'],
      ['only hostedZoneId is given', { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABC' },
        'ServiceDomainName Stack/Domain has only hostedZoneId: give both hostedZoneId (e.g. "Z0123456789ABC") and hostedZoneName (e.g. "example.com")'],
      ['only hostedZoneName is given', { domainName: 'api.example.com', hostedZoneName: 'example.com' }, 'ServiceDomainName Stack/Domain has only hostedZoneName'],
      ['the hosted zone does not hold the domain', { ...ZONE, hostedZoneName: 'example.org' },
        'Custom domain name "api.example.com" is not in hosted zone "example.org": give the Route 53 zone that holds it'],
      ['the zone name only ends like the domain', { ...ZONE, hostedZoneName: 'ple.com' }, 'Custom domain name "api.example.com" is not in hosted zone "ple.com"'],
      ['the domain name is a URL', { ...ZONE, domainName: 'https://api.example.com' }, 'Custom domain name "https://api.example.com" is not a DNS name'],
    ])('%s', (_name, props, message) => {
      expect(() => domainStack(props)).toThrow(message);
    });
  });
});
