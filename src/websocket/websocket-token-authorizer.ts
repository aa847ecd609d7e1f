import { Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WebsocketTokenAuthorizerFunction } from './websocket-token-authorizer-function';
import {
  defaultJwksUri,
  validateJwksUri,
  validateJwtAudience,
  validateJwtIssuer,
  validateJwtScopes,
  validateQueryParameterName,
} from '../auth/auth-rules';
import { newAuthorizerFunction } from '../auth/authorizer-function';

/**
 * Properties for `WebSocketTokenAuthorizer`. Give the token issuer either as `issuer` and `audience` (any OIDC
 * provider) or as `userPool` and `userPoolClients` (Amazon Cognito).
 */
export interface WebSocketTokenAuthorizerProps {
  /**
   * The issuer of the tokens, an `https://` URL: the `iss` claim, e.g. `https://example.auth0.com/`.
   * @default - none: give `userPool` instead
   */
  readonly issuer?: string;

  /**
   * The accepted audiences: a token's `aud` claim (or, when it has none, its `client_id`) must hold one of them,
   * as API Gateway's HTTP JWT authorizer checks it.
   * @default - none: required with `issuer`
   */
  readonly audience?: string[];

  /**
   * Where the issuer publishes its signing keys (the `jwks_uri` of its OpenID configuration), an `https://` URL.
   * @default - `issuer` + `/.well-known/jwks.json` (Amazon Cognito, Auth0); the user pool's keys with `userPool`
   */
  readonly jwksUri?: string;

  /**
   * An Amazon Cognito user pool whose ID and access tokens are accepted, verified with aws-jwt-verify's Cognito
   * verifier (`token_use` checked; access tokens carry `client_id`, not `aud`).
   * @default - none: give `issuer` and `audience` instead
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * The app clients of `userPool` whose tokens are accepted.
   * @default - none: required with `userPool`
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];

  /**
   * Scopes of which a token must hold at least one (in its `scope` claim); a valid token without any is denied
   * (403), like API Gateway's JWT authorizers do with route scopes.
   * @default - no scope required
   */
  readonly requiredScopes?: string[];

  /**
   * The query-string parameter that carries the token: `wss://.../prod?token=<JWT>`.
   * @default 'token'
   */
  readonly queryParameter?: string;

  /**
   * The name of the authorizer in API Gateway.
   * @default - the construct id
   */
  readonly authorizerName?: string;

  /**
   * How long the authorizer function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A JWT authorizer for a WebSocket API's `$connect` route.
 *
 * Browsers cannot set headers on a WebSocket, so the token travels in a query-string parameter (`?token=<JWT>`).
 * A Lambda REQUEST authorizer verifies it with aws-jwt-verify against the issuer's JWKS: signature, issuer,
 * audience, expiry (required) and not-before, then `requiredScopes`. API Gateway answers 401 when the token is
 * missing (it is the authorizer's identity source, so the function is not even called) or invalid, and 403 when
 * a valid token lacks every required scope.
 *
 * The route handlers find the token's claims in `event.requestContext.authorizer` (API Gateway allows only
 * string, number and boolean values there): `principalId` and `sub` (the subject), `scope` (the `scope` claim,
 * space-separated) and `claims` (the whole payload as a JSON string).
 *
 * The function never logs the token. (`StageAccessLogging`'s default format records no query string either.)
 *
 * @example
 * declare const scope: Construct;
 * declare const integration: WebSocketLambdaIntegration;
 * const authorizer = new WebSocketTokenAuthorizer(scope, 'Token', {
 *   issuer: 'https://example.auth0.com/',
 *   audience: ['https://books.example.com'],
 * });
 * new apigwv2.WebSocketApi(scope, 'Ws', { connectRouteOptions: { integration, authorizer } });
 */
export class WebSocketTokenAuthorizer extends Construct implements apigwv2.IWebSocketRouteAuthorizer {
  /** The authorizer function. */
  public readonly handler: lambda.Function;

  /** The log group of the authorizer function. */
  public readonly logGroup: logs.ILogGroup;

  private readonly authorizer: WebSocketLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: WebSocketTokenAuthorizerProps) {
    super(scope, id);
    const queryParameter = props.queryParameter ?? 'token';
    validateQueryParameterName(queryParameter);
    validateJwtScopes(props.requiredScopes ?? []);

    const { handler, logGroup } = newAuthorizerFunction(this, WebsocketTokenAuthorizerFunction, {
      ...this.issuerEnvironment(props),
      TOKEN_QUERY_PARAMETER: queryParameter,
      ...(props.requiredScopes?.length ? { JWT_REQUIRED_SCOPES: props.requiredScopes.join(' ') } : {}),
    }, props.logRetention);
    this.handler = handler;
    this.logGroup = logGroup;

    // A distinct id: the API Gateway authorizer is created in the API's scope, where this construct may live too.
    this.authorizer = new WebSocketLambdaAuthorizer(`${id}Authorizer`, this.handler, {
      authorizerName: props.authorizerName ?? id,
      // A request without the parameter gets 401 from API Gateway without invoking the function: "all of the
      // identity-related request parameters are present ... Otherwise, it returns a 401 Unauthorized response
      // without calling the Lambda function." (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html)
      identitySource: [`route.request.querystring.${queryParameter}`],
    });
  }

  /** Binds the authorizer to the `$connect` route of a WebSocket API. */
  public bind(options: apigwv2.WebSocketRouteAuthorizerBindOptions): apigwv2.WebSocketRouteAuthorizerConfig {
    return this.authorizer.bind(options);
  }

  /** The handler's issuer settings, from `issuer`/`audience` or from `userPool`/`userPoolClients`. */
  private issuerEnvironment(props: WebSocketTokenAuthorizerProps): { [name: string]: string } {
    if (props.issuer !== undefined && props.userPool) {
      throw new Error(`WebSocketTokenAuthorizer ${this.node.path} has both issuer and userPool: give issuer and audience for an OIDC provider, or userPool and userPoolClients for Amazon Cognito, not both.`);
    }
    if (props.userPool) {
      const clients = props.userPoolClients ?? [];
      if (clients.length === 0 || props.audience) {
        throw new Error(`WebSocketTokenAuthorizer ${this.node.path} has a userPool: give its app clients as userPoolClients (their ids are the accepted audiences), and no audience.`);
      }
      return {
        COGNITO_USER_POOL_ID: props.userPool.userPoolId,
        JWT_AUDIENCE: clients.map((client) => client.userPoolClientId).join(','),
        JWKS_URI: this.jwksUri(props.jwksUri ?? defaultJwksUri(`https://${props.userPool.userPoolProviderName}`)),
      };
    }
    if (props.issuer === undefined) {
      throw new Error(`WebSocketTokenAuthorizer ${this.node.path} has no token issuer: give issuer and audience (any OIDC provider), or userPool and userPoolClients (Amazon Cognito).`);
    }
    if (!Token.isUnresolved(props.issuer)) validateJwtIssuer(props.issuer);
    const audience = props.audience ?? [];
    validateJwtAudience(audience, (value) => Token.isUnresolved(value));
    return {
      JWT_ISSUER: props.issuer,
      JWT_AUDIENCE: audience.join(','),
      JWKS_URI: this.jwksUri(props.jwksUri ?? defaultJwksUri(props.issuer)),
    };
  }

  private jwksUri(uri: string): string {
    if (!Token.isUnresolved(uri)) validateJwksUri(uri);
    return uri;
  }
}
