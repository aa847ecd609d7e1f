import type { awscdk } from 'projen';
import type { ApiServiceProjectOptions } from './api-service-project-options';
import { AuthorizationSpec, resolveAuthorization } from './authorization-spec';
import { CustomDomainOptions, resolveCustomDomains } from './custom-domain-spec';
import { HttpRoute, lifecycleWebSocketRoutes, parseHttpRoute, parseRoutes, parseWebSocketRoute, ParsedRoute, kebab, refuseSharedFunctionClasses } from './routes';
import { validateCorsOrigins } from '../mixins/cors-rules';

/** The options `ApiServiceProjectOptions` adds to projen's `AwsCdkTypeScriptAppOptions`. */
export type ServiceOptions = Omit<ApiServiceProjectOptions, keyof awscdk.AwsCdkTypeScriptAppOptions>;

/** What a project gets when it declares no routes at all: a small books service with a WebSocket echo. */
export const DEMO_ROUTES = {
  httpRoutes: ['GET /health', 'GET /books', 'GET /books/{id}', 'POST /books'],
  publicRoutes: ['GET /health'],
  websocketRoutes: ['sendmessage'],
};

/** An HTTP route with its access. */
export interface HttpRouteSpec extends HttpRoute {
  readonly isPublic: boolean;
}

/** Everything the generated files are made of, validated. */
export interface ServiceSpec {
  readonly serviceName: string;
  readonly httpRoutes: HttpRouteSpec[];
  /** Custom WebSocket routes. */
  readonly websocketRoutes: ParsedRoute[];
  /** `$connect`, `$disconnect`, `$default` when there is a WebSocket API, else empty. */
  readonly lifecycleRoutes: ParsedRoute[];
  readonly hasHttpApi: boolean;
  readonly hasWebSocketApi: boolean;
  readonly stageName?: string;
  /** The stage of the HTTP API: `stageName`, else `$default`. */
  readonly httpStage: string;
  /** The stage of the WebSocket API: `stageName`, else `prod`. */
  readonly websocketStage: string;
  readonly corsAllowOrigins?: string[];
  readonly corsAllowCredentials: boolean;
  readonly authorization: AuthorizationSpec;
  readonly customDomains: CustomDomainOptions;
  readonly alarmEmail?: string;
  readonly serverErrorThreshold?: number;
  readonly clientErrorThreshold?: number;
  readonly latencyThresholdMs?: number;
  readonly integrationLatencyThresholdMs?: number;
}

/** The stage of the generated HTTP API when `stageName` is not given: API Gateway's default stage, at the root of the URL. */
export const HTTP_DEFAULT_STAGE = '$default';
/** The stage of the generated WebSocket API when `stageName` is not given (WebSocket APIs have no `$default` stage). */
export const WEBSOCKET_DEFAULT_STAGE = 'prod';

const SERVICE_NAME = /^[a-z](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Whether the options declare no route at all, so the demo routes apply. */
export function usesDemoRoutes(options: ServiceOptions): boolean {
  return options.httpRoutes === undefined && options.websocketRoutes === undefined;
}

/**
 * Validates the service options and fills in their defaults. Throws one error naming the bad value and the fix.
 * @param projectName the projen project name, from which the service name is derived when not given
 */
export function resolveServiceSpec(options: ServiceOptions, projectName: string): ServiceSpec {
  const demo = usesDemoRoutes(options);
  const serviceName = options.serviceName ?? deriveServiceName(projectName);
  if (!SERVICE_NAME.test(serviceName)) {
    throw new Error(`Invalid serviceName "${serviceName}": use lower-case letters, digits and "-", starting with a letter, at most 64 characters, e.g. "books-api".`);
  }

  const publicKeys = options.publicRoutes ?? (demo ? DEMO_ROUTES.publicRoutes : []);
  const httpRoutes = parseRoutes(options.httpRoutes ?? (demo ? DEMO_ROUTES.httpRoutes : []), parseHttpRoute, 'httpRoutes');
  for (const key of publicKeys) {
    if (!httpRoutes.some((r) => r.key === key)) {
      throw new Error(`Public route "${key}" is not one of httpRoutes: add it to httpRoutes or remove it from publicRoutes.`);
    }
  }

  const customWsKeys = options.websocketRoutes ?? (demo ? DEMO_ROUTES.websocketRoutes : []);
  const hasWebSocketApi = customWsKeys.length > 0;
  const lifecycleRoutes = hasWebSocketApi ? lifecycleWebSocketRoutes() : [];
  const websocketRoutes = parseRoutes(customWsKeys, parseWebSocketRoute, 'websocketRoutes', lifecycleRoutes);
  refuseSharedFunctionClasses(httpRoutes, websocketRoutes);

  if (httpRoutes.length === 0 && !hasWebSocketApi) {
    throw new Error('No routes: httpRoutes and websocketRoutes are both empty; declare at least one route, e.g. httpRoutes: ["GET /books"].');
  }

  const stageName = options.stageName;
  if (stageName !== undefined) {
    if (stageName === HTTP_DEFAULT_STAGE && hasWebSocketApi) {
      throw new Error(`Invalid stageName "${HTTP_DEFAULT_STAGE}": WebSocket APIs have no $default stage; use a name such as "${WEBSOCKET_DEFAULT_STAGE}".`);
    }
    if (stageName !== HTTP_DEFAULT_STAGE && !STAGE_NAME.test(stageName)) {
      throw new Error(`Invalid stageName "${stageName}": use 1-128 letters, digits, "-" or "_", e.g. "prod".`);
    }
  }

  if (options.corsAllowOrigins !== undefined) {
    validateCorsOrigins(options.corsAllowOrigins, options.corsAllowCredentials ?? false);
  } else if (options.corsAllowCredentials) {
    throw new Error('corsAllowCredentials is set but corsAllowOrigins is not: list the allowed origins, e.g. ["https://app.example.com"].');
  }

  const authorization = resolveAuthorization(options, httpRoutes.map((r) => r.key), publicKeys, hasWebSocketApi);
  const customDomains = resolveCustomDomains(options, httpRoutes.length > 0, hasWebSocketApi);

  if (options.alarmEmail !== undefined && !EMAIL.test(options.alarmEmail)) {
    throw new Error(`Invalid alarmEmail "${options.alarmEmail}": give one e-mail address, e.g. "oncall@example.com".`);
  }
  const thresholds = {
    serverErrorThreshold: options.serverErrorThreshold,
    clientErrorThreshold: options.clientErrorThreshold,
    latencyThresholdMs: options.latencyThresholdMs,
    integrationLatencyThresholdMs: options.integrationLatencyThresholdMs,
  };
  for (const [name, value] of Object.entries(thresholds)) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`Invalid ${name} ${value}: give a number of 0 or more.`);
    }
  }

  return {
    serviceName,
    httpRoutes: httpRoutes.map((r) => ({ ...r, isPublic: publicKeys.includes(r.key) })),
    websocketRoutes,
    lifecycleRoutes,
    hasHttpApi: httpRoutes.length > 0,
    hasWebSocketApi,
    stageName,
    httpStage: stageName ?? HTTP_DEFAULT_STAGE,
    websocketStage: stageName ?? WEBSOCKET_DEFAULT_STAGE,
    corsAllowOrigins: options.corsAllowOrigins,
    corsAllowCredentials: options.corsAllowCredentials ?? false,
    authorization,
    customDomains,
    alarmEmail: options.alarmEmail,
    ...thresholds,
  };
}

/** `@acme/Books API` -> `books-api`: a valid service name from any npm package name. */
export function deriveServiceName(projectName: string): string {
  const name = kebab(projectName.replace(/^@[^/]+\//, '')).slice(0, 64).replace(/-+$/, '');
  if (name === '') return 'api-service';
  return /^[a-z]/.test(name) ? name : `api-${name}`.slice(0, 64).replace(/-+$/, '');
}
