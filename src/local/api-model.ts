import * as fs from 'fs';
import * as path from 'path';
import { StackTemplate, TemplateResource } from './cloud-assembly';
import { IntrinsicResolver } from './intrinsics';

/** Where, in the cloud assembly, the emulator writes the code of inline (`ZipFile`) functions to run it. */
export const INLINE_CODE_DIR = '.emulator-inline-code';

/** A Lambda function as the emulator runs it. */
export interface FunctionModel {
  /** `Stack/LogicalId`, unique in the assembly. */
  readonly key: string;
  /** The deployed function name (used to prefix console output and as AWS_LAMBDA_FUNCTION_NAME). */
  readonly name: string;
  readonly handler: string;
  /** Directory holding the bundled code; undefined when the code is not available locally. */
  readonly codeDir?: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  /** `ReservedConcurrentExecutions`: the most concurrent executions; undefined when not reserved. */
  readonly reservedConcurrency?: number;
  readonly memoryMb: number;
  readonly region: string;
  readonly environment: Record<string, string>;
}

/** The issuer and audiences of a JWT authorizer (`JwtConfiguration`). */
export interface JwtConfigurationModel {
  readonly issuer: string;
  readonly audience: string[];
}

/** An authorizer: a Lambda REQUEST authorizer, or a JWT authorizer. */
export interface AuthorizerModel {
  readonly name: string;
  readonly functionKey?: string;
  /** Only for `JWT` authorizers. */
  readonly jwtConfiguration?: JwtConfigurationModel;
  /** Identity source expressions, e.g. `$request.header.x-api-key` or `route.request.header.Auth`. */
  readonly identitySource: string[];
  readonly ttlSeconds: number;
  readonly simpleResponses: boolean;
  readonly payloadFormatVersion: string;
  /** `REQUEST` (Lambda) or `JWT`. */
  readonly type: string;
}

/** One route of an API. */
export interface RouteModel {
  readonly routeKey: string;
  readonly functionKey?: string;
  readonly authorizationType: string;
  readonly authorizer?: AuthorizerModel;
  /** Scopes of which a JWT must hold one (`AuthorizationScopes`). */
  readonly authorizationScopes: string[];
  readonly apiKeyRequired: boolean;
  /** WebSocket: whether the integration result is sent back to the caller. */
  readonly returnsResponse: boolean;
}

/** CORS configuration of an HTTP API. */
export interface CorsModel {
  readonly allowOrigins: string[];
  readonly allowMethods: string[];
  readonly allowHeaders: string[];
  readonly exposeHeaders: string[];
  readonly maxAge?: number;
  readonly allowCredentials: boolean;
}

/** An `AWS::ApiGatewayV2::Api` with its routes and stages. */
export interface ApiModel {
  readonly logicalId: string;
  readonly apiId: string;
  readonly name: string;
  readonly protocol: 'HTTP' | 'WEBSOCKET';
  readonly region: string;
  readonly account: string;
  readonly routes: RouteModel[];
  /** Stage names; `$default` serves without a path prefix. */
  readonly stages: string[];
  readonly cors?: CorsModel;
  readonly routeSelectionExpression?: string;
  readonly apiKeySelectionExpression?: string;
}

/** Everything the emulator serves, read from a cloud assembly. */
export interface AssemblyModel {
  readonly apis: ApiModel[];
  readonly functions: Map<string, FunctionModel>;
  /** What works differently locally, each said once: authorization not enforced, values with no local equivalent. */
  readonly warnings: string[];
}

/** Builds the model of every API Gateway v2 API and Lambda function in the given stacks. */
export function buildAssemblyModel(stacks: StackTemplate[]): AssemblyModel {
  const apis: ApiModel[] = [];
  const functions = new Map<string, FunctionModel>();
  const warnings: string[] = [];
  /** Unresolved values that functions see, and where: `TABLE of fn-name`. */
  const placeholders = new Map<string, string[]>();
  for (const stack of stacks) {
    const resolver = new IntrinsicResolver(stack);
    const byName = new Map<string, string>();
    for (const [logicalId, resource] of ofType(stack, 'AWS::Lambda::Function')) {
      const fn = functionModel(stack, logicalId, resource, resolver, (what, where) => {
        const key = `${stack.stackName}: ${what}`;
        placeholders.set(key, [...placeholders.get(key) ?? [], where]);
      });
      functions.set(fn.key, fn);
      byName.set(fn.name, fn.key);
    }
    const functionOf = (uri: unknown): string | undefined => {
      const name = /:function:([^:/]+)/.exec(String(resolver.resolve(uri)))?.[1];
      return name ? byName.get(name) : undefined;
    };
    for (const [logicalId, resource] of ofType(stack, 'AWS::ApiGatewayV2::Api')) {
      const api = apiModel(stack, logicalId, resource, resolver, functionOf);
      apis.push(api);
      warnings.push(...api.routes.filter(r => !isEmulated(r))
        .map(r => `${api.name} route '${r.routeKey}': ${r.authorizationType} authorization is not enforced locally`));
    }
  }
  // Only what functions see changes behaviour; values the emulator reads for itself (log groups ...) are not reported.
  warnings.push(...[...placeholders].map(([what, where]) => `${what} in ${where.join(', ')}`));
  return { apis, functions, warnings };
}

/** Whether the emulator enforces a route's authorization: none, IAM, JWT, or a Lambda authorizer it can run. */
function isEmulated(route: RouteModel): boolean {
  switch (route.authorizationType) {
    case 'NONE':
    case 'AWS_IAM': return true;
    case 'JWT': return route.authorizer?.jwtConfiguration !== undefined;
    case 'CUSTOM': return route.authorizer?.functionKey !== undefined;
    default: return false;
  }
}

function apiModel(stack: StackTemplate, logicalId: string, resource: TemplateResource, resolver: IntrinsicResolver,
  functionOf: (uri: unknown) => string | undefined): ApiModel {
  const props = resolver.resolve(resource.Properties ?? {});
  const apiId = resolver.ref(logicalId);
  const children = (type: string) => ofType(stack, type)
    .map(([id, r]) => [id, resolver.resolve(r.Properties ?? {})] as [string, Record<string, any>])
    .filter(([, p]) => p.ApiId === apiId);
  const integrations = new Map(children('AWS::ApiGatewayV2::Integration').map(([id, p]) => [id, functionOf(p.IntegrationUri)]));
  const authorizers = new Map(children('AWS::ApiGatewayV2::Authorizer').map(([id, p]) => [id, {
    name: p.Name ?? id,
    type: p.AuthorizerType,
    functionKey: p.AuthorizerUri ? functionOf(p.AuthorizerUri) : undefined,
    identitySource: [p.IdentitySource ?? []].flat().flatMap((s: string) => s.split(',').map(x => x.trim())).filter(Boolean),
    ttlSeconds: Number(p.AuthorizerResultTtlInSeconds ?? 0),
    simpleResponses: p.EnableSimpleResponses === true || p.EnableSimpleResponses === 'true',
    payloadFormatVersion: p.AuthorizerPayloadFormatVersion ?? '1.0',
    jwtConfiguration: p.JwtConfiguration && {
      issuer: String(p.JwtConfiguration.Issuer ?? ''),
      audience: [p.JwtConfiguration.Audience ?? []].flat().map(String),
    },
  } as AuthorizerModel]));
  const withResponse = new Set(children('AWS::ApiGatewayV2::RouteResponse').map(([, p]) => p.RouteId));
  const routes = children('AWS::ApiGatewayV2::Route').map(([id, p]): RouteModel => ({
    routeKey: p.RouteKey,
    functionKey: p.Target ? integrations.get(String(p.Target).replace(/^integrations\//, '')) : undefined,
    authorizationType: p.AuthorizationType ?? 'NONE',
    authorizer: p.AuthorizerId ? authorizers.get(p.AuthorizerId) : undefined,
    authorizationScopes: [p.AuthorizationScopes ?? []].flat().map(String),
    apiKeyRequired: p.ApiKeyRequired === true || p.ApiKeyRequired === 'true',
    returnsResponse: withResponse.has(id) || p.RouteResponseSelectionExpression !== undefined,
  }));
  const cors = props.CorsConfiguration;
  return {
    logicalId,
    apiId,
    name: props.Name ?? logicalId,
    protocol: props.ProtocolType,
    region: stack.region,
    account: stack.account,
    routes,
    stages: children('AWS::ApiGatewayV2::Stage').map(([, p]) => p.StageName),
    routeSelectionExpression: props.RouteSelectionExpression,
    apiKeySelectionExpression: props.ApiKeySelectionExpression,
    cors: cors && {
      allowOrigins: cors.AllowOrigins ?? [],
      allowMethods: cors.AllowMethods ?? [],
      allowHeaders: cors.AllowHeaders ?? [],
      exposeHeaders: cors.ExposeHeaders ?? [],
      maxAge: cors.MaxAge !== undefined ? Number(cors.MaxAge) : undefined,
      allowCredentials: cors.AllowCredentials === true || cors.AllowCredentials === 'true',
    },
  };
}

function functionModel(stack: StackTemplate, logicalId: string, resource: TemplateResource, resolver: IntrinsicResolver,
  notePlaceholder: (what: string, where: string) => void): FunctionModel {
  const props = resource.Properties ?? {};
  const name = resolver.functionName(logicalId);
  const environment: Record<string, string> = {};
  for (const [variable, raw] of Object.entries<unknown>(props.Environment?.Variables ?? {})) {
    const { value, unresolved } = resolver.resolveNoting(raw);
    environment[variable] = String(value);
    unresolved.forEach(what => notePlaceholder(what, `${variable} of ${name}`));
  }
  return {
    key: `${stack.stackName}/${logicalId}`,
    name,
    handler: String(resolver.resolve(props.Handler ?? 'index.handler')),
    codeDir: codeDir(stack, logicalId, resource),
    runtime: String(resolver.resolve(props.Runtime ?? '')),
    timeoutSeconds: Number(props.Timeout ?? 3),
    reservedConcurrency: props.ReservedConcurrentExecutions !== undefined ? Number(resolver.resolve(props.ReservedConcurrentExecutions)) : undefined,
    memoryMb: Number(props.MemorySize ?? 128),
    region: stack.region,
    environment,
  };
}

function codeDir(stack: StackTemplate, logicalId: string, resource: TemplateResource): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (assetPath && resource.Metadata?.['aws:asset:property'] === 'Code') {
    return path.resolve(stack.assemblyDir, assetPath);
  }
  const s3Key = resource.Properties?.Code?.S3Key;
  if (typeof s3Key === 'string' && stack.assets[s3Key]) {
    return stack.assets[s3Key];
  }
  const inline = resource.Properties?.Code?.ZipFile;
  if (typeof inline === 'string') {
    // Written under the cloud assembly, the same folder on every start (a new temp folder each start piled up).
    const dir = path.join(stack.assemblyDir, INLINE_CODE_DIR, `${stack.stackName}-${logicalId}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), inline);
    return dir;
  }
  return undefined;
}

function ofType(stack: StackTemplate, type: string): Array<[string, TemplateResource]> {
  return Object.entries(stack.resources).filter(([, r]) => r.Type === type);
}
