import { parseTruststoreUri, validateDomainInZone, validateDomainName } from '../../src/custom-domain/domain-rules';

describe('custom domain rules', () => {
  test.each(['api.example.com', 'example.com', '*.example.com', 'a-b.c-d.example.co.uk'])('accepts the domain name %s', (name) => {
    expect(() => validateDomainName(name)).not.toThrow();
  });

  test.each(['https://api.example.com', 'api.example.com.', 'api.example.com/books', 'localhost', 'api_x.example.com', ''])(
    'throws when the domain name is %j', (name) => {
      expect(() => validateDomainName(name)).toThrow(`Custom domain name "${name}" is not a DNS name: give a host name such as "api.example.com"`);
    });

  test.each([['api.example.com', 'example.com'], ['example.com', 'example.com'], ['API.Example.com', 'example.com.']])(
    'accepts %s in zone %s', (domain, zone) => {
      expect(() => validateDomainInZone(domain, zone)).not.toThrow();
    });

  test.each([['api.example.com', 'example.org'], ['api.example.com', 'ple.com'], ['example.com', 'api.example.com']])(
    'throws when %s is not in zone %s', (domain, zone) => {
      expect(() => validateDomainInZone(domain, zone)).toThrow(`Custom domain name "${domain}" is not in hosted zone "${zone}": give the Route 53 zone that holds it`);
    });

  test('splits an s3:// truststore URI into bucket and key', () => {
    expect(parseTruststoreUri('s3://my-truststores/api/truststore.pem')).toEqual({ bucket: 'my-truststores', key: 'api/truststore.pem' });
  });

  test.each(['https://my-truststores.s3.amazonaws.com/truststore.pem', 's3://my-truststores', 's3://my-truststores/', 's3://My_Bucket/key.pem', 's3:/b/k'])(
    'throws when the truststore URI is %j', (uri) => {
      expect(() => parseTruststoreUri(uri)).toThrow(`mTLS truststore "${uri}" is not an s3://<bucket>/<key> URI`);
    });
});
