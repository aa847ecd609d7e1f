import * as fs from 'fs';
import * as path from 'path';
import { ParsedRoute } from './routes';
import { HttpRouteSpec, ServiceSpec } from './service-spec';
import { OptionText, tsString } from './template-renderer';

/** The npm name of this package, which the generated stacks import. */
export const PACKAGE_NAME = 'projen-api-service';
/** The bin of this package that serves a synthesized cloud assembly locally. */
export const DEV_SERVER_BIN = 'projen-api-service-dev';
/** The local API keys of the dev server (`{"apiKeys": [...]}`), read from the working directory; never committed. */
export const LOCAL_API_KEYS_FILE = '.api-service.local.json';

/** The handler of a route: its folder (`http`, `websocket`), its template kind and its file name without `.lambda.ts`. */
export interface RouteHandler {
  readonly route: ParsedRoute | HttpRouteSpec;
  readonly dir: string;
  readonly kind: string;
  readonly handlerName: string;
}

/**
 * The handler of each route.
 * @param renamed the handler kept by an HTTP route whose path parameters were renamed, by route key
 */
export function handlersOf(spec: ServiceSpec, renamed: Map<string, string> = new Map()): RouteHandler[] {
  return [
    ...spec.httpRoutes.map((route) => ({ route, dir: 'http', kind: 'route', handlerName: renamed.get(route.key) ?? route.handlerName })),
    ...spec.websocketRoutes.map((route) => ({ route, dir: 'websocket', kind: 'route', handlerName: route.handlerName })),
    ...spec.lifecycleRoutes.map((route) => ({ route, dir: 'websocket', kind: 'lifecycle', handlerName: route.handlerName })),
  ];
}

/**
 * A route as the templates see it: its key, method and path are `OptionText` (printed only through an escaping
 * helper); the names derived from it (`[a-z0-9-]` file names, identifiers) are plain strings.
 */
export function routeContext({ route, handlerName }: RouteHandler): Record<string, unknown> {
  const http = route as Partial<HttpRouteSpec>;
  const parameterNames = (http.parameters ?? []).map((p) => p.replace(/\+$/, ''));
  return {
    key: new OptionText(route.key),
    handlerName,
    functionClass: route.functionClass,
    method: new OptionText(http.method ?? ''),
    path: new OptionText(http.path ?? ''),
    hasBody: http.hasBody ?? false,
    isPublic: http.isPublic ?? false,
    // Where a test imports the handler next to `connections.generated`: eslint's import/order sorts them by path.
    handlerImportFirst: `${handlerName}.lambda`.toLowerCase() < 'connections.generated',
    contractImportFirst: `${handlerName}.contract`.toLowerCase() < 'connections.generated',
    pathParametersShape: objectFields(parameterNames, () => 'z.string().min(1)'),
    samplePathParameters: `{${objectFields(parameterNames, (_, i) => `'${i + 1}'`, ' ')}}`,
  };
}

/**
 * The fields of an object literal with these names, e.g. `id: z.string().min(1)`, padded with `pad` when there are
 * any. Names are quoted (all of them, as eslint's quote-props wants) when one is not an identifier.
 */
function objectFields(names: string[], value: (name: string, index: number) => string, pad = ''): string {
  const quoted = names.some((name) => !/^[A-Za-z_$][\w$]*$/.test(name));
  const fields = names.map((name, i) => `${quoted ? tsString(name) : name}: ${value(name, i)}`).join(', ');
  return fields ? `${pad}${fields}${pad}` : '';
}

/**
 * The values the templates see. Every field is present (the renderer is strict); every text that comes from the
 * options is an `OptionText`.
 */
export function templateContext(spec: ServiceSpec, handlers: RouteHandler[] = handlersOf(spec)): Record<string, unknown> {
  const routes = (list: ParsedRoute[]) => handlers.filter((h) => list.includes(h.route)).map(routeContext);
  const text = (values: string[]) => values.map((v) => new OptionText(v));
  const optionalText = (value: string | undefined) => (value === undefined ? undefined : new OptionText(value));
  const [connectRoute, disconnectRoute, defaultRoute] = routes(spec.lifecycleRoutes);
  const { authorization, customDomains } = spec;
  const hasCustomDomain = customDomains.domainName !== undefined || customDomains.webSocketDomainName !== undefined;
  return {
    serviceName: new OptionText(spec.serviceName),
    packageName: PACKAGE_NAME,
    packageImports: [
      'ApiServiceDefaults',
      'Authorization',
      ...(hasCustomDomain ? ['ServiceDomainName'] : []),
      ...(spec.hasHttpApi ? ['ServiceHttpApi'] : []),
      ...(authorization.userPool ? ['ServiceUserPool', 'ServiceUserPoolProps'] : []),
      ...(spec.hasWebSocketApi ? ['ServiceWebSocketApi'] : []),
    ].join(', '),
    localApiKeysFile: LOCAL_API_KEYS_FILE,
    stackClass: 'ServiceStack',
    stackId: spec.serviceName.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    hasHttpApi: spec.hasHttpApi,
    hasWebSocketApi: spec.hasWebSocketApi,
    httpRoutes: routes(spec.httpRoutes),
    websocketRoutes: routes(spec.websocketRoutes),
    lifecycleRoutes: routes(spec.lifecycleRoutes),
    connectRoute,
    disconnectRoute,
    defaultRoute,
    httpRouteKeys: text(spec.httpRoutes.map((r) => r.key)),
    publicRouteKeys: text(spec.httpRoutes.filter((r) => r.isPublic).map((r) => r.key)),
    websocketRouteKeys: text(spec.websocketRoutes.map((r) => r.key)),
    authorization: new OptionText(authorization.authorization),
    routeAuthorization: Object.entries(authorization.routeAuthorization)
      .map(([routeKey, value]) => ({ routeKey: new OptionText(routeKey), authorization: new OptionText(value) })),
    jwtIssuer: optionalText(authorization.jwtIssuer),
    jwtAudience: text(authorization.jwtAudience),
    userPool: authorization.userPool,
    jwtScopes: text(authorization.jwtScopes),
    hasCustomDomain,
    domainName: optionalText(customDomains.domainName),
    webSocketDomainName: optionalText(customDomains.webSocketDomainName),
    certificateArn: optionalText(customDomains.certificateArn),
    hostedZoneId: optionalText(customDomains.hostedZoneId),
    hostedZoneName: optionalText(customDomains.hostedZoneName),
    mtlsTruststoreUri: optionalText(customDomains.mtlsTruststoreUri),
    mtlsTruststoreVersion: optionalText(customDomains.mtlsTruststoreVersion),
    httpStage: new OptionText(spec.httpStage),
    websocketStage: new OptionText(spec.websocketStage),
    corsAllowOrigins: text(spec.corsAllowOrigins ?? []),
    corsAllowCredentials: spec.corsAllowCredentials,
    hasCors: spec.corsAllowOrigins !== undefined,
    alarmEmail: optionalText(spec.alarmEmail),
    serverErrorThreshold: spec.serverErrorThreshold,
    clientErrorThreshold: spec.clientErrorThreshold,
    latencyThresholdMs: spec.latencyThresholdMs,
    integrationLatencyThresholdMs: spec.integrationLatencyThresholdMs,
    hasServerErrorThreshold: spec.serverErrorThreshold !== undefined,
    hasClientErrorThreshold: spec.clientErrorThreshold !== undefined,
    hasLatencyThreshold: spec.latencyThresholdMs !== undefined,
    hasIntegrationLatencyThreshold: spec.integrationLatencyThresholdMs !== undefined,
    coreImports: [
      ...(hasCustomDomain ? ['CfnOutput'] : []),
      ...(spec.latencyThresholdMs !== undefined || spec.integrationLatencyThresholdMs !== undefined ? ['Duration'] : []),
    ].join(', '),
  };
}

/** The `*.lambda.ts` files under the source folder, as project-relative posix paths. */
export function findLambdaEntrypoints(outdir: string, srcdir: string): string[] {
  const root = path.join(outdir, srcdir);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.lambda.ts'))
    .map((f) => `${srcdir}/${f}`)
    .sort();
}

/** `version` when it is at least `min` (numeric x.y.z comparison), else `min`. */
export function atLeastVersion(version: string, min: string): string {
  const parts = (v: string) => v.replace(/^[^\d]*/, '').split('.').map((p) => parseInt(p, 10) || 0);
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0) ? version : min;
  }
  return version;
}

/**
 * When the project is being created by `projen new`, makes the generated `.projenrc.ts` state the values the
 * project actually uses (the demo routes, the raised cdkVersion) instead of leaving them implicit.
 */
export function recordCreationArgs(options: object, values: Record<string, unknown>): void {
  const args = creationArgs(options);
  if (args) Object.assign(args, values);
}

/** The `projen new` arguments of a project being created, else undefined. */
export function creationArgs(options: object): Record<string, unknown> | undefined {
  return (options as { __new__?: { args?: Record<string, unknown> } }).__new__?.args;
}
