import * as fs from 'fs';
import * as path from 'path';
import { ParsedRoute } from './routes';
import { ServiceSpec } from './service-spec';

/** The npm name of this package, which the generated stacks import. */
export const PACKAGE_NAME = 'projen-api-service';
/** The bin of this package that serves a synthesized cloud assembly locally. */
export const DEV_SERVER_BIN = 'projen-api-service-dev';

/** The handler of each route: its folder (`http`, `websocket`) and its template kind. */
export function handlersOf(spec: ServiceSpec): { route: ParsedRoute; dir: string; kind: string }[] {
  return [
    ...spec.httpRoutes.map((route) => ({ route, dir: 'http', kind: 'route' })),
    ...spec.websocketRoutes.map((route) => ({ route, dir: 'websocket', kind: 'route' })),
    ...spec.lifecycleRoutes.map((route) => ({ route, dir: 'websocket', kind: 'lifecycle' })),
  ];
}

/** The values the templates see. Every field is present (the renderer is strict). */
export function templateContext(spec: ServiceSpec): Record<string, unknown> {
  const stackClass = 'ServiceStack';
  return {
    ...spec,
    packageName: PACKAGE_NAME,
    devServerBin: DEV_SERVER_BIN,
    stackClass,
    stackId: spec.serviceName.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    httpRouteKeys: spec.httpRoutes.map((r) => r.key),
    publicRouteKeys: spec.httpRoutes.filter((r) => r.isPublic).map((r) => r.key),
    websocketRouteKeys: spec.websocketRoutes.map((r) => r.key),
    connectRoute: spec.lifecycleRoutes[0],
    disconnectRoute: spec.lifecycleRoutes[1],
    defaultRoute: spec.lifecycleRoutes[2],
    hasCors: spec.corsAllowOrigins !== undefined,
    hasStageName: spec.stageName !== undefined,
    hasAlarmEmail: spec.alarmEmail !== undefined,
    hasServerErrorThreshold: spec.serverErrorThreshold !== undefined,
    hasClientErrorThreshold: spec.clientErrorThreshold !== undefined,
    hasLatencyThreshold: spec.latencyThresholdMs !== undefined,
    hasIntegrationLatencyThreshold: spec.integrationLatencyThresholdMs !== undefined,
    coreImports: [
      ...(spec.latencyThresholdMs !== undefined || spec.integrationLatencyThresholdMs !== undefined ? ['Duration'] : []),
      ...(spec.apiKeyRequired ? [] : ['Validations']),
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
  const args = (options as { __new__?: { args?: Record<string, unknown> } }).__new__?.args;
  if (args) Object.assign(args, values);
}
