import { awscdk, DependencyType, Dependencies, SampleFile, TextFile, typescript } from 'projen';
import { atLeastVersion, DEV_SERVER_BIN, findLambdaEntrypoints, handlersOf, PACKAGE_NAME, recordCreationArgs, templateContext } from './generation';
import { DEMO_ROUTES, resolveServiceSpec, ServiceSpec, usesDemoRoutes } from './service-spec';
import { TemplateRenderer } from './template-renderer';

/** The aws-cdk-lib version the construct library is built against. */
const MIN_CDK_VERSION = '2.276.0';

/**
 * Options for `ApiServiceProject`.
 */
export interface ApiServiceProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions {
  /**
   * Name of the service: the API names and the stack name are made from it.
   * @default - the project name without its npm scope, in kebab-case
   */
  readonly serviceName?: string;

  /**
   * HTTP API routes as "METHOD /path" keys, e.g. "GET /books/{id}". Each gets a handler in `src/http/`.
   * The HTTP API exists when there is at least one.
   * @default - when neither `httpRoutes` nor `websocketRoutes` is given, a demo: "GET /health", "GET /books",
   * "GET /books/{id}", "POST /books"; otherwise none
   * @featured
   */
  readonly httpRoutes?: string[];

  /**
   * WebSocket API routes (route-selection values of `$request.body.action`), e.g. "sendmessage".
   * Each gets a handler in `src/websocket/`; `$connect`, `$disconnect` and `$default` are always added.
   * The WebSocket API exists when there is at least one.
   * @default - when neither `httpRoutes` nor `websocketRoutes` is given, a demo "sendmessage" that echoes to the
   * sender; otherwise none
   * @featured
   */
  readonly websocketRoutes?: string[];

  /**
   * HTTP routes that stay unauthenticated when API keys are required; each must be one of `httpRoutes`.
   * @default - "GET /health" with the demo routes; otherwise none
   * @featured
   */
  readonly publicRoutes?: string[];

  /**
   * Whether callers must send an API key (HTTP: header `x-api-key`; WebSocket: on `$connect`).
   * @default true
   * @featured
   * @pjnew true
   */
  readonly apiKeyRequired?: boolean;

  /**
   * Origins allowed by CORS, e.g. "https://app.example.com", or "*".
   * @default - no CORS
   * @featured
   */
  readonly corsAllowOrigins?: string[];

  /**
   * Whether CORS allows credentials (cookies, authorization headers); not allowed with origin "*".
   * @default false
   */
  readonly corsAllowCredentials?: boolean;

  /**
   * Name of the stage of each API.
   * @default - "$default" for the HTTP API, "prod" for the WebSocket API
   * @featured
   */
  readonly stageName?: string;

  /**
   * E-mail address subscribed to the alarms.
   * @default - alarms notify no one until you subscribe to their topic
   * @featured
   */
  readonly alarmEmail?: string;

  /**
   * Alarm threshold for server errors (5xx) per period.
   * @default - the `ApiServiceDefaults` default
   */
  readonly serverErrorThreshold?: number;

  /**
   * Alarm threshold for client errors (4xx) per period.
   * @default - the `ApiServiceDefaults` default
   */
  readonly clientErrorThreshold?: number;

  /**
   * Alarm threshold for end-to-end latency, in milliseconds.
   * @default - the `ApiServiceDefaults` default
   */
  readonly latencyThresholdMs?: number;

  /**
   * Alarm threshold for integration (Lambda) latency, in milliseconds.
   * @default - the `ApiServiceDefaults` default
   */
  readonly integrationLatencyThresholdMs?: number;
}

/**
 * An AWS CDK app serving an API Gateway v2 HTTP and/or WebSocket API from Lambda handlers, built on projen-api-service.
 *
 * Handlers, tests, the stack and the README are written once and then belong to you; the wiring of routes to
 * handlers (`src/api.generated.ts`) is regenerated from the options on every `npx projen`.
 *
 * @pjid api-service
 */
export class ApiServiceProject extends awscdk.AwsCdkTypeScriptApp {
  /** Handler files of routes that are no longer declared. */
  private readonly orphanHandlers: string[];

  constructor(options: ApiServiceProjectOptions) {
    // Validate everything before any file component exists, so bad input writes nothing.
    const spec = resolveServiceSpec(options, options.name);
    const cdkVersion = atLeastVersion(options.cdkVersion, MIN_CDK_VERSION);
    recordCreationArgs(options, {
      ...(usesDemoRoutes(options) ? DEMO_ROUTES : {}),
      ...(cdkVersion !== options.cdkVersion ? { cdkVersion } : {}),
    });
    const renderer = new TemplateRenderer();
    const context = templateContext(spec);

    super({
      ...options,
      cdkVersion,
      cdkCliVersion: options.cdkCliVersion ?? '^2.1100.0',
      typescriptVersion: options.typescriptVersion ?? '~6.0.0',
      // @types/node follows the Node version (the ts6.0 dist-tag projen would pick otherwise may not exist).
      minNodeVersion: options.minNodeVersion ?? '20.0.0',
      sampleCode: false,
      lambdaAutoDiscover: false,
      context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...options.context },
      readme: options.readme ?? { contents: renderer.render('README.md', context) },
      projenrcTsOptions: { ...options.projenrcTsOptions, runner: options.projenrcTsOptions?.runner ?? fastProjenrcRunner(options) },
    });

    this.addDependencies(options.devDeps ?? [], spec);
    this.orphanHandlers = this.addFunctions(spec, options);
    this.addSampleFiles(spec, renderer, context);
    const wiring = new TextFile(this, 'src/api.generated.ts', { marker: true, readonly: true });
    wiring.addLine(renderer.render('src/api.generated.ts', { ...context, marker: wiring.marker }));

    if (options.projenrcTs && !options.projenrcTsOptions?.runner) {
      // `npx projen` runs .projenrc.ts without type-checking (type-checking it pulls in aws-cdk-lib's
      // declarations through this package and costs seconds); the build type-checks it instead.
      const typecheck = this.addTask('typecheck:projenrc', {
        description: 'Type-checks .projenrc.ts',
        exec: `tsc --noEmit -p ${projenrcTsconfig(options)}`,
      });
      this.preCompileTask.spawn(typecheck);
    }

    this.addTask('dev', {
      description: 'Synthesizes the app and serves its APIs locally (no AWS account needed)',
      steps: [{ spawn: this.cdkTasks.synthSilent.name }, { exec: `${DEV_SERVER_BIN} ${this.cdkConfig.cdkout}` }],
    });
  }

  /** The generated stacks import this package at run time: move the `--from` spec from devDeps to deps. */
  private addDependencies(devDeps: string[], spec: ServiceSpec): void {
    const fromSpec = devDeps.find((d) => Dependencies.parseDependency(d).name === PACKAGE_NAME);
    if (fromSpec) {
      this.deps.removeDependency(PACKAGE_NAME, DependencyType.BUILD);
    }
    this.addDeps(fromSpec ?? PACKAGE_NAME, 'cdk-nag@^3.0.2');
    if (spec.hasWebSocketApi) {
      this.addDeps('@aws-sdk/client-apigatewaymanagementapi@^3');
    }
    this.addDevDeps('@types/aws-lambda@^8.10.0');
  }

  /**
   * One bundled function per handler: the declared routes' (whose files may not exist yet) plus, when Lambda
   * auto-discovery is on, every other `*.lambda.ts` under src. Sorted, so the output does not depend on history.
   */
  private addFunctions(spec: ServiceSpec, options: ApiServiceProjectOptions): string[] {
    const declared = new Map(handlersOf(spec).map(({ route, dir }) => [`${this.srcdir}/${dir}/${route.handlerName}.lambda.ts`, route]));
    const discovered = options.lambdaAutoDiscover ?? true ? findLambdaEntrypoints(this.outdir, this.srcdir) : [];
    for (const entrypoint of [...new Set([...declared.keys(), ...discovered])].sort()) {
      new awscdk.LambdaFunction(this, {
        ...options.lambdaOptions,
        entrypoint,
        cdkDeps: this.cdkDeps,
        constructName: declared.get(entrypoint)?.functionClass,
      });
    }
    return discovered.filter((e) => !declared.has(e) && /\/(http|websocket)\/[^/]+\.lambda\.ts$/.test(e));
  }

  public preSynthesize(): void {
    super.preSynthesize();
    for (const orphan of this.orphanHandlers) {
      this.logger.warn(`${orphan} is no longer wired to a route (its route was removed from .projenrc.ts). Delete it, or declare its route again.`);
    }
  }

  /** Files written once, then owned by the user: each is skipped when it already exists. */
  private addSampleFiles(spec: ServiceSpec, renderer: TemplateRenderer, context: object): void {
    const sample = (template: string, file: string, extra: object = {}) =>
      new SampleFile(this, file, { contents: renderer.render(template, { ...context, ...extra }) });
    sample('src/main.ts', `${this.srcdir}/main.ts`);
    sample('src/service-stack.ts', `${this.srcdir}/service-stack.ts`);
    sample('test/service-stack.test.ts', `${this.testdir}/service-stack.test.ts`);
    for (const { route, dir, kind } of handlersOf(spec)) {
      const routeContext = { route, kind };
      sample(`src/${dir}/__${kind}__.lambda.ts`, `${this.srcdir}/${dir}/${route.handlerName}.lambda.ts`, routeContext);
      sample(`test/${dir}/__${kind}__.lambda.test.ts`, `${this.testdir}/${dir}/${route.handlerName}.lambda.test.ts`, routeContext);
    }
  }
}

/** The tsconfig projen gives the projenrc source tree. */
function projenrcTsconfig(options: ApiServiceProjectOptions): string {
  return `${options.projenrcTsOptions?.projenCodeDir ?? 'projenrc'}/tsconfig.json`;
}

/** ts-node without type-checking: re-synthesis stays as fast as a plain awscdk-app-ts project. */
function fastProjenrcRunner(options: ApiServiceProjectOptions): typescript.TypeScriptRunner {
  return typescript.TypeScriptRunner.tsNode({ tsconfig: projenrcTsconfig(options), typeCheck: false });
}
