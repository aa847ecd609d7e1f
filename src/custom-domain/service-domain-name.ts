import { Names, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { parseTruststoreUri, validateDomainInZone, validateDomainName } from './domain-rules';

/**
 * Properties for `ServiceDomainName`. Give either `certificateArn`, or `hostedZoneId` and `hostedZoneName`.
 */
export interface ServiceDomainNameProps {
  /** The custom domain name, e.g. `api.example.com`. */
  readonly domainName: string;

  /**
   * The ARN of an ACM certificate for `domainName`, in the stack's region. You then point the DNS name at
   * `domainName.regionalDomainName` yourself.
   * @default - none: give `hostedZoneId` and `hostedZoneName` to create a DNS-validated certificate
   */
  readonly certificateArn?: string;

  /**
   * The id of the Route 53 hosted zone that holds `domainName`: a DNS-validated certificate and the alias A and
   * AAAA records are created in it. The zone is imported from its id and name, never looked up, so synthesis
   * needs no AWS account.
   * @default - none: give `certificateArn`
   */
  readonly hostedZoneId?: string;

  /**
   * The name of that hosted zone, e.g. `example.com`: `domainName` itself or a parent of it.
   * @default - none: required with `hostedZoneId`
   */
  readonly hostedZoneName?: string;

  /**
   * Mutual TLS: the S3 URI of the truststore (PEM bundle of the CA certificates clients' certificates must chain
   * to), `s3://<bucket>/<key>`. Only HTTP APIs may be mapped to the domain then, and only with their
   * `execute-api` endpoint disabled (synthesis fails otherwise).
   * @default - no mutual TLS
   */
  readonly mtlsTruststoreUri?: string;

  /**
   * The S3 object version of the truststore, so that a new upload takes effect only when this changes.
   * @default - the latest version
   */
  readonly mtlsTruststoreVersion?: string;
}

/**
 * A regional, dual-stack (IPv4 and IPv6) custom domain name for an HTTP or a WebSocket API, with its certificate
 * and, given a hosted zone, its DNS records; optionally with mutual TLS.
 *
 * Map an HTTP API with `defaultDomainMapping: domain.domainMapping()` (or a stage with `mapHttpStage`), a
 * WebSocket API's stage with `mapWebSocketStage`. Synthesis fails when a mapping breaks an API Gateway rule:
 * a domain serves either WebSocket APIs or HTTP APIs, never both
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-custom-domain-names.html); with
 * mutual TLS, only HTTP APIs, each with `disableExecuteApiEndpoint: true`, because otherwise clients could skip
 * the client certificate by calling the default endpoint
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mutual-tls.html).
 *
 * @example
 * declare const scope: Construct;
 * const domain = new ServiceDomainName(scope, 'Domain', {
 *   domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com',
 * });
 * new apigwv2.HttpApi(scope, 'Api', { defaultDomainMapping: domain.domainMapping() });
 * new CfnOutput(scope, 'Url', { value: domain.httpUrl() });
 */
export class ServiceDomainName extends Construct {
  /** The API Gateway domain name. */
  public readonly domainName: apigwv2.DomainName;

  /** The certificate: imported from `certificateArn`, or created and validated in the hosted zone. */
  public readonly certificate: acm.ICertificate;

  /** Whether clients must present a certificate (mutual TLS). */
  public readonly mutualTls: boolean;

  constructor(scope: Construct, id: string, props: ServiceDomainNameProps) {
    super(scope, id);
    const { domainName } = props;
    if (!Token.isUnresolved(domainName)) validateDomainName(domainName);
    const zone = this.hostedZone(props);
    this.certificate = zone
      ? new acm.Certificate(this, 'Certificate', { domainName, validation: acm.CertificateValidation.fromDns(zone) })
      : acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!);

    this.mutualTls = props.mtlsTruststoreUri !== undefined;
    this.domainName = new apigwv2.DomainName(this, 'Resource', {
      domainName,
      certificate: this.certificate,
      // Dual-stack, so that the AAAA record resolves (HTTP and WebSocket custom domains support it):
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names-ip-address-type.html
      ipAddressType: apigwv2.IpAddressType.DUAL_STACK,
      mtls: this.truststore(props),
    });

    if (zone) {
      const target = route53.RecordTarget.fromAlias(
        new ApiGatewayv2DomainProperties(this.domainName.regionalDomainName, this.domainName.regionalHostedZoneId),
      );
      new route53.ARecord(this, 'AliasRecord', { zone, recordName: domainName, target });
      new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone, recordName: domainName, target });
    }
    this.node.addValidation({ validate: () => this.mappingErrors() });
  }

  /**
   * Options that map an API stage to this domain, under `mappingKey`: for `HttpApiProps.defaultDomainMapping`,
   * or the `domainMapping` of an `HttpStage` / `WebSocketStage`.
   * @param mappingKey the base path, e.g. `books` for `https://api.example.com/books`; default: the root
   */
  public domainMapping(mappingKey?: string): apigwv2.DomainMappingOptions {
    return { domainName: this.domainName, mappingKey };
  }

  /** Maps an existing HTTP API stage to this domain, under `mappingKey` (default: the root). */
  public mapHttpStage(stage: apigwv2.IHttpStage, mappingKey?: string): apigwv2.ApiMapping {
    return this.mapStage(stage.api, stage, mappingKey);
  }

  /** Maps an existing WebSocket API stage (e.g. `ServiceWebSocketApi.stage`) to this domain, under `mappingKey`. */
  public mapWebSocketStage(stage: apigwv2.IWebSocketStage, mappingKey?: string): apigwv2.ApiMapping {
    return this.mapStage(stage.api, stage, mappingKey);
  }

  /** The HTTPS URL of what is mapped under `mappingKey`, e.g. `https://api.example.com/` (for a stack output). */
  public httpUrl(mappingKey?: string): string {
    return `https://${this.domainName.name}/${mappingKey ?? ''}`;
  }

  /** The WebSocket URL of what is mapped under `mappingKey`, e.g. `wss://api.example.com` (for a stack output). */
  public webSocketUrl(mappingKey?: string): string {
    return `wss://${this.domainName.name}${mappingKey ? `/${mappingKey}` : ''}`;
  }

  private mapStage(api: apigwv2.IApi, stage: apigwv2.IStage, mappingKey?: string): apigwv2.ApiMapping {
    return new apigwv2.ApiMapping(this, `Mapping-${Names.nodeUniqueId(stage.node)}`, {
      api,
      stage,
      domainName: this.domainName,
      apiMappingKey: mappingKey,
    });
  }

  private hostedZone(props: ServiceDomainNameProps): route53.IHostedZone | undefined {
    const { certificateArn, hostedZoneId, hostedZoneName } = props;
    const zoneGiven = hostedZoneId !== undefined || hostedZoneName !== undefined;
    if (certificateArn !== undefined && zoneGiven) {
      throw new Error(`ServiceDomainName ${this.node.path} has both certificateArn and a hosted zone: give certificateArn (an existing certificate) or hostedZoneId and hostedZoneName (a new DNS-validated certificate and alias records), not both.`);
    }
    if (!zoneGiven) {
      if (certificateArn === undefined) {
        throw new Error(`ServiceDomainName ${this.node.path} has no certificate source: give certificateArn (an existing certificate for ${props.domainName}) or hostedZoneId and hostedZoneName (the Route 53 zone that holds it).`);
      }
      return undefined;
    }
    if (hostedZoneId === undefined || hostedZoneName === undefined) {
      throw new Error(`ServiceDomainName ${this.node.path} has only ${hostedZoneId === undefined ? 'hostedZoneName' : 'hostedZoneId'}: give both hostedZoneId (e.g. "Z0123456789ABC") and hostedZoneName (e.g. "example.com").`);
    }
    if (!Token.isUnresolved(props.domainName) && !Token.isUnresolved(hostedZoneName)) {
      validateDomainInZone(props.domainName, hostedZoneName);
    }
    return route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', { hostedZoneId, zoneName: hostedZoneName });
  }

  private truststore(props: ServiceDomainNameProps): apigwv2.MTLSConfig | undefined {
    if (props.mtlsTruststoreUri === undefined) {
      if (props.mtlsTruststoreVersion !== undefined) {
        throw new Error(`ServiceDomainName ${this.node.path} has mtlsTruststoreVersion but no mtlsTruststoreUri: give the truststore's s3://<bucket>/<key> URI too, or drop the version.`);
      }
      return undefined;
    }
    const { bucket, key } = parseTruststoreUri(props.mtlsTruststoreUri);
    return { bucket: s3.Bucket.fromBucketName(this, 'Truststore', bucket), key, version: props.mtlsTruststoreVersion };
  }

  /** API Gateway's rules for what may be mapped to this domain, checked over every mapping in the stack. */
  private mappingErrors(): string[] {
    const stack = Stack.of(this);
    const key = (value: unknown) => JSON.stringify(stack.resolve(value));
    const constructs = stack.node.findAll();
    const apis = new Map(constructs.filter(apigwv2.CfnApi.isCfnApi).map((api) => [key(api.ref), api]));
    const domain = key(this.domainName.name);
    const mapped = constructs
      .filter((c): c is apigwv2.CfnApiMapping => apigwv2.CfnApiMapping.isCfnApiMapping(c) && key(c.domainName) === domain)
      .map((mapping) => apis.get(key(mapping.apiId)))
      .filter((api): api is apigwv2.CfnApi => api !== undefined);
    const webSocket = mapped.filter((api) => api.protocolType === 'WEBSOCKET');
    const http = mapped.filter((api) => api.protocolType !== 'WEBSOCKET');
    const name = (api: IConstruct) => api.node.scope!.node.path;
    const errors: string[] = [];
    if (webSocket.length > 0 && http.length > 0) {
      errors.push(`Custom domain ${this.node.path} is mapped to WebSocket API ${name(webSocket[0])} and HTTP API ${name(http[0])}: API Gateway cannot map a WebSocket API to a domain that also serves REST or HTTP APIs. Give each its own ServiceDomainName.`);
    }
    if (this.mutualTls) {
      for (const api of webSocket) {
        errors.push(`WebSocket API ${name(api)} is mapped to custom domain ${this.node.path}, which has mutual TLS: API Gateway supports mutual TLS for REST and HTTP APIs only. Give the WebSocket API a domain without mtlsTruststoreUri.`);
      }
      for (const api of http.filter((a) => stack.resolve(a.disableExecuteApiEndpoint) !== true)) {
        errors.push(`HTTP API ${name(api)} is mapped to custom domain ${this.node.path}, which has mutual TLS, but its default execute-api endpoint is enabled, so clients could call it without a certificate: set disableExecuteApiEndpoint: true on the API.`);
      }
    }
    return errors;
  }
}
