/**
 * The contract runtime as a generated repo gets it (copied verbatim into `src/contract/`): it compiles under the
 * repo's strict tsconfig, passes the repo's eslint, and its types turn a wrong status, body, parameter or reply of
 * a handler into a compile error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LegacyESLint } from 'eslint/use-at-your-own-risk';
import * as ts from 'typescript';
import { CONTRACT_FILES, diagnostics, expectedErrorLines, generatedCompilerOptions, generatedRepo, ROOT, unmarked } from './fixtures/generated-repo';

const repo = generatedRepo();
const options = generatedCompilerOptions(repo);
const HANDLERS = path.join(__dirname, 'fixtures', 'typed-handlers.ts');

/** A program of the runtime and the typed handlers, the handlers' text replaced by `handlers` when given. */
function program(handlers?: string): ts.Program {
  const host = ts.createCompilerHost(options);
  const { getSourceFile } = host;
  host.getSourceFile = (file, language, ...rest) => (handlers !== undefined && path.resolve(file) === HANDLERS
    ? ts.createSourceFile(file, handlers, language, true)
    : getSourceFile(file, language, ...rest));
  return ts.createProgram([...CONTRACT_FILES, HANDLERS], options, host);
}

test('the runtime and handlers typed with it compile under the generated repo\'s strict tsconfig (every @ts-expect-error is used)', () => {
  expect(options.strict).toBe(true);
  const checked = program();
  expect(diagnostics(checked, [...CONTRACT_FILES, HANDLERS])).toEqual([]);
}, 120_000);

test('a wrong status, body, path parameter, query type, reply or a status declared twice fails to compile, on exactly the marked lines', () => {
  const text = fs.readFileSync(HANDLERS, 'utf-8');
  const expected = expectedErrorLines(text);
  expect(expected.length).toBeGreaterThanOrEqual(10);
  const failing = diagnostics(program(unmarked(text)), [HANDLERS]).map((d) => Number(/:(\d+): /.exec(d)![1]));
  expect([...new Set(failing)].sort((a, b) => a - b)).toEqual(expected);
}, 120_000);

test('the runtime passes the generated repo\'s eslint', async () => {
  // eslint 9 with the repo's .eslintrc.json, as `npx projen eslint` runs it (ESLINT_USE_FLAT_CONFIG=false).
  const config = repo['.eslintrc.json'];
  const tsconfig = path.join(ROOT, 'tsconfig.json');
  const eslint = new LegacyESLint({
    cwd: ROOT,
    useEslintrc: false,
    ignore: false, // the generated repo skips *.generated.ts; lint them anyway
    overrideConfig: {
      ...config,
      ignorePatterns: [],
      // Type information (no-floating-promises, return-await) from a program with the generated repo's options.
      parserOptions: { ecmaVersion: config.parserOptions.ecmaVersion, sourceType: 'module', programs: [program()] },
      settings: { ...config.settings, 'import/resolver': { node: {}, typescript: { project: tsconfig, alwaysTryTypes: true } } },
      rules: {
        ...config.rules,
        // zod is a runtime dependency of generated repos, and a devDependency of this package.
        'import/no-extraneous-dependencies': 'off',
      },
    },
  });
  const results = await eslint.lintFiles(CONTRACT_FILES);
  const messages = results.flatMap((r: any) => r.messages.map((m: any) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`));
  expect(messages).toEqual([]);
}, 120_000);
