import { ApiModel } from './api-model';
import { corsResponseHeaders, isPreflight, preflightHeaders } from './cors';
import { REQUEST_TOO_LARGE } from './function-instance';
import { FunctionPool } from './function-pool';
import { HttpRequestInfo, HttpResponse, httpEvent, httpResponse, message, newRequestId, queryParameters } from './http-event';
import { selectHttpRoute } from './http-router';
import { LambdaAuthorizer } from './lambda-authorizer';

/** Limits of HTTP APIs (API Gateway's by default; smaller ones make tests fast). */
export interface HttpApiLimits {
  /** Larger request bodies get 413. */
  readonly maxPayloadBytes: number;
  /** Larger request lines plus header values get 431. */
  readonly maxHeaderBytes: number;
  /** Slower integrations get 503. */
  readonly integrationTimeoutMs: number;
}

/**
 * API Gateway's HTTP API limits: 10 MB payloads, 10240 bytes of request line and header values, 30 s integrations
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
export const HTTP_API_LIMITS: HttpApiLimits = {
  maxPayloadBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 10_240,
  integrationTimeoutMs: 30_000,
};

/** Serves one HTTP API (`ProtocolType: HTTP`) the way API Gateway does. */
export class HttpApiHandler {
  constructor(
    private readonly api: ApiModel,
    private readonly pool: FunctionPool,
    private readonly authorizer: LambdaAuthorizer,
    /** The limits the server applies before `handle`, and the integration timeout. */
    public readonly limits: HttpApiLimits,
  ) {}

  public async handle(req: HttpRequestInfo): Promise<HttpResponse> {
    const requestId = newRequestId();
    const { headers } = req;
    const response = await this.respond(req, headers, requestId);
    const withCors = this.api.cors && !isPreflight(req.method, headers)
      ? corsResponseHeaders(this.api.cors, headers.origin, response.headers)
      : { ...response.headers };
    withCors['apigw-requestid'] = requestId;
    return { ...response, headers: withCors };
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
    const result = await this.pool.invoke(route.functionKey, event, this.limits.integrationTimeoutMs);
    if (result.integrationTimeout) {
      return message(503, 'Service Unavailable');
    }
    if (result.error?.errorType === REQUEST_TOO_LARGE) {
      // The event (body base64-encoded when binary) is over Lambda's 6 MB, though the body is under the HTTP API's
      // 10 MB: API Gateway answers 413, as AWS's own emulator does (aws/aws-lambda-dotnet, Amazon.Lambda.TestTool).
      return message(413, 'Request Entity Too Large');
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
