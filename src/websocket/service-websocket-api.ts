import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { WebSocketApiKeyAuthorizer } from './websocket-api-key-authorizer';
import { validateWebSocketRouteKey } from './websocket-route-key';

/** Props for `ServiceWebSocketApi`: every `WebSocketApiProps`, with aws-cdk-lib's meaning, plus handlers by route and the stage. */
export interface ServiceWebSocketApiProps extends apigwv2.WebSocketApiProps {
  /**
   * The function behind `$connect`.
   * @default - no `$connect` route (or the one given in `connectRouteOptions`)
   */
  readonly connectHandler?: lambda.IFunction;
  /**
   * The authorizer of the `$connect` route made for `connectHandler`, e.g. a `WebSocketTokenAuthorizer`,
   * `WebSocketApiKeyAuthorizer` or `WebSocketIamAuthorizer`. With a `WebSocketApiKeyAuthorizer`, `$connect`
   * requires an API key and, unless `apiKeySelectionExpression` says otherwise, the API selects the key the
   * authorizer returns (`AUTHORIZER_USAGE_IDENTIFIER_KEY`), as that authorizer needs.
   * @default - none: `$connect` is open (`ApiServiceDefaults` protects it)
   */
  readonly connectAuthorizer?: apigwv2.IWebSocketRouteAuthorizer;
  /**
   * The function behind `$disconnect`.
   * @default - no `$disconnect` route (or the one given in `disconnectRouteOptions`)
   */
  readonly disconnectHandler?: lambda.IFunction;
  /**
   * The function behind `$default`, for messages no other route matches.
   * @default - no `$default` route (or the one given in `defaultRouteOptions`)
   */
  readonly defaultHandler?: lambda.IFunction;
  /**
   * Whether to create the API's own auto-deployed stage, named `stageName`. With false there is none (as with a
   * plain `WebSocketApi`): add your own `WebSocketStage`s.
   * @default true
   */
  readonly createDefaultStage?: boolean;
  /**
   * The name of the auto-deployed stage. Not allowed with `createDefaultStage: false`.
   * @default 'prod'
   */
  readonly stageName?: string;
}

/** Options for `ServiceWebSocketApi.addLambdaRoute`. */
export interface WebSocketLambdaRouteOptions {
  /**
   * Whether the function's result is sent back to the caller as the route response.
   * @default false
   */
  readonly returnResponse?: boolean;
}

/**
 * An aws-cdk-lib `WebSocketApi` with routes declared by route key and Lambda function. Every `WebSocketApiProps`
 * means what it means to `WebSocketApi`; what it adds is one stage (a WebSocket API has no default stage): an
 * auto-deployed `WebSocketStage` named `prod` unless `stageName` says otherwise, as child `Stage`, left out with
 * `createDefaultStage: false`. Nothing else: apply `ApiServiceDefaults` for the production defaults.
 */
export class ServiceWebSocketApi extends apigwv2.WebSocketApi {
  private readonly integrations = new Map<lambda.IFunction, WebSocketLambdaIntegration>();
  private readonly autoDeployedStage?: apigwv2.WebSocketStage;

  constructor(scope: Construct, id: string, props: ServiceWebSocketApiProps = {}) {
    if (props.createDefaultStage === false && props.stageName !== undefined) {
      throw new Error(`ServiceWebSocketApi ${scope.node.path}/${id} has stageName "${props.stageName}" and createDefaultStage: false: stageName names `
        + 'the stage createDefaultStage: false leaves out. Drop stageName and add your WebSocketStages, or drop createDefaultStage.');
    }
    if (props.connectAuthorizer && !props.connectHandler) {
      throw new Error(`ServiceWebSocketApi ${scope.node.path}/${id} has a connectAuthorizer but no connectHandler: the authorizer goes on the $connect route `
        + 'made for connectHandler. Give a connectHandler, or put the authorizer in connectRouteOptions.');
    }
    const apiKeys = props.connectAuthorizer instanceof WebSocketApiKeyAuthorizer;
    const authorizerKey = apigwv2.WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY;
    super(scope, id, apiKeys ? { ...props, apiKeySelectionExpression: props.apiKeySelectionExpression ?? authorizerKey } : props);
    const lifecycle: Array<[string, lambda.IFunction | undefined]> = [
      ['$connect', props.connectHandler],
      ['$disconnect', props.disconnectHandler],
      ['$default', props.defaultHandler],
    ];
    for (const [routeKey, handler] of lifecycle) {
      if (!handler) continue;
      const connect = routeKey === '$connect' ? { authorizer: props.connectAuthorizer, apiKeyRequired: apiKeys || undefined } : {};
      this.addRouteTo(routeKey, handler, connect);
    }
    if (props.createDefaultStage ?? true) {
      this.autoDeployedStage = new apigwv2.WebSocketStage(this, 'Stage', {
        webSocketApi: this,
        stageName: props.stageName ?? 'prod',
        autoDeploy: true,
      });
    }
  }

  /** The auto-deployed stage. Throws when there is none (`createDefaultStage: false`): use the stages you created. */
  public get stage(): apigwv2.WebSocketStage {
    if (this.autoDeployedStage === undefined) {
      throw new Error(`ServiceWebSocketApi ${this.node.path} has no stage of its own (createDefaultStage: false): use the WebSocketStage you created.`);
    }
    return this.autoDeployedStage;
  }

  /**
   * Routes `routeKey` (e.g. `sendmessage`, `$default`, `$connect`) to `handler`. Routes to the same function
   * share one integration.
   */
  public addLambdaRoute(routeKey: string, handler: lambda.IFunction, options: WebSocketLambdaRouteOptions = {}): apigwv2.WebSocketRoute {
    return this.addRouteTo(routeKey, handler, { returnResponse: options.returnResponse });
  }

  private addRouteTo(routeKey: string, handler: lambda.IFunction, options: Omit<apigwv2.WebSocketRouteOptions, 'integration'>): apigwv2.WebSocketRoute {
    validateWebSocketRouteKey(routeKey, true);
    if (this.node.tryFindChild(`${routeKey}-Route`)) {
      throw new Error(`WebSocket route "${routeKey}" is already on API "${this.node.id}": each route key may be added once. Drop the second one, or, for a lifecycle route, give either its handler or its connectRouteOptions/disconnectRouteOptions/defaultRouteOptions, not both.`);
    }
    return this.addRoute(routeKey, { ...options, integration: this.integrationFor(handler) });
  }

  private integrationFor(handler: lambda.IFunction): WebSocketLambdaIntegration {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new WebSocketLambdaIntegration(`${handler.node.id}Integration`, handler);
      this.integrations.set(handler, integration);
    }
    return integration;
  }
}
