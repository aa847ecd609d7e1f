import { ApiModel, RouteModel } from './api-model';
import { corsResponseHeaders, isPreflight, preflightHeaders } from './cors';
import { REQUEST_TOO_LARGE } from './function-instance';
import { FunctionPool } from './function-pool';
import { HttpRequestInfo, HttpResponse, httpEvent, httpResponse, message, newRequestId, queryParameters } from './http-event';
import { selectHttpRoute } from './http-router';
import { httpIamContext, MISSING_AUTHENTICATION_TOKEN, sigV4AccessKey } from './iam-authorization';
import { JwtAuthorizer } from './jwt-authorizer';
import { LambdaAuthorizer } from './lambda-authorizer';

/** The authorizers API Gateway runs for HTTP routes. */
export interface HttpAuthorizers {
  readonly lambda: LambdaAuthorizer;
  /** Undefined when the app has no JWT authorizer. */
  readonly jwt?: JwtAuthorizer;
}

/** What a route's authorization decided: a refusal, or what the integration gets as `requestContext.authorizer`. */
type Authorization = { readonly refusal: HttpResponse } | { readonly refusal?: undefined; readonly authorizer?: unknown };

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
    private readonly authorizers: HttpAuthorizers,
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
    const authorization = await this.authorize(route, req, () => httpEvent({ ...req, body: Buffer.alloc(0) }, eventContext), staged.stage);
    if (authorization.refusal) {
      return authorization.refusal;
    }
    const event = httpEvent(req, { ...eventContext, authorizer: authorization.authorizer });
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

  /**
   * Runs the route's authorization as API Gateway does: its JWT authorizer, IAM (the request must be SigV4-signed;
   * the signature is not verified) or its Lambda authorizer (`event` builds the request event the authorizer gets).
   */
  private async authorize(route: RouteModel, req: HttpRequestInfo, event: () => Record<string, unknown>, stage: string): Promise<Authorization> {
    // Built only for the routes that read it: most routes are open, and every request counts.
    const identity = () => ({ headers: req.headers, query: queryParameters(req.rawQueryString) ?? {} });
    switch (route.authorizationType) {
      case 'JWT': {
        if (!route.authorizer || !this.authorizers.jwt) {
          return { refusal: message(500, 'Internal Server Error') };
        }
        const outcome = await this.authorizers.jwt.authorize(route.authorizer, route.authorizationScopes, identity());
        switch (outcome.decision) {
          case 'unauthorized': return { refusal: withHeader(message(401, 'Unauthorized'), 'www-authenticate', outcome.challenge) };
          case 'forbidden': return { refusal: message(403, 'Forbidden') };
          default: return { authorizer: { jwt: outcome.jwt } };
        }
      }
      case 'AWS_IAM': {
        const accessKey = sigV4AccessKey(identity());
        return accessKey ? { authorizer: httpIamContext(accessKey, this.api.account) } : { refusal: message(403, MISSING_AUTHENTICATION_TOKEN) };
      }
      case 'CUSTOM': {
        if (!route.authorizer) {
          return {};
        }
        const [method, routePath] = route.routeKey === '$default' ? ['$default', ''] : route.routeKey.split(' ');
        const arn = `arn:aws:execute-api:${this.api.region}:123456789012:${this.api.apiId}/${stage}/${method}${routePath}`;
        const outcome = await this.authorizers.lambda.authorize(route.authorizer, {
          ...identity(),
          arn,
          event: route.authorizer.payloadFormatVersion === '2.0'
            ? { ...event(), type: 'REQUEST', routeArn: arn }
            : { ...event(), version: '1.0', type: 'REQUEST', methodArn: arn, path: req.rawPath, httpMethod: req.method },
        });
        switch (outcome.decision) {
          case 'unauthorized': return { refusal: message(401, 'Unauthorized') };
          case 'forbidden': return { refusal: message(403, 'Forbidden') };
          case 'error': return { refusal: message(500, 'Internal Server Error') };
          default: return { authorizer: { lambda: outcome.context, ...(outcome.principalId ? { principalId: outcome.principalId } : {}) } };
        }
      }
      default:
        return {};
    }
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

function withHeader(response: HttpResponse, name: string, value: string): HttpResponse {
  return { ...response, headers: { ...response.headers, [name]: value } };
}
