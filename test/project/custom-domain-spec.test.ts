import { CustomDomainOptions, resolveCustomDomains } from '../../src/project/custom-domain-spec';

const ZONE = { hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' };
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

/** Resolves for a service with both APIs. */
const resolve = (options: CustomDomainOptions, hasHttpApi = true, hasWebSocketApi = true) =>
  resolveCustomDomains(options, hasHttpApi, hasWebSocketApi);

test('no domain options: no custom domain', () => {
  expect(resolve({})).toEqual({});
});

test('keeps the domain options, and nothing else', () => {
  const options = { domainName: 'api.example.com', webSocketDomainName: 'ws.example.com', ...ZONE, mtlsTruststoreUri: 's3://truststores/api.pem', mtlsTruststoreVersion: 'v1' };
  expect(resolve({ ...options, alarmEmail: 'ops@example.com' } as CustomDomainOptions)).toEqual(options);
});

test('a certificate ARN instead of a hosted zone, and the zone itself as the domain, are fine', () => {
  expect(resolve({ domainName: 'api.example.com', certificateArn: CERTIFICATE_ARN }).certificateArn).toBe(CERTIFICATE_ARN);
  expect(resolve({ domainName: 'example.com', ...ZONE }).domainName).toBe('example.com');
});

test('throws when the HTTP domain is given without an HTTP API', () => {
  expect(() => resolve({ domainName: 'api.example.com', ...ZONE }, false, true))
    .toThrow('domainName "api.example.com" is the HTTP API\'s custom domain, but the service has no httpRoutes: give the WebSocket API\'s domain as webSocketDomainName.');
});

test('throws when the WebSocket domain is given without a WebSocket API', () => {
  expect(() => resolve({ webSocketDomainName: 'ws.example.com', ...ZONE }, true, false))
    .toThrow('webSocketDomainName "ws.example.com" is the WebSocket API\'s custom domain, but the service has no websocketRoutes');
});

test.each<[string, CustomDomainOptions, string]>([
  ['the domain is not a DNS name', { domainName: 'https://api.example.com', ...ZONE },
    'Custom domain name "https://api.example.com" is not a DNS name'],
  ['both APIs get the same domain', { domainName: 'api.example.com', webSocketDomainName: 'API.example.com', ...ZONE },
    'domainName and webSocketDomainName are both "api.example.com": API Gateway cannot serve a WebSocket API on a domain that serves an HTTP API'],
  ['a certificate and a hosted zone are both given', { domainName: 'api.example.com', certificateArn: CERTIFICATE_ARN, ...ZONE },
    `certificateArn "${CERTIFICATE_ARN}" and a hosted zone (hostedZoneId, hostedZoneName) are both set`],
  ['neither a certificate nor a hosted zone is given', { domainName: 'api.example.com' },
    'The custom domain "api.example.com" has no certificate: give hostedZoneId and hostedZoneName'],
  ['the certificate ARN is not one', { domainName: 'api.example.com', certificateArn: 'api.example.com' },
    'certificateArn "api.example.com" is not an ACM certificate ARN'],
  ['only the hosted zone id is given', { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABC' },
    'Only hostedZoneId "Z0123456789ABC" is set: give both hostedZoneId (e.g. "Z0123456789ABC") and hostedZoneName'],
  ['only the hosted zone name is given', { domainName: 'api.example.com', hostedZoneName: 'example.com' },
    'Only hostedZoneName "example.com" is set'],
  ['the hosted zone name is not a suffix of the domain', { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'other.com' },
    'Custom domain name "api.example.com" is not in hosted zone "other.com"'],
  ['the zone holds the HTTP domain but not the WebSocket one', { domainName: 'api.example.com', webSocketDomainName: 'ws.example.org', ...ZONE },
    'Custom domain name "ws.example.org" is not in hosted zone "example.com"'],
  ['a hosted zone is given without a domain', { ...ZONE },
    'hostedZoneId "Z0123456789ABC" is set, but neither domainName nor webSocketDomainName: give the custom domain it is for, or remove hostedZoneId.'],
  ['mTLS comes without a domain', { mtlsTruststoreUri: 's3://truststores/api.pem' },
    'mtlsTruststoreUri "s3://truststores/api.pem" is set but domainName is not: mutual TLS is a setting of the HTTP API\'s custom domain'],
  ['mTLS comes with the WebSocket domain only', { webSocketDomainName: 'ws.example.com', ...ZONE, mtlsTruststoreUri: 's3://truststores/api.pem' },
    'mtlsTruststoreUri "s3://truststores/api.pem" is set but domainName is not'],
  ['the truststore is not an s3:// URI', { domainName: 'api.example.com', ...ZONE, mtlsTruststoreUri: 'https://truststores.s3.amazonaws.com/api.pem' },
    'mTLS truststore "https://truststores.s3.amazonaws.com/api.pem" is not an s3://<bucket>/<key> URI'],
  ['a truststore version comes without the truststore', { domainName: 'api.example.com', ...ZONE, mtlsTruststoreVersion: 'v1' },
    'mtlsTruststoreVersion "v1" is set but mtlsTruststoreUri is not'],
])('throws when %s', (_, options, message) => {
  expect(() => resolve(options)).toThrow(message);
});
