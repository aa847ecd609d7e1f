/**
 * The TypeScript of generated repos, compiled with the TypeScript compiler API against this package's sources:
 * every template, rendered with the demo, with hostile route keys that API Gateway accepts, with one API only, and
 * with each authorization and custom-domain option.
 * All repos go into one program (one type-check of aws-cdk-lib's declarations), each under its own virtual folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LegacyESLint } from 'eslint/use-at-your-own-risk';
import { Testing } from 'projen';
import * as ts from 'typescript';
import { JWT_CUSTOM_DOMAINS, USER_POOL_CERTIFICATE } from './fixtures/service-options';
import { ApiServiceProject, ApiServiceProjectOptions } from '../../src/project';

const ROOT = path.join(__dirname, '..', '..');
const VIRTUAL = path.join(ROOT, '.generated-code-test');

// Keys with the characters API Gateway allows in a path segment that mean something in TypeScript, comments and
// Markdown: a quote, a comment end ("*" then "/"), "$", parentheses, "@", ";", "=", "&", "!".
const HOSTILE_HTTP_ROUTES = ["GET /it's", 'GET /a*/b', 'POST /x/*/y', 'PUT /$/(a)', 'DELETE /a;b=c&d!e@f:g~h,i', "GET /'/{id}"];
const HOSTILE_WEBSOCKET_ROUTES = ['it.s:x-y_z', '1st'];
const HOSTILE_EMAIL = "o'neil*/`${x}`@example.com";

const REPOS: Record<string, Partial<ApiServiceProjectOptions>> = {
  'demo': {},
  'hostile': {
    httpRoutes: HOSTILE_HTTP_ROUTES,
    publicRoutes: ["GET /it's"],
    websocketRoutes: HOSTILE_WEBSOCKET_ROUTES,
    alarmEmail: HOSTILE_EMAIL,
    corsAllowOrigins: ['https://app.example.com'],
    corsAllowCredentials: true,
    stageName: 'live_1',
    serverErrorThreshold: 1,
    clientErrorThreshold: 2,
    latencyThresholdMs: 3,
    integrationLatencyThresholdMs: 4,
  },
  'http-only': { httpRoutes: ['GET /items', 'ANY /{proxy+}'], apiKeyRequired: false },
  'websocket-only': { websocketRoutes: ['chat'], stageName: 'beta' },
  'jwt-custom-domains': JWT_CUSTOM_DOMAINS,
  'user-pool': { ...USER_POOL_CERTIFICATE, websocketRoutes: ['chat'] },
};

/** The TypeScript files of each generated repo, by absolute virtual path. */
const files = new Map<string, string>();
let tsconfig: Record<string, unknown> = {};
let eslintrc: Record<string, unknown> = {};
for (const [name, options] of Object.entries(REPOS)) {
  // An outdir of its own: with none, Testing.synth deletes the current folder when that is under the temp dir.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `generated-code-${name}-`));
  const output = Testing.synth(new ApiServiceProject({ name: 'books-api', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', outdir, ...options }));
  for (const [file, text] of Object.entries(output)) {
    if (/^(src|test)\/.*\.ts$/.test(file)) files.set(path.join(VIRTUAL, name, file), text as string);
  }
  if (output['src/client/api-client.generated.ts']) {
    // The types `npx projen api:documents` writes from openapi.json before compiling (api-contract.test.ts runs it).
    files.set(path.join(VIRTUAL, name, 'src/client/api.generated.ts'), 'export interface paths {}\n');
  }
  tsconfig = output['tsconfig.json'].compilerOptions;
  eslintrc = output['.eslintrc.json'];
}

const program = (() => {
  const { options, errors } = ts.convertCompilerOptionsFromJson({ ...tsconfig, isolatedModules: true, noEmit: true }, ROOT);
  expect(errors).toEqual([]);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    rootDir: undefined,
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    // The generated repos import this package: compile them against its sources.
    paths: { 'projen-api-service': [path.join(ROOT, 'src', 'index.ts')] },
  };
  const host = ts.createCompilerHost(compilerOptions);
  const isVirtual = (p: string) => p.startsWith(VIRTUAL + path.sep);
  const { fileExists, readFile, directoryExists, getSourceFile } = host;
  host.fileExists = (p) => (isVirtual(p) ? files.has(p) : fileExists(p));
  host.readFile = (p) => (isVirtual(p) ? files.get(p) : readFile(p));
  host.directoryExists = (p) => (isVirtual(p) ? [...files.keys()].some((f) => f.startsWith(p + path.sep)) : directoryExists!(p));
  host.getSourceFile = (p, language, ...rest) => (isVirtual(p)
    ? (files.has(p) ? ts.createSourceFile(p, files.get(p)!, language, true) : undefined)
    : getSourceFile(p, language, ...rest));
  return ts.createProgram([...files.keys()], compilerOptions, host);
})();

/** The messages of the diagnostics of the generated files of a repo. */
function diagnosticsOf(repo: string): string[] {
  return [...files.keys()].filter((f) => f.startsWith(path.join(VIRTUAL, repo) + path.sep)).flatMap((file) => {
    const source = program.getSourceFile(file)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
      .map((d) => `${path.relative(VIRTUAL, file)}:${d.start}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  });
}

/** The string values of an initializer: a string literal, or an array of them. */
function stringsOf(node: ts.Expression | undefined): string[] {
  if (node && ts.isStringLiteral(node)) return [node.text];
  if (node && ts.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => stringsOf(e));
  throw new Error(`not a string literal: ${node?.getText()}`);
}

/** The values of the top-level `const` declarations of a generated file. */
function constantsOf(repo: string, file: string): Record<string, string[]> {
  const source = program.getSourceFile(path.join(VIRTUAL, repo, file))!;
  const constants: Record<string, string[]> = {};
  for (const statement of source.statements.filter(ts.isVariableStatement)) {
    for (const declaration of statement.declarationList.declarations) {
      const { initializer } = declaration;
      if (initializer && (ts.isStringLiteral(initializer) || ts.isArrayLiteralExpression(initializer))) {
        constants[declaration.name.getText()] = stringsOf(initializer);
      }
    }
  }
  return constants;
}

/** The string values of the first property assignment of that name in a generated file. */
function propertyOf(repo: string, file: string, name: string): string[] {
  const find = (node: ts.Node): ts.PropertyAssignment | undefined => (ts.isPropertyAssignment(node) && node.name.getText() === name
    ? node
    : ts.forEachChild(node, find));
  return stringsOf(find(program.getSourceFile(path.join(VIRTUAL, repo, file))!)?.initializer);
}

test.each(Object.keys(REPOS))('the %s repo compiles without a diagnostic', (repo) => {
  expect(diagnosticsOf(repo)).toEqual([]);
}, 120_000);

/**
 * The generated repo's own eslint configuration, without the rules that need its installed dependencies or its
 * TypeScript project (import resolution, type-aware rules); the files that are not lint-ignored (*.generated.ts).
 */
const eslint = (() => {
  const { parserOptions, rules, settings, ...config } = eslintrc as { parserOptions: object; rules: Record<string, unknown>; settings: object };
  const needsRepo = ['import/no-extraneous-dependencies', 'import/no-unresolved', '@typescript-eslint/no-floating-promises', '@typescript-eslint/return-await'];
  return new LegacyESLint({
    useEslintrc: false,
    cwd: ROOT,
    resolvePluginsRelativeTo: ROOT,
    baseConfig: { ...config, parserOptions: { ecmaVersion: 2022, sourceType: 'module' }, rules: Object.fromEntries(Object.entries(rules).filter(([rule]) => !needsRepo.includes(rule))) } as never,
  });
})();

test.each(Object.keys(REPOS))('the %s repo passes its eslint rules as written (its build would rewrite nothing)', async (repo) => {
  const problems: string[] = [];
  for (const [file, text] of files) {
    if (!file.startsWith(path.join(VIRTUAL, repo) + path.sep)) continue;
    // A path outside the dot folder, which eslint would ignore.
    for (const result of await eslint.lintText(text, { filePath: file.replace(VIRTUAL, path.join(ROOT, 'generated-code-lint')) })) {
      problems.push(...result.messages.map((m) => `${path.relative(VIRTUAL, file)}:${m.line}: ${m.ruleId} ${m.message}`));
    }
  }
  expect(problems).toEqual([]);
}, 120_000);

describe('hostile route keys', () => {
  test('reach the wiring as the exact strings declared', () => {
    const wiring = constantsOf('hostile', 'src/api.generated.ts');
    expect(wiring.HTTP_ROUTES).toEqual(HOSTILE_HTTP_ROUTES);
    expect(wiring.PUBLIC_ROUTES).toEqual(["GET /it's"]);
    expect(wiring.WEBSOCKET_ROUTES).toEqual(HOSTILE_WEBSOCKET_ROUTES);
    expect(propertyOf('hostile', 'src/api.generated.ts', 'alarmEmail')).toEqual([HOSTILE_EMAIL]);
  });

  test.each([
    ["GET /it's", 'get-it-s'], ['GET /a*/b', 'get-a-b'], ['POST /x/*/y', 'post-x-y'], ['PUT /$/(a)', 'put-a'],
    ['DELETE /a;b=c&d!e@f:g~h,i', 'delete-a-b-c-d-e-f-g-h-i'], ["GET /'/{id}", 'get-by-id'],
  ])('"%s" gets the handler %s, whose test names the route exactly', (key, handlerName) => {
    expect(constantsOf('hostile', `test/http/${handlerName}.lambda.test.ts`).ROUTE_KEY).toEqual([key]);
    const handler = program.getSourceFile(path.join(VIRTUAL, 'hostile', `src/http/${handlerName}.lambda.ts`))!;
    const exported = handler.statements.filter(ts.isVariableStatement).find((s) => s.declarationList.declarations[0].name.getText() === 'handler')!;
    const [doc] = ts.getJSDocCommentsAndTags(exported.declarationList.declarations[0]);
    expect(ts.getTextOfJSDocComment((doc as ts.JSDoc).comment)?.split('\n')[0]).toBe(`Handles \`${key.replace(/\*\//g, '*\\/')}\`.`);
    // The contract names the route exactly: the build pairs it with the route only when they are the same.
    const contract = program.getSourceFile(path.join(VIRTUAL, 'hostile', `src/http/${handlerName}.contract.ts`))!;
    const call = contract.statements.filter(ts.isVariableStatement)[0].declarationList.declarations[0].initializer as ts.CallExpression;
    expect(stringsOf(call.arguments[0])).toEqual([key]);
  });

  test('WebSocket route keys reach their tests exactly', () => {
    expect(constantsOf('hostile', 'test/websocket/it-s-x-y-z.lambda.test.ts').ROUTE_KEY).toEqual(['it.s:x-y_z']);
    expect(constantsOf('hostile', 'test/websocket/route-1st.lambda.test.ts').ROUTE_KEY).toEqual(['1st']);
  });
});
