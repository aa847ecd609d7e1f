import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { parseHttpRouteKey } from './http-route-key';

/** Props for `ServiceHttpApi`: every `HttpApiProps`, plus the stage. */
export interface ServiceHttpApiProps extends apigwv2.HttpApiProps {
  /**
   * The name of the auto-deployed stage. `$default` serves at the root of the API's URL; any other name
   * replaces the default stage with a named one, served under `/<stageName>`.
   * @default '$default'
   */
  readonly stageName?: string;
}

/** Options for `ServiceHttpApi.addLambdaRoute`. */
export interface LambdaRouteOptions {
  /**
   * The authorizer of this route.
   * @default - the API's default authorizer, if any
   */
  readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
}

/**
 * An aws-cdk-lib `HttpApi` with routes declared by route key and Lambda function. It sets no defaults of its
 * own: apply `ApiServiceDefaults` for those.
 */
export class ServiceHttpApi extends apigwv2.HttpApi {
  /** The stage the API deploys to. */
  public readonly stage: apigwv2.IHttpStage;
  private readonly integrations = new Map<lambda.IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: ServiceHttpApiProps = {}) {
    const stageName = props.stageName ?? '$default';
    const named = stageName !== '$default';
    super(scope, id, { ...props, createDefaultStage: named ? false : props.createDefaultStage });
    if (named) {
      this.stage = this.addStage('Stage', { stageName, autoDeploy: true });
    } else if (this.defaultStage) {
      this.stage = this.defaultStage;
    } else {
      throw new Error(`ServiceHttpApi "${id}" has createDefaultStage: false and no stageName: give a stageName such as "prod", or let it create the $default stage.`);
    }
  }

  /**
   * Routes `routeKey` (e.g. `GET /books/{id}`, `ANY /{proxy+}`, `$default`) to `handler`. Routes to the same
   * function share one integration and one API-wide invoke permission, so hundreds of routes fit in a stack.
   */
  public addLambdaRoute(routeKey: string, handler: lambda.IFunction, options: LambdaRouteOptions = {}): apigwv2.HttpRoute {
    const parsed = parseHttpRouteKey(routeKey);
    if (this.hasRoute(parsed.key)) {
      throw new Error(`HTTP route "${routeKey}" is already on API "${this.node.id}": each route key may be added once (including routes made with addRoutes or defaultIntegration); give another method or path.`);
    }
    const key = parsed.method === undefined
      ? apigwv2.HttpRouteKey.DEFAULT
      : apigwv2.HttpRouteKey.with(parsed.path!, parsed.method as apigwv2.HttpMethod);
    return new apigwv2.HttpRoute(this, routeKey, {
      httpApi: this,
      routeKey: key,
      integration: this.integrationFor(handler),
      authorizer: options.authorizer,
    });
  }

  /** Whether a route with this key is on the API already, made here or by `HttpApi` (`addRoutes`, `defaultIntegration`). */
  private hasRoute(routeKey: string): boolean {
    return this.node.children.some((child) => child instanceof apigwv2.HttpRoute
      && (child.node.defaultChild as apigwv2.CfnRoute).routeKey === routeKey);
  }

  private integrationFor(handler: lambda.IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${handler.node.id}Integration`, handler, { scopePermissionToRoute: false });
      this.integrations.set(handler, integration);
    }
    return integration;
  }
}
