import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { parseHttpRouteKey, ParsedHttpRouteKey } from './http-route-key';

/** Props for `ServiceHttpApi`: every `HttpApiProps`, with aws-cdk-lib's meaning, plus the default stage's name. */
export interface ServiceHttpApiProps extends apigwv2.HttpApiProps {
  /**
   * The name of the default stage, the auto-deployed one `createDefaultStage` makes. `$default` serves at the root
   * of the API's URL, exactly as `HttpApi` does. Another name serves under `/<stageName>/` and the stage is still
   * the API's default stage: `defaultStage` and `stage` are it, `url` is its URL, `defaultDomainMapping` maps to it.
   * Not allowed with `createDefaultStage: false`, which makes no default stage.
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
  /**
   * Scopes of which the caller's JWT must hold at least one, e.g. `books/admin`: for a JWT `authorizer`
   * (`HttpJwtAuthorizer`, `HttpUserPoolAuthorizer`), or the API's default JWT authorizer.
   * @default - the API's `defaultAuthorizationScopes`, if any
   */
  readonly authorizationScopes?: string[];
}

/**
 * An aws-cdk-lib `HttpApi` with routes declared by route key and Lambda function. Every `HttpApiProps` means what it
 * means to `HttpApi` (`createDefaultStage: false`, then `addStage` or `new HttpStage`, included), and without a
 * `stageName` the template is `HttpApi`'s. A named default stage (`stageName`) is `HttpApi` with
 * `createDefaultStage: false` plus `addStage('Stage', { stageName, autoDeploy: true, domainMapping:
 * defaultDomainMapping })`, set as `defaultStage`. No defaults of its own: apply `ApiServiceDefaults` for those.
 */
export class ServiceHttpApi extends apigwv2.HttpApi {
  private readonly integrations = new Map<lambda.IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: ServiceHttpApiProps = {}) {
    const stageName = props.stageName ?? '$default';
    const named = stageName !== '$default';
    if (named && props.createDefaultStage === false) {
      throw new Error(`ServiceHttpApi ${scope.node.path}/${id} has stageName "${stageName}" and createDefaultStage: false: stageName names the `
        + 'default stage, which createDefaultStage: false leaves out. Drop stageName and add your stages, or drop createDefaultStage.');
    }
    super(scope, id, named ? { ...props, createDefaultStage: false, defaultDomainMapping: undefined } : props);
    if (named) {
      const stage = this.addStage('Stage', { stageName, autoDeploy: true, domainMapping: props.defaultDomainMapping });
      // As HttpApi does for its $default stage.
      if (props.defaultDomainMapping) stage.node.addDependency(props.defaultDomainMapping.domainName);
      (this as { defaultStage: apigwv2.IHttpStage | undefined }).defaultStage = stage;
    }
  }

  /** The default stage (`defaultStage`). Throws when there is none (`createDefaultStage: false`): use the stages you added. */
  public get stage(): apigwv2.IHttpStage {
    if (this.defaultStage === undefined) {
      throw new Error(`ServiceHttpApi ${this.node.path} has no default stage (createDefaultStage: false): use the stage addStage() returned, or the HttpStage you created.`);
    }
    return this.defaultStage;
  }

  /**
   * Routes `routeKey` (e.g. `GET /books/{id}`, `ANY /{proxy+}`, `$default`) to `handler`. Routes to the same
   * function share one integration and one API-wide invoke permission, so hundreds of routes fit in a stack.
   */
  public addLambdaRoute(routeKey: string, handler: lambda.IFunction, options: LambdaRouteOptions = {}): apigwv2.HttpRoute {
    const parsed = parseHttpRouteKey(routeKey);
    if (this.hasRoute(parsed)) {
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
      authorizationScopes: options.authorizationScopes,
    });
  }

  /**
   * Whether a route with this key is on the API already, made here or by `HttpApi` (`addRoutes`,
   * `defaultIntegration`): looked up by the construct ids each of them gives a route, in constant time, so that
   * adding n routes stays linear in n (scanning the children on every route was quadratic).
   */
  private hasRoute(parsed: ParsedHttpRouteKey): boolean {
    const ids = parsed.method === undefined ? [parsed.key, 'DefaultRoute'] : [parsed.key, `${parsed.method}${parsed.path}`];
    return ids.some((id) => this.node.tryFindChild(id) instanceof apigwv2.HttpRoute);
  }

  private integrationFor(handler: lambda.IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new ApiScopedLambdaIntegration(`${handler.node.id}Integration`, handler, { scopePermissionToRoute: false });
      this.integrations.set(handler, integration);
    }
    return integration;
  }
}

/**
 * `HttpLambdaIntegration` with one API-wide invoke permission, looked for and added when the first route binds.
 * aws-cdk-lib looks for it again on every route (a search of the whole stack), which made adding routes quadratic.
 */
class ApiScopedLambdaIntegration extends HttpLambdaIntegration {
  private permitted = false;

  protected completeBind(options: apigwv2.HttpRouteIntegrationBindOptions): void {
    if (!this.permitted) {
      super.completeBind(options);
      this.permitted = true;
    }
  }
}
