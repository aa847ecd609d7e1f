import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { AspectMode } from './aspect-mode';
import { AuthorizationPolicy } from './authorization-policy';
import { Authorization } from '../auth/authorization';

/** Props for `ApiKeyEnforcement`. */
export interface ApiKeyEnforcementProps {
  /**
   * HTTP route keys that stay open without any authorizer, e.g. `GET /health`.
   * @default - none: every HTTP route needs an authorizer
   */
  readonly publicRoutes?: string[];
  /**
   * The authorizer put on open HTTP routes. An HTTP API authorizer belongs to one API: give one only when the
   * scope holds a single HTTP API.
   * @default - one `HttpApiKeyAuthorizer` per HTTP API, created when the first open route is found
   */
  readonly httpAuthorizer?: apigwv2.IHttpRouteAuthorizer;
  /**
   * Requests per second the WebSocket usage plan allows one API key.
   * @default 50
   */
  readonly usagePlanRateLimit?: number;
  /**
   * Burst of requests the WebSocket usage plan allows one API key.
   * @default 100
   */
  readonly usagePlanBurstLimit?: number;
  /**
   * Whether to enforce API keys, or only report where they are missing.
   * @default AspectMode.APPLY
   */
  readonly mode?: AspectMode;
}

/**
 * Requires an API key on every API: `AuthorizationPolicy` with `Authorization.API_KEY` for every route.
 * HTTP routes (L2 or L1) without an authorizer and not in `publicRoutes` get `httpAuthorizer` (one
 * `HttpApiKeyAuthorizer` per API by default); a WebSocket `$connect` without an authorizer gets a
 * `WebSocketApiKeyAuthorizer` (key from `?apiKey=` or the `x-api-key` header), and each stage a usage plan.
 *
 * @deprecated use `AuthorizationPolicy`, which also authorizes with JWTs and IAM
 */
export class ApiKeyEnforcement extends AuthorizationPolicy {
  constructor(props: ApiKeyEnforcementProps = {}) {
    super({
      authorization: Authorization.API_KEY,
      publicRoutes: props.publicRoutes,
      apiKeyAuthorizer: props.httpAuthorizer,
      usagePlanRateLimit: props.usagePlanRateLimit,
      usagePlanBurstLimit: props.usagePlanBurstLimit,
      mode: props.mode,
    });
  }
}
