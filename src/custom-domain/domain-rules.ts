/**
 * Custom-domain settings rules shared by `ServiceDomainName` and the project type's option validation.
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */

/** A DNS name: labels of letters, digits and hyphens, at least two of them, optionally a leading `*.` wildcard. */
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** `s3://<bucket>/<key>`, with S3's bucket naming rules (3-63 lower-case letters, digits, dots and hyphens). */
const TRUSTSTORE_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/** Where a mutual TLS truststore lives in S3. */
export interface TruststoreLocation {
  readonly bucket: string;
  readonly key: string;
}

/** Throws unless `domainName` is a DNS name such as `api.example.com`. */
export function validateDomainName(domainName: string): void {
  if (!DOMAIN_NAME.test(domainName)) {
    throw new Error(`Custom domain name "${domainName}" is not a DNS name: give a host name such as "api.example.com" (no scheme, no path, no trailing dot).`);
  }
}

/** Throws unless `domainName` lies in the hosted zone `zoneName` (the zone itself or a name below it). */
export function validateDomainInZone(domainName: string, zoneName: string): void {
  const zone = zoneName.toLowerCase().replace(/\.$/, '');
  const domain = domainName.toLowerCase();
  if (domain !== zone && !domain.endsWith(`.${zone}`)) {
    throw new Error(`Custom domain name "${domainName}" is not in hosted zone "${zoneName}": give the Route 53 zone that holds it: hostedZoneName must be "${domainName}" itself or a parent of it, e.g. "example.com" for "api.example.com".`);
  }
}

/** Splits `s3://bucket/key`, or throws. */
export function parseTruststoreUri(uri: string): TruststoreLocation {
  const match = TRUSTSTORE_URI.exec(uri);
  if (!match) {
    throw new Error(`mTLS truststore "${uri}" is not an s3://<bucket>/<key> URI: give the S3 location of your PEM truststore, e.g. "s3://my-truststores/api/truststore.pem".`);
  }
  return { bucket: match[1], key: match[2] };
}
