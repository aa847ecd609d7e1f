import { Annotations, Duration, Mixin, Token } from 'aws-cdk-lib';
import { CfnApi, WebSocketApiKeySelectionExpression } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { CorsOrigins, MAX_CORS_MAX_AGE_SECONDS, validateCorsMerge, validateCorsOrigins } from './cors-rules';
import { mergeSettings } from './merge';

const HTTP_METHODS = ['*', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Props for `ApiCorsPreflight`. */
export interface ApiCorsPreflightProps {
  /** Origins allowed to call the API, e.g. `https://app.example.com`; `*` allows any (not with credentials). */
  readonly allowOrigins: string[];
  /**
   * Methods allowed in cross-origin requests.
   * @default ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed in cross-origin requests.
   * @default ['content-type', 'authorization', 'x-api-key']
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers exposed to the browser.
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether browsers may send credentials (cookies, authorization headers).
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight response; at most 24 hours.
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/**
 * CORS preflight for an HTTP API: API Gateway answers `OPTIONS` itself, before any route or authorizer.
 * Merges with an existing CORS configuration: lists are unioned, settings already made are kept. The merged
 * configuration is validated again: merging throws rather than allow `*` with credentials, or add `*` to a list
 * of exact origins.
 */
export class ApiCorsPreflight extends Mixin {
  private readonly cors: CfnApi.CorsProperty;

  constructor(props: ApiCorsPreflightProps) {
    super();
    const allowCredentials = props.allowCredentials ?? false;
    validateCorsOrigins(props.allowOrigins, allowCredentials, (s) => Token.isUnresolved(s));
    const allowMethods = props.allowMethods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
    for (const method of allowMethods) {
      if (!HTTP_METHODS.includes(method)) {
        throw new Error(`CORS method "${method}" is not an HTTP method: use one of ${HTTP_METHODS.join(', ')} (upper case).`);
      }
    }
    const maxAge = props.maxAge ?? Duration.hours(1);
    if (!maxAge.isUnresolved() && maxAge.toSeconds() > MAX_CORS_MAX_AGE_SECONDS) {
      throw new Error(`CORS maxAge of ${maxAge.toSeconds()} seconds is above API Gateway's maximum of ${MAX_CORS_MAX_AGE_SECONDS} (24 hours): use Duration.hours(24) or less.`);
    }
    this.cors = {
      allowOrigins: props.allowOrigins,
      allowMethods,
      allowHeaders: props.allowHeaders ?? ['content-type', 'authorization', 'x-api-key'],
      exposeHeaders: props.exposeHeaders,
      allowCredentials,
      maxAge: maxAge.toSeconds(),
    };
  }

  /** HTTP APIs only: WebSocket APIs have no CORS. */
  public supports(construct: IConstruct): construct is CfnApi {
    return CfnApi.isCfnApi(construct) && construct.protocolType === 'HTTP';
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) return;
    const existing = construct.corsConfiguration;
    const merged = mergeSettings(existing, this.cors);
    if (merged === undefined) {
      Annotations.of(construct).addWarningV2('projen-api-service:cors-unmergeable', 'CORS configuration, or one of its lists, is a token and cannot be merged: ApiCorsPreflight left it as it is. Set the origins, methods and headers as plain lists to let it merge.');
      return;
    }
    if (existing !== undefined) {
      validateCorsMerge(construct.node.path, existing as CorsOrigins, this.cors as CorsOrigins, merged as CorsOrigins, (s) => Token.isUnresolved(s));
    }
    construct.corsConfiguration = merged;
  }
}

/**
 * The API key selection expressions API Gateway accepts: "Currently the only two supported values are
 * `$request.header.x-api-key` and `$context.authorizer.usageIdentifierKey`"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html).
 */
const API_KEY_SELECTION_EXPRESSIONS = [
  WebSocketApiKeySelectionExpression.HEADER_X_API_KEY,
  WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY,
].map((e) => e.customApiKeySelector);

/** Props for `ApiKeySelection`. */
export interface ApiKeySelectionProps {
  /**
   * Where API Gateway reads the API key from: `WebSocketApiKeySelectionExpression.HEADER_X_API_KEY` or
   * `AUTHORIZER_USAGE_IDENTIFIER_KEY`, the only two API Gateway accepts.
   * @default WebSocketApiKeySelectionExpression.HEADER_X_API_KEY
   */
  readonly expression?: WebSocketApiKeySelectionExpression;
  /**
   * The same as `expression`, as a string.
   * @default - `expression`
   * @deprecated use `expression`
   */
  readonly selectionExpression?: string;
}

/**
 * API-key selection for a WebSocket API, so that routes with `apiKeyRequired` can check a key.
 * Keeps a selection expression already set.
 */
export class ApiKeySelection extends Mixin {
  private readonly expression: string;

  constructor(props: ApiKeySelectionProps = {}) {
    super();
    if (props.expression !== undefined && props.selectionExpression !== undefined) {
      throw new Error(`ApiKeySelection got both expression "${props.expression.customApiKeySelector}" and selectionExpression "${props.selectionExpression}": give only expression.`);
    }
    this.expression = props.expression?.customApiKeySelector ?? props.selectionExpression
      ?? WebSocketApiKeySelectionExpression.HEADER_X_API_KEY.customApiKeySelector;
    if (!Token.isUnresolved(this.expression) && !API_KEY_SELECTION_EXPRESSIONS.includes(this.expression)) {
      throw new Error(`API key selection expression "${this.expression}" is not one API Gateway accepts: use `
        + 'WebSocketApiKeySelectionExpression.HEADER_X_API_KEY ("$request.header.x-api-key") or AUTHORIZER_USAGE_IDENTIFIER_KEY ("$context.authorizer.usageIdentifierKey").');
    }
  }

  /** WebSocket APIs only: HTTP APIs have no API keys. */
  public supports(construct: IConstruct): construct is CfnApi {
    return CfnApi.isCfnApi(construct) && construct.protocolType === 'WEBSOCKET';
  }

  public applyTo(construct: IConstruct): void {
    if (!this.supports(construct)) return;
    construct.apiKeySelectionExpression ??= this.expression;
  }
}
