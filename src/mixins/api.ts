import { Annotations, Duration, Mixin, Token } from 'aws-cdk-lib';
import { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { MAX_CORS_MAX_AGE_SECONDS, validateCorsOrigins } from './cors-rules';
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
 * Merges with an existing CORS configuration: lists are unioned, settings already made are kept.
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
    const merged = mergeSettings(construct.corsConfiguration, this.cors);
    if (merged === undefined) {
      Annotations.of(construct).addWarningV2('projen-api-service:cors-unmergeable', 'CORS configuration, or one of its lists, is a token and cannot be merged: ApiCorsPreflight left it as it is. Set the origins, methods and headers as plain lists to let it merge.');
      return;
    }
    construct.corsConfiguration = merged;
  }
}

/** Props for `ApiKeySelection`. */
export interface ApiKeySelectionProps {
  /**
   * Where API Gateway reads the API key from.
   * @default '$request.header.x-api-key'
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
    this.expression = props.selectionExpression ?? '$request.header.x-api-key';
    if (!Token.isUnresolved(this.expression) && !/^\$(request\.header\.[A-Za-z0-9-]+|context\.authorizer\.usageIdentifierKey)$/.test(this.expression)) {
      throw new Error(`API key selection expression "${this.expression}" is not one API Gateway accepts: use "$request.header.<name>" or "$context.authorizer.usageIdentifierKey".`);
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
