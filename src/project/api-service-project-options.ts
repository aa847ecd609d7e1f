import { awscdk } from 'projen';

/**
 * Options for `ApiServiceProject`.
 */
export interface ApiServiceProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions {
  /**
   * Name of the service: the API names and the stack name are made from it.
   * @default - the project name without its npm scope, in kebab-case
   */
  readonly serviceName?: string;

  /**
   * HTTP API routes as "METHOD /path" keys, e.g. "GET /books/{id}". Each gets a handler in `src/http/`.
   * The HTTP API exists when there is at least one.
   * @default - when neither `httpRoutes` nor `websocketRoutes` is given, a demo: "GET /health", "GET /books",
   * "GET /books/{id}", "POST /books"; otherwise none
   * @featured
   */
  readonly httpRoutes?: string[];

  /**
   * WebSocket API routes (route-selection values of `$request.body.action`), e.g. "sendmessage".
   * Each gets a handler in `src/websocket/`; `$connect`, `$disconnect` and `$default` are always added.
   * The WebSocket API exists when there is at least one.
   * @default - when neither `httpRoutes` nor `websocketRoutes` is given, a demo "sendmessage" that echoes to the
   * sender; otherwise none
   * @featured
   */
  readonly websocketRoutes?: string[];

  /**
   * HTTP routes that stay public (no authorization, like "none" in `routeAuthorization`); each must be one of
   * `httpRoutes`.
   * @default - "GET /health" with the demo routes; otherwise none
   * @featured
   */
  readonly publicRoutes?: string[];

  /**
   * How callers are authorized on every HTTP route (unless `routeAuthorization` or `publicRoutes` says otherwise)
   * and on WebSocket `$connect`: "api-key" (header `x-api-key`; on a WebSocket also `?apiKey=`, for browsers),
   * "jwt" (header `Authorization: Bearer <token>` from `jwtIssuer` or the `userPool`; on a WebSocket `?token=`),
   * "jwt:<scope>[,<scope>...]" (a JWT holding one of the scopes), "iam" (requests signed with SigV4) or "none"
   * (public).
   * @default - "jwt" with `userPool` or `jwtIssuer`; "none" with `apiKeyRequired: false`; else "api-key"
   * @featured
   */
  readonly authorization?: string;

  /**
   * Per-route authorization, by HTTP route key (each one of `httpRoutes`), in the forms of `authorization`, e.g.
   * `{ 'GET /health': 'none', 'DELETE /books/{id}': 'jwt:books/admin', 'POST /internal/reindex': 'iam' }`.
   * Not a `projen new` flag: set it in .projenrc.ts.
   * @default - every route has `authorization`, except `publicRoutes` ("none")
   */
  readonly routeAuthorization?: Record<string, string>;

  /**
   * The issuer of the callers' JWTs for "jwt", exactly as in the tokens' `iss` claim (an `https://` URL): any OIDC
   * provider, e.g. "https://example.auth0.com/". It must publish its OIDC discovery document at
   * `<issuer>/.well-known/openid-configuration`
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
   * @default - none: give it with `jwtAudience` for "jwt", or use `userPool`
   */
  readonly jwtIssuer?: string;

  /**
   * The audiences accepted in the callers' JWTs (the `aud` claim, or `client_id` when a token has no `aud`), with
   * `jwtIssuer`.
   * @default - none: required with `jwtIssuer`
   */
  readonly jwtAudience?: string[];

  /**
   * Whether the stack creates an Amazon Cognito user pool and app client (`ServiceUserPool`) that issue the
   * callers' JWTs, instead of an external `jwtIssuer`.
   * @default false
   * @featured
   */
  readonly userPool?: boolean;

  /**
   * The custom domain of the HTTP API, e.g. "api.example.com": the stack outputs its URL. Give `hostedZoneId` and
   * `hostedZoneName`, or `certificateArn`.
   * @default - no custom domain: the API's execute-api URL
   * @featured
   */
  readonly domainName?: string;

  /**
   * The custom domain of the WebSocket API, e.g. "ws.example.com" (a domain serves WebSocket or HTTP APIs, not
   * both): the stack outputs its URL. It gets its certificate as `domainName` does.
   * @default - no custom domain: the API's execute-api URL
   */
  readonly webSocketDomainName?: string;

  /**
   * The ARN of an existing ACM certificate, in the stack's region, for the custom domains (one that covers both
   * `domainName` and `webSocketDomainName`, e.g. "*.example.com"). You then point their DNS names at the API
   * Gateway domains yourself.
   * @default - none: give `hostedZoneId` and `hostedZoneName` to create DNS-validated certificates instead
   */
  readonly certificateArn?: string;

  /**
   * The id of the Route 53 hosted zone that holds the custom domains, e.g. "Z0123456789ABC": DNS-validated
   * certificates and the alias records are created in it. The zone is imported from `hostedZoneId` and
   * `hostedZoneName`, never looked up, so synthesis needs no AWS account.
   * @default - none: give `certificateArn` instead
   */
  readonly hostedZoneId?: string;

  /**
   * The name of that hosted zone, e.g. "example.com": the custom domains themselves or a parent of them.
   * @default - none: required with `hostedZoneId`
   */
  readonly hostedZoneName?: string;

  /**
   * Mutual TLS on the HTTP API's custom domain: the S3 URI of the truststore, "s3://<bucket>/<key>" (a PEM bundle
   * of the CA certificates the clients' certificates must chain to). The API's execute-api endpoint is then
   * disabled, so that no client can skip its certificate.
   * @default - no mutual TLS
   */
  readonly mtlsTruststoreUri?: string;

  /**
   * The S3 object version of the truststore, so that a new upload takes effect only when this changes.
   * @default - the latest version
   */
  readonly mtlsTruststoreVersion?: string;

  /**
   * Whether callers must send an API key: `false` means `authorization: "none"`, `true` "api-key".
   * @default - unset: `authorization` decides
   * @deprecated use `authorization`
   */
  readonly apiKeyRequired?: boolean;

  /**
   * Origins allowed by CORS, e.g. "https://app.example.com", or "*".
   * @default - no CORS
   * @featured
   */
  readonly corsAllowOrigins?: string[];

  /**
   * Whether CORS allows credentials (cookies, authorization headers); not allowed with origin "*".
   * @default false
   */
  readonly corsAllowCredentials?: boolean;

  /**
   * Name of the stage of each API.
   * @default - "$default" (API Gateway's default stage, at the root of the URL) for the HTTP API, "prod" for the
   * WebSocket API
   * @featured
   */
  readonly stageName?: string;

  /**
   * E-mail address subscribed to the alarms.
   * @default - alarms notify no one until you subscribe to their topic
   * @featured
   */
  readonly alarmEmail?: string;

  /**
   * Alarm threshold for server errors (5xx) per period.
   * @default - 0: the alarm fires on any 5xx (the `ApiServiceDefaults` default)
   */
  readonly serverErrorThreshold?: number;

  /**
   * Alarm threshold for client errors (4xx) per period.
   * @default - 100 (the `ApiServiceDefaults` default)
   */
  readonly clientErrorThreshold?: number;

  /**
   * Alarm threshold for end-to-end latency (p99), in milliseconds.
   * @default - 3000 (the `ApiServiceDefaults` default)
   */
  readonly latencyThresholdMs?: number;

  /**
   * Alarm threshold for integration (Lambda) latency (p99), in milliseconds.
   * @default - 2500 (the `ApiServiceDefaults` default)
   */
  readonly integrationLatencyThresholdMs?: number;
}
