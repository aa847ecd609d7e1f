import * as fs from 'fs';
import * as path from 'path';
import { awscdk, Component, Project, SampleFile, Task, TextFile } from 'projen';
import { RouteHandler, routeContext } from './generation';
import { ServiceSpec } from './service-spec';
import { OptionText, TemplateRenderer, TEMPLATES_DIR } from './template-renderer';

/** The folder of the contract runtime, copied verbatim into `src/contract/` of every generated repo. */
const RUNTIME_DIR = path.join(TEMPLATES_DIR, 'src', 'contract');

/** The API documents at the generated repo's root (committed; `npx projen dev` serves them). */
export const OPENAPI_DOCUMENT = 'openapi.json';
export const ASYNCAPI_DOCUMENT = 'asyncapi.json';

/** The task that writes the API documents and the typed client. */
export const API_DOCUMENTS_TASK = 'api:documents';

/** Where a generated repo keeps its contract files, relative to its source folder. */
const CONTRACT_DIR = 'contract';
/** The types of the HTTP API, written by `api:documents` with openapi-typescript from openapi.json. */
const CLIENT_TYPES = 'client/api.generated.ts';

/** What the contract files of a repo are made of. */
export interface ApiContractOptions {
  readonly spec: ServiceSpec;
  /** The handler of each declared route. */
  readonly handlers: RouteHandler[];
  readonly renderer: TemplateRenderer;
  /** The values of the other templates (`hasHttpApi`, `serviceName`, ...). */
  readonly context: Record<string, unknown>;
}

/**
 * The API contract of a generated repo: the contract runtime (managed files depending on the repo's own zod, so
 * that the user's schemas and the runtime share one zod, which esbuild bundles once into each function), a
 * user-owned contract next to each new route handler, the wiring of the contracts to the declared routes, and the
 * `api:documents` task that writes `openapi.json`, `asyncapi.json` and the typed client (spawned by the build
 * before compiling, and by `dev`).
 */
export class ApiContract extends Component {
  /** The task that writes the documents and the client. */
  public readonly documentsTask: Task;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: ApiContractOptions) {
    super(project);
    const { spec, handlers, renderer, context } = options;
    const srcdir = project.srcdir;
    const contractOf = ({ dir, handlerName }: RouteHandler) => `${srcdir}/${dir}/${handlerName}.contract.ts`;
    const exists = (file: string) => fs.existsSync(path.join(project.outdir, file));

    // The validators and openapi-typescript run in the build only; openapi-fetch is the typed client's runtime.
    project.addDeps('zod@^4', ...(spec.hasHttpApi ? ['openapi-fetch@^0.17'] : []));
    project.addDevDeps(
      ...(spec.hasHttpApi ? ['@seriousme/openapi-schema-validator@^2', 'openapi-typescript@^7'] : []),
      ...(spec.hasWebSocketApi ? ['@asyncapi/specs@^6', 'ajv@^8', 'ajv-formats@^3'] : []),
    );
    if (spec.hasHttpApi) {
      // openapi-typescript 7 declares a peer typescript@^5; it works with the repo's TypeScript.
      project.package.addField('overrides', { 'openapi-typescript': { typescript: '$typescript' } });
    }

    for (const file of fs.readdirSync(RUNTIME_DIR).filter((f) => f.endsWith('.generated.ts')).sort()) {
      const managed = new TextFile(project, `${srcdir}/${CONTRACT_DIR}/${file}`, { marker: true, readonly: true });
      managed.addLine(`// ${managed.marker}`);
      managed.addLine(fs.readFileSync(path.join(RUNTIME_DIR, file), 'utf-8'));
    }

    // A route gets a contract stub with its new handler stub; a handler of an earlier version keeps working
    // without one (and its route is documented without a contract).
    const routes = handlers.filter((h) => h.kind === 'route');
    const contracted = routes.filter((h) => exists(contractOf(h)) || !exists(`${srcdir}/${h.dir}/${h.handlerName}.lambda.ts`));
    for (const handler of contracted) {
      const values = { ...context, route: routeContext(handler) };
      new SampleFile(project, contractOf(handler), { contents: renderer.render(`src/${handler.dir}/__route__.contract.ts`, values) });
    }
    const { authorization } = spec;
    const documented = (dir: string) => routes.filter((h) => h.dir === dir).map((h) => ({
      routeKey: new OptionText(h.route.key),
      // HTTP routes have theirs resolved (public ones "none"); WebSocket routes are behind $connect's, the default.
      authorization: new OptionText(authorization.routeAuthorization[h.route.key] ?? authorization.authorization),
      importName: contracted.includes(h) ? identifierOf(`${h.dir}-${h.handlerName}`) : undefined,
      module: `../${h.dir}/${h.handlerName}.contract`,
    }));
    const documentedHttpRoutes = documented('http');
    const documentedWebSocketRoutes = documented('websocket');
    const wiringContext = {
      ...context,
      documentedHttpRoutes,
      documentedWebSocketRoutes,
      contractImports: [...documentedHttpRoutes, ...documentedWebSocketRoutes].filter((r) => r.importName !== undefined),
    };
    addManagedFile(project, `src/${CONTRACT_DIR}/contracts.generated.ts`, renderer, wiringContext);
    const documentFiles = { openApiDocument: OPENAPI_DOCUMENT, asyncApiDocument: ASYNCAPI_DOCUMENT, clientTypes: `${srcdir}/${CLIENT_TYPES}` };
    addManagedFile(project, `src/${CONTRACT_DIR}/api-documents.generated.ts`, renderer, { ...context, ...documentFiles });
    if (spec.hasHttpApi) addManagedFile(project, 'src/client/api-client.generated.ts', renderer, context);

    const documents = [...(spec.hasHttpApi ? [OPENAPI_DOCUMENT] : []), ...(spec.hasWebSocketApi ? [ASYNCAPI_DOCUMENT] : [])];
    this.documentsTask = project.addTask(API_DOCUMENTS_TASK, {
      description: `Checks the contracts against the routes and writes the API documents (${documents.join(', ')}), validated`
        + `${spec.hasHttpApi ? `, and the typed client (${srcdir}/${CLIENT_TYPES})` : ''}`,
      exec: `ts-node --transpile-only --project ${project.tsconfigDev.fileName} ${srcdir}/${CONTRACT_DIR}/api-documents.generated.ts`,
    });
    project.preCompileTask.spawn(this.documentsTask);
    for (const document of [...documents, ...(spec.hasHttpApi ? [`${srcdir}/${CLIENT_TYPES}`] : [])]) {
      project.gitattributes.addAttributes(`/${document}`, 'linguist-generated');
    }
  }
}

/** A file rewritten by every `npx projen` and read-only, from the template of the same path. */
export function addManagedFile(project: Project, file: string, renderer: TemplateRenderer, context: object): void {
  const managed = new TextFile(project, file, { marker: true, readonly: true });
  managed.addLine(renderer.render(file, { ...context, marker: managed.marker }));
}

/** A handler name (`http-get-books-by-id`) as an identifier (`httpGetBooksById`). */
function identifierOf(handlerName: string): string {
  return handlerName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
