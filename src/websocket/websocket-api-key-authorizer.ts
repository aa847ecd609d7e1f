import { Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WebsocketApiKeyAuthorizerFunction } from './websocket-api-key-authorizer-function';
import { validateQueryParameterName } from '../auth/auth-rules';
import { newAuthorizerFunction } from '../auth/authorizer-function';

/**
 * Properties for `WebSocketApiKeyAuthorizer`.
 */
export interface WebSocketApiKeyAuthorizerProps {
  /**
   * The query-string parameter that carries the API key: `wss://.../prod?apiKey=<key>`. The `x-api-key` header
   * is read too, for clients that can set headers.
   * @default 'apiKey'
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

/** The key selection expression that makes API Gateway check the key the authorizer returns. */
const AUTHORIZER_KEY = apigwv2.WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY.customApiKeySelector;

/**
 * An API-key authorizer for a WebSocket API's `$connect` route that browsers can use: they cannot set the
 * `x-api-key` header on a WebSocket, so the key may travel in a query-string parameter (`?apiKey=<key>`).
 *
 * A Lambda REQUEST authorizer reads the key (query string first, then the `x-api-key` header) and returns it as
 * the `usageIdentifierKey` with an Allow policy. API Gateway itself then checks it against the stage's usage
 * plan (403 for an unknown key) and counts the connection against that plan, because the API selects keys with
 * `$context.authorizer.usageIdentifierKey` and `$connect` requires a key
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
 * Without those two settings any string would pass, so synthesis fails when either is missing.
 * A connection without a key gets 401.
 *
 * The authorizer has no identity source: API Gateway skips the function (401) when any listed source is missing,
 * and the key may come from either place. The key is never logged.
 *
 * The stage still needs a usage plan with API keys (`ApiKeyEnforcement` creates one per stage).
 *
 * @example
 * declare const scope: Construct;
 * declare const integration: WebSocketLambdaIntegration;
 * const authorizer = new WebSocketApiKeyAuthorizer(scope, 'ApiKey');
 * const webSocketApi = new apigwv2.WebSocketApi(scope, 'Ws', {
 *   apiKeySelectionExpression: apigwv2.WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY,
 * });
 * new apigwv2.WebSocketRoute(scope, 'Connect', { webSocketApi, routeKey: '$connect', integration, authorizer, apiKeyRequired: true });
 */
export class WebSocketApiKeyAuthorizer extends Construct implements apigwv2.IWebSocketRouteAuthorizer {
  /** The authorizer function. */
  public readonly handler: lambda.Function;

  /** The log group of the authorizer function. */
  public readonly logGroup: logs.ILogGroup;

  private readonly authorizer: WebSocketLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: WebSocketApiKeyAuthorizerProps = {}) {
    super(scope, id);
    const queryParameter = props.queryParameter ?? 'apiKey';
    validateQueryParameterName(queryParameter);

    const { handler, logGroup } = newAuthorizerFunction(this, WebsocketApiKeyAuthorizerFunction, {
      API_KEY_QUERY_PARAMETER: queryParameter,
    }, props.logRetention);
    this.handler = handler;
    this.logGroup = logGroup;

    // A distinct id: the API Gateway authorizer is created in the API's scope, where this construct may live too.
    this.authorizer = new WebSocketLambdaAuthorizer(`${id}Authorizer`, this.handler, {
      authorizerName: props.authorizerName ?? id,
      identitySource: [],
    });
  }

  /**
   * Binds the authorizer to the `$connect` route of a WebSocket API, and makes synthesis fail unless that route
   * requires an API key and the API selects keys from the authorizer.
   */
  public bind(options: apigwv2.WebSocketRouteAuthorizerBindOptions): apigwv2.WebSocketRouteAuthorizerConfig {
    const route = options.route;
    route.node.addValidation({ validate: () => this.keyCheckErrors(route) });
    return this.authorizer.bind(options);
  }

  private keyCheckErrors(route: apigwv2.IWebSocketRoute): string[] {
    const errors: string[] = [];
    const stack = Stack.of(route);
    const cfnRoute = route.node.defaultChild as apigwv2.CfnRoute | undefined;
    if (cfnRoute && stack.resolve(cfnRoute.apiKeyRequired) !== true) {
      errors.push(`Route ${route.node.path} uses WebSocketApiKeyAuthorizer ${this.node.path} but does not require an API key, so API Gateway would accept any key: set apiKeyRequired: true on the $connect route (a WebSocketRoute prop, or mixins.RouteApiKeyRequired).`);
    }
    const cfnApi = route.webSocketApi.node.defaultChild;
    if (cfnApi instanceof apigwv2.CfnApi && stack.resolve(cfnApi.apiKeySelectionExpression) !== AUTHORIZER_KEY) {
      errors.push(`WebSocket API ${route.webSocketApi.node.path} selects API keys with ${JSON.stringify(stack.resolve(cfnApi.apiKeySelectionExpression) ?? null)}, so API Gateway would not check the key WebSocketApiKeyAuthorizer ${this.node.path} returns: set apiKeySelectionExpression to WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY ("${AUTHORIZER_KEY}").`);
    }
    return errors;
  }
}
