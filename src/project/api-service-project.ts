import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { awscdk, DependencyType, Dependencies, SampleFile, typescript } from 'projen';
import { addManagedFile, API_DOCUMENTS_TASK, ApiContract } from './api-contract';
import { ApiServiceProjectOptions } from './api-service-project-options';
import {
  atLeastVersion, creationArgs, DEV_SERVER_BIN, findLambdaEntrypoints, handlersOf, LOCAL_API_KEYS_FILE, PACKAGE_NAME,
  recordCreationArgs, RouteHandler, routeContext, templateContext,
} from './generation';
import { outgrownFileWarnings } from './outgrown-files';
import { asProjenCliError, newOptions, unknownFlags, unknownFlagWarning } from './projen-new';
import { findRenamedHandlers } from './route-renames';
import { HttpRoute } from './routes';
import { DEMO_ROUTES, resolveServiceSpec, ServiceSpec, usesDemoRoutes } from './service-spec';
import { TemplateRenderer } from './template-renderer';

/** The aws-cdk-lib version the construct library is built against. */
const MIN_CDK_VERSION = '2.276.0';
/**
 * The Lambda runtime of the route functions, and the esbuild target of their bundles: Node.js 24, the active LTS
 * and the latest Node.js runtime aws-cdk-lib 2.276 knows (cdk-nag's LambdaLatestVersion wants that one).
 */
const LAMBDA_RUNTIME = awscdk.LambdaRuntime.NODEJS_24_X;
/** The Node.js of the generated GitHub workflows: a supported LTS (Node.js 20 reached its end of life). */
const WORKFLOW_NODE_VERSION = '24.x';

/**
 * An AWS CDK app serving an API Gateway v2 HTTP and/or WebSocket API from Lambda handlers, built on projen-api-service.
 *
 * Handlers, tests, the stack and the README are written once and then belong to you; the wiring of routes to
 * handlers (`src/api.generated.ts`) is regenerated from the options on every `npx projen`.
 *
 * @pjid api-service
 */
export class ApiServiceProject extends awscdk.AwsCdkTypeScriptApp {
  /**
   * What to tell the user at synthesis: unwired handlers, renamed path parameters, unknown `projen new` flags,
   * files of earlier versions that the options outgrew.
   */
  private readonly warnings: string[] = [];
  /** Whether `projen new` is creating the project. */
  private readonly creating: boolean;

  constructor(options: ApiServiceProjectOptions) {
    // Validate everything before any file component exists, so bad input writes nothing.
    const spec = refuseWithoutStackTrace(() => resolveServiceSpec(options, options.name));
    const cdkVersion = atLeastVersion(options.cdkVersion, MIN_CDK_VERSION);
    recordCreationArgs(options, {
      ...(usesDemoRoutes(options) ? DEMO_ROUTES : {}),
      ...(cdkVersion !== options.cdkVersion ? { cdkVersion } : {}),
      // projen new writes no deprecated option into .projenrc.ts: write what --[no-]api-key-required means.
      ...(options.apiKeyRequired !== undefined ? { authorization: spec.authorization.authorization } : {}),
    });
    const renderer = new TemplateRenderer();

    super({
      ...options,
      cdkVersion,
      cdkCliVersion: options.cdkCliVersion ?? '^2.1100.0',
      typescriptVersion: options.typescriptVersion ?? '~6.0.0',
      // The oldest Node.js the repo builds on (engines, @types/node); the functions run on LAMBDA_RUNTIME.
      minNodeVersion: options.minNodeVersion ?? '20.0.0',
      workflowNodeVersion: options.workflowNodeVersion ?? WORKFLOW_NODE_VERSION,
      sampleCode: false,
      lambdaAutoDiscover: false,
      // The flags aws-cdk-lib recommends for new apps (its recommended-feature-flags.json, what `cdk init` writes),
      // so that `cdk synth` has no unconfigured flag to warn about.
      featureFlags: options.featureFlags ?? awscdk.CdkFeatureFlags.V2.fromLocalAwsCdkLib(),
      context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...options.context },
      // ts-jest compiles each test file on its own (the tsconfig's module kind, NodeNext, needs isolatedModules);
      // the test task type-checks the whole suite once instead (typecheckTests).
      tsconfigDev: { ...options.tsconfigDev, compilerOptions: { isolatedModules: true, ...options.tsconfigDev?.compilerOptions } },
      typecheckTests: options.typecheckTests ?? true,
      // A pull request whose build changes a file (e.g. openapi.json out of date with the contracts) fails, and
      // its author commits what `npx projen build` wrote: nothing pushes to the branch behind their back.
      buildWorkflowOptions: { mutableBuild: false, ...options.buildWorkflowOptions },
      readme: options.readme ?? { contents: renderer.render('README.md', templateContext(spec)) },
      projenrcTsOptions: { ...options.projenrcTsOptions, runner: options.projenrcTsOptions?.runner ?? fastProjenrcRunner(options) },
    });

    const argv = process.argv.slice(2);
    this.creating = creationArgs(options) !== undefined && argv[0] === 'new';
    if (this.creating) {
      this.warnings.push(...unknownFlags(argv, newOptions(`${PACKAGE_NAME}.ApiServiceProject`)).map(unknownFlagWarning));
    }
    this.warnings.push(...outgrownFileWarnings(this.outdir, `${this.srcdir}/service-stack.ts`, `${this.testdir}/service-stack.test.ts`, spec));
    this.addDependencies(options.devDeps ?? [], spec);
    const handlers = this.addFunctions(spec, { runtime: LAMBDA_RUNTIME, ...options.lambdaOptions }, options.lambdaAutoDiscover ?? true);
    const context = templateContext(spec, handlers);
    this.addSampleFiles(handlers, renderer, context);
    const contract = new ApiContract(this, { spec, handlers, renderer, context });
    addManagedFile(this, 'src/api.generated.ts', renderer, context);
    if (spec.hasWebSocketApi) {
      addManagedFile(this, 'src/websocket/connections.generated.ts', renderer, context);
      addManagedFile(this, 'test/websocket/connections.generated.test.ts', renderer, context);
    }

    if (options.projenrcTs && !options.projenrcTsOptions?.runner) {
      // `npx projen` runs .projenrc.ts without type-checking (type-checking it pulls in aws-cdk-lib's
      // declarations through this package and costs seconds); the build type-checks it instead.
      const typecheck = this.addTask('typecheck:projenrc', {
        description: 'Type-checks .projenrc.ts',
        exec: `tsc --noEmit -p ${projenrcTsconfig(options)}`,
      });
      this.preCompileTask.spawn(typecheck);
    }
    // The route functions run on Lambda's Node.js 24: the AWS SDK's notice about the Node.js running the tests
    // (older than 22) does not concern them.
    this.testTask.env('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
    this.gitignore.exclude(`/${LOCAL_API_KEYS_FILE}`);

    const cdkout = this.cdkConfig.cdkout;
    this.addTask('dev', {
      description: 'Synthesizes the app and serves its APIs locally (no AWS account needed); takes the dev server\'s flags, e.g. --port 4000',
      steps: [
        // The emulator serves the API documents of the working directory: write them first.
        { spawn: contract.documentsTask.name },
        { spawn: this.cdkTasks.synthSilent.name },
        { exec: `${DEV_SERVER_BIN} ${cdkout}`, receiveArgs: true },
      ],
    });
    this.addTask('dev:token', {
      description: 'Prints a JWT that `npx projen dev` accepts in place of the issuer\'s, e.g. --scope books/admin --sub alice (synthesizes the app first when it has no cloud assembly)',
      steps: [
        { spawn: this.cdkTasks.synthSilent.name, condition: `node -e "process.exit(require('fs').existsSync('${cdkout}/manifest.json') ? 1 : 0)"` },
        { exec: `${DEV_SERVER_BIN} token ${cdkout}`, receiveArgs: true },
      ],
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
   * A route whose path parameters were renamed keeps its existing handler until the user renames the file.
   * @returns the handler of each declared route
   */
  private addFunctions(spec: ServiceSpec, lambdaOptions: awscdk.LambdaFunctionCommonOptions, autoDiscover: boolean): RouteHandler[] {
    const fileOf = ({ dir, handlerName }: RouteHandler) => `${this.srcdir}/${dir}/${handlerName}.lambda.ts`;
    const existing = findLambdaEntrypoints(this.outdir, this.srcdir);
    const unwiredIn = (handlers: RouteHandler[]) => {
      const declared = new Set(handlers.map(fileOf));
      return existing.filter((e) => !declared.has(e) && /\/(http|websocket)\/[^/]+\.lambda\.ts$/.test(e));
    };

    const missing = handlersOf(spec).filter((h) => h.dir === 'http' && !existing.includes(fileOf(h))).map((h) => h.route as HttpRoute);
    const unwiredHttp = unwiredIn(handlersOf(spec)).filter((e) => e.includes('/http/')).map((e) => path.basename(e, '.lambda.ts'));
    const renamed = findRenamedHandlers(missing, unwiredHttp);
    const handlers = handlersOf(spec, renamed);

    const declared = new Map(handlers.map((h) => [fileOf(h), h.route]));
    for (const entrypoint of [...new Set([...declared.keys(), ...(autoDiscover ? existing : [])])].sort()) {
      new awscdk.LambdaFunction(this, {
        ...lambdaOptions,
        entrypoint,
        cdkDeps: this.cdkDeps,
        constructName: declared.get(entrypoint)?.functionClass,
      });
    }

    for (const [key, old] of renamed) {
      this.warnings.push(this.renameWarning(spec.httpRoutes.find((r) => r.key === key)!, old));
    }
    for (const orphan of unwiredIn(handlers)) {
      this.warnings.push(`${orphan} is no longer wired to a route (its route was removed from .projenrc.ts). Delete it, or declare its route again.`);
    }
    return handlers;
  }

  /** Says which files to rename when a route kept the handler of its former path parameter names. */
  private renameWarning(route: HttpRoute, old: string): string {
    const moves = [[this.srcdir, '.lambda.ts'], [this.srcdir, '.contract.ts'], [this.testdir, '.lambda.test.ts']]
      .filter(([dir, ext]) => fs.existsSync(path.join(this.outdir, dir, 'http', `${old}${ext}`)))
      .map(([dir, ext]) => `  git mv ${dir}/http/${old}${ext} ${dir}/http/${route.handlerName}${ext}`);
    const parameters = route.parameters.map((p) => p.replace(/\+$/, '')).join(', ');
    const hasContract = fs.existsSync(path.join(this.outdir, this.srcdir, 'http', `${old}.contract.ts`));
    return [
      `The path parameters of "${route.key}" were renamed: ${this.srcdir}/http/${old}.lambda.ts still handles it (no new stub was written). Rename the handler and its test, fix the import in the test, then run npx projen:`,
      ...moves,
      `The handler now receives event.pathParameters with ${parameters}.`,
      ...(hasContract ? [`In the contract, write the route "${route.key}" and its pathParameters (${parameters}), and fix the handler's import of it: the build refuses a contract wired to another route.`] : []),
    ].join('\n');
  }

  public preSynthesize(): void {
    super.preSynthesize();
    this.warnings.forEach((warning) => this.logger.warn(warning));
  }

  /**
   * Under `projen new`, once the dependencies are installed: writes the API documents and the typed client, so
   * that the first commit holds them and the first build changes nothing.
   */
  public postSynthesize(): void {
    super.postSynthesize();
    if (this.creating && fs.existsSync(path.join(this.outdir, 'node_modules', 'ts-node'))) {
      execSync(this.runTaskCommand(this.tasks.tryFind(API_DOCUMENTS_TASK)!), { cwd: this.outdir, stdio: 'inherit' });
    }
  }

  /** Files written once, then owned by the user: each is skipped when it already exists. */
  private addSampleFiles(handlers: RouteHandler[], renderer: TemplateRenderer, context: object): void {
    const sample = (template: string, file: string, extra: object = {}) =>
      new SampleFile(this, file, { contents: renderer.render(template, { ...context, ...extra }) });
    sample('src/main.ts', `${this.srcdir}/main.ts`);
    sample('src/service-stack.ts', `${this.srcdir}/service-stack.ts`);
    sample('test/service-stack.test.ts', `${this.testdir}/service-stack.test.ts`);
    for (const handler of handlers) {
      const { dir, kind, handlerName } = handler;
      const routeValues = { route: routeContext(handler), kind };
      sample(`src/${dir}/__${kind}__.lambda.ts`, `${this.srcdir}/${dir}/${handlerName}.lambda.ts`, routeValues);
      sample(`test/${dir}/__${kind}__.lambda.test.ts`, `${this.testdir}/${dir}/${handlerName}.lambda.test.ts`, routeValues);
    }
  }
}

/**
 * Runs the validation of the options. Its error is about the user's input, not the code, so it carries no stack
 * trace: under `projen new` it becomes the projen CLI's own `CliError`, which the CLI prints as one line; elsewhere
 * (`npx projen`) its stack is its message alone.
 */
function refuseWithoutStackTrace<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    error.stack = `${error.name}: ${error.message}`;
    throw asProjenCliError(error, process.argv, require.main) ?? error;
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
