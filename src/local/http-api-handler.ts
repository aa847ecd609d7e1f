import { ApiModel } from './api-model';
import { corsResponseHeaders, isPreflight, preflightHeaders } from './cors';
import { FunctionPool } from './function-pool';
import { HttpRequestInfo, HttpResponse, httpEvent, httpResponse, joinedHeaders, message, newRequestId, queryParameters } from './http-event';
import { selectHttpRoute } from './http-router';
import { LambdaAuthorizer } from './lambda-authorizer';

/** Serves one HTTP API (`ProtocolType: HTTP`) the way API Gateway does. */
export class HttpApiHandler {
  constructor(
    private readonly api: ApiModel,
    private readonly pool: FunctionPool,
    private readonly authorizer: LambdaAuthorizer,
    private readonly integrationTimeoutMs: number,
  ) {}

  public async handle(req: HttpRequestInfo): Promise<HttpResponse> {
    const requestId = newRequestId();
    const headers = joinedHeaders(req.headers);
    const response = await this.respond(req, headers, requestId);
    const withCors = this.api.cors && !isPreflight(req.method, headers)
      ? corsResponseHeaders(this.api.cors, headers.origin, response.headers)
      : response.headers;
    return { ...response, headers: { ...withCors, 'apigw-requestid': requestId } };
  }

  private async respond(req: HttpRequestInfo, headers: Record<string, string>, requestId: string): Promise<HttpResponse> {
    const staged = this.stageOf(req.rawPath);
    if (!staged) {
      return message(404, 'Not Found');
    }
    if (this.api.cors && isPreflight(req.method, headers)) {
      return { statusCode: 204, headers: preflightHeaders(this.api.cors, headers), cookies: [], body: Buffer.alloc(0) };
    }
    const match = selectHttpRoute(this.api.routes, req.method, staged.path);
    if (!match) {
      return message(404, 'Not Found');
    }
    const { route } = match;
    const now = new Date();
    const eventContext = {
      routeKey: route.routeKey, stage: staged.stage, apiId: this.api.apiId, requestId, now, path: req.rawPath, pathParameters: match.pathParameters,
    };
    let authorizerContext: unknown;
    if (route.authorizationType === 'CUSTOM' && route.authorizer) {
      const { stage } = staged;
      const [method, routePath] = route.routeKey === '$default' ? ['$default', ''] : route.routeKey.split(' ');
      const arn = `arn:aws:execute-api:${this.api.region}:123456789012:${this.api.apiId}/${stage}/${method}${routePath}`;
      const event = httpEvent({ ...req, body: Buffer.alloc(0) }, eventContext);
      const outcome = await this.authorizer.authorize(route.authorizer, {
        headers,
        query: queryParameters(req.rawQueryString) ?? {},
        arn,
        event: route.authorizer.payloadFormatVersion === '2.0'
          ? { ...event, type: 'REQUEST', routeArn: arn }
          : { ...event, version: '1.0', type: 'REQUEST', methodArn: arn, path: req.rawPath, httpMethod: req.method },
      });
      switch (outcome.decision) {
        case 'unauthorized': return message(401, 'Unauthorized');
        case 'forbidden': return message(403, 'Forbidden');
        case 'error': return message(500, 'Internal Server Error');
      }
      authorizerContext = { lambda: outcome.context, ...(outcome.principalId ? { principalId: outcome.principalId } : {}) };
    }
    const event = httpEvent(req, { ...eventContext, authorizer: authorizerContext });
    const result = await this.pool.invoke(route.functionKey, event, this.integrationTimeoutMs);
    if (result.integrationTimeout) {
      return message(503, 'Service Unavailable');
    }
    const mapped = result.error ? undefined : httpResponse(result.value);
    return mapped ?? message(500, 'Internal Server Error');
  }

  /** The stage a path is for, and the path without the stage prefix. */
  private stageOf(rawPath: string): { stage: string; path: string } | undefined {
    const named = this.api.stages.find(s => s !== '$default' && (rawPath === `/${s}` || rawPath.startsWith(`/${s}/`)));
    if (named) {
      return { stage: named, path: rawPath.slice(named.length + 1) || '/' };
    }
    if (this.api.stages.includes('$default') || this.api.stages.length === 0) {
      return { stage: '$default', path: rawPath };
    }
    return undefined;
  }
}
