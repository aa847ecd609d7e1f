import { Duration, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ApiKeyAuthorizerFunction } from './api-key-authorizer-function';
import { newAuthorizerFunction } from '../auth/authorizer-function';

/**
 * Properties for `HttpApiKeyAuthorizer`.
 */
export interface HttpApiKeyAuthorizerProps {
  /**
   * The secret that holds the API keys.
   *
   * Its `SecretString` is one key, or several keys separated by newlines (blank lines and
   * surrounding whitespace are ignored). Several keys allow rotation without downtime: add the new
   * key line, move the clients over, then remove the old line.
   *
   * @default - a new secret holding one generated 40-character alphanumeric key
   */
  readonly secret?: secretsmanager.ISecret;

  /**
   * How long API Gateway caches the authorizer's answer for one `x-api-key` value.
   * Between 0 (no caching) and 1 hour, in whole seconds.
   *
   * A removed key keeps working for up to this long, plus the function's own 1-minute key cache.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;

  /**
   * The name of the authorizer in API Gateway.
   *
   * @default - the construct id
   */
  readonly authorizerName?: string;

  /**
   * How long the authorizer function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The header that carries the API key (API Gateway lower-cases header names in payload 2.0). */
const API_KEY_HEADER = 'x-api-key';
/** API Gateway rejects a larger authorizer results cache TTL. */
const MAX_RESULTS_CACHE_TTL = Duration.hours(1);

/** Acknowledged on the secret this construct generates (never on a secret passed in). */
const ACKNOWLEDGED_SECRET_RULES: ReadonlyArray<{ id: string; reason: string }> = [
  {
    id: 'AwsSolutions-SMG4',
    reason: 'API keys are handed to clients out of band, so a rotation Lambda cannot roll them out; rotate by adding a key line, moving clients over, then removing the old line.',
  },
];

/**
 * An API-key authorizer for HTTP APIs, which have no native API keys.
 *
 * A Lambda REQUEST authorizer (simple responses, payload 2.0) checks the `x-api-key` header against
 * the keys kept in a Secrets Manager secret. API Gateway caches the answer per key value, so one
 * instance can protect any number of routes of one HTTP API (pass it as `authorizer` to
 * `addRoutes`, or as `defaultAuthorizer`); like every HTTP API authorizer, it cannot be shared
 * between APIs.
 *
 * @example
 * declare const scope: Construct;
 * declare const api: apigwv2.HttpApi;
 * declare const integration: apigwv2.HttpRouteIntegration;
 * const authorizer = new HttpApiKeyAuthorizer(scope, 'ApiKey');
 * api.addRoutes({ path: '/books', integration, authorizer });
 */
export class HttpApiKeyAuthorizer extends Construct implements apigwv2.IHttpRouteAuthorizer {
  /** The secret that holds the API keys, one per line. */
  public readonly secret: secretsmanager.ISecret;

  /** The authorizer function. */
  public readonly handler: lambda.Function;

  /** The log group of the authorizer function. */
  public readonly logGroup: logs.ILogGroup;

  private readonly authorizer: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: HttpApiKeyAuthorizerProps = {}) {
    super(scope, id);
    const resultsCacheTtl = props.resultsCacheTtl ?? Duration.minutes(5);
    validateResultsCacheTtl(resultsCacheTtl);

    this.secret = props.secret ?? this.generateSecret();

    const { handler, logGroup } = newAuthorizerFunction(this, ApiKeyAuthorizerFunction, {
      API_KEY_SECRET_ARN: this.secret.secretArn,
    }, props.logRetention);
    this.handler = handler;
    this.logGroup = logGroup;
    this.secret.grantRead(this.handler);

    // A distinct id: the API Gateway authorizer is created in the API's scope, where this construct may live too.
    this.authorizer = new HttpLambdaAuthorizer(`${id}Authorizer`, this.handler, {
      authorizerName: props.authorizerName ?? id,
      identitySource: [`$request.header.${API_KEY_HEADER}`],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl,
    });
  }

  /** Binds the authorizer to a route; every route of the same HTTP API shares one API Gateway authorizer. */
  public bind(options: apigwv2.HttpRouteAuthorizerBindOptions): apigwv2.HttpRouteAuthorizerConfig {
    return this.authorizer.bind(options);
  }

  private generateSecret(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'Secret', {
      description: `API keys of ${this.node.path}, one per line`,
      generateSecretString: { excludePunctuation: true, includeSpace: false, passwordLength: 40 },
    });
    Validations.of(secret).acknowledge(...ACKNOWLEDGED_SECRET_RULES);
    return secret;
  }
}

function validateResultsCacheTtl(ttl: Duration): void {
  if (ttl.isUnresolved()) {
    return;
  }
  const millis = ttl.toMilliseconds();
  if (millis > MAX_RESULTS_CACHE_TTL.toMilliseconds()) {
    throw new Error(`resultsCacheTtl is ${ttl.toHumanString()}, but API Gateway allows at most 1 hour: use a shorter Duration, or Duration.seconds(0) to disable caching`);
  }
  if (millis % 1000 !== 0) {
    throw new Error(`resultsCacheTtl is ${ttl.toHumanString()}, but API Gateway takes whole seconds: use Duration.seconds(n)`);
  }
}
