/**
 * The custom domains of a generated service: the domain options of the project type, validated with the rules
 * `ServiceDomainName` applies at synthesis, so that bad input stops `projen new` before any file is written.
 * Free of aws-cdk-lib imports: `.projenrc.ts` loads it.
 */
import type { ApiServiceProjectOptions } from './api-service-project-options';
import { parseTruststoreUri, validateDomainInZone, validateDomainName } from '../custom-domain/domain-rules';

/** The custom-domain options of `ApiServiceProjectOptions`. */
export type CustomDomainOptions = Pick<ApiServiceProjectOptions,
'domainName' | 'webSocketDomainName' | 'certificateArn' | 'hostedZoneId' | 'hostedZoneName' | 'mtlsTruststoreUri' | 'mtlsTruststoreVersion'>;

/** An ACM certificate ARN, in any partition: `arn:aws:acm:<region>:<account>:certificate/<id>`. */
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/**
 * Validates the custom-domain options. Throws one error naming the bad value and the fix.
 * @param hasHttpApi whether the service has an HTTP API (for `domainName`)
 * @param hasWebSocketApi whether the service has a WebSocket API (for `webSocketDomainName`)
 */
export function resolveCustomDomains(options: CustomDomainOptions, hasHttpApi: boolean, hasWebSocketApi: boolean): CustomDomainOptions {
  const { domainName, webSocketDomainName, certificateArn, hostedZoneId, hostedZoneName, mtlsTruststoreUri, mtlsTruststoreVersion } = options;
  const domains = [domainName, webSocketDomainName].filter((d): d is string => d !== undefined);
  domains.forEach(validateDomainName);
  if (domainName !== undefined && !hasHttpApi) {
    throw new Error(`domainName "${domainName}" is the HTTP API's custom domain, but the service has no httpRoutes: give the WebSocket API's domain as webSocketDomainName.`);
  }
  if (webSocketDomainName !== undefined && !hasWebSocketApi) {
    throw new Error(`webSocketDomainName "${webSocketDomainName}" is the WebSocket API's custom domain, but the service has no websocketRoutes: give the HTTP API's domain as domainName.`);
  }
  if (domainName !== undefined && domainName.toLowerCase() === webSocketDomainName?.toLowerCase()) {
    throw new Error(`domainName and webSocketDomainName are both "${domainName}": API Gateway cannot serve a WebSocket API on a domain that serves an HTTP API; give each its own name, e.g. "ws.${domainName}".`);
  }

  const zoneGiven = hostedZoneId !== undefined || hostedZoneName !== undefined;
  if (domains.length === 0) {
    const stray = Object.entries({ certificateArn, hostedZoneId, hostedZoneName }).find(([, value]) => value !== undefined);
    if (stray) {
      throw new Error(`${stray[0]} "${stray[1]}" is set, but neither domainName nor webSocketDomainName: give the custom domain it is for, or remove ${stray[0]}.`);
    }
  } else if (certificateArn !== undefined && zoneGiven) {
    throw new Error(`certificateArn "${certificateArn}" and a hosted zone (hostedZoneId, hostedZoneName) are both set: give certificateArn (an existing certificate) or the hosted zone (a new DNS-validated certificate and the alias records), not both.`);
  } else if (certificateArn === undefined && !zoneGiven) {
    throw new Error(`The custom domain "${domains[0]}" has no certificate: give hostedZoneId and hostedZoneName (the Route 53 zone that holds it: a DNS-validated certificate and the alias records are created), or certificateArn (an existing ACM certificate in the stack's region).`);
  }
  if (certificateArn !== undefined && !CERTIFICATE_ARN.test(certificateArn)) {
    throw new Error(`certificateArn "${certificateArn}" is not an ACM certificate ARN: give one such as "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-...", in the stack's region.`);
  }
  if (zoneGiven && (hostedZoneId === undefined || hostedZoneName === undefined)) {
    throw new Error(`Only ${hostedZoneId === undefined ? `hostedZoneName "${hostedZoneName}"` : `hostedZoneId "${hostedZoneId}"`} is set: give both hostedZoneId (e.g. "Z0123456789ABC") and hostedZoneName (e.g. "example.com"); the zone is imported from them, never looked up.`);
  }
  if (hostedZoneName !== undefined) {
    domains.forEach((domain) => validateDomainInZone(domain, hostedZoneName));
  }

  if (mtlsTruststoreUri !== undefined) {
    if (domainName === undefined) {
      throw new Error(`mtlsTruststoreUri "${mtlsTruststoreUri}" is set but domainName is not: mutual TLS is a setting of the HTTP API's custom domain; give domainName, or remove mtlsTruststoreUri.`);
    }
    parseTruststoreUri(mtlsTruststoreUri);
  } else if (mtlsTruststoreVersion !== undefined) {
    throw new Error(`mtlsTruststoreVersion "${mtlsTruststoreVersion}" is set but mtlsTruststoreUri is not: give the truststore's s3://<bucket>/<key> URI too, or remove the version.`);
  }
  return { domainName, webSocketDomainName, certificateArn, hostedZoneId, hostedZoneName, mtlsTruststoreUri, mtlsTruststoreVersion };
}
