/**
 * A generated repo loaded into this jest process: its TypeScript files written to a temp folder, transpiled when
 * required and evaluated with a `require` that resolves the repo's own files, this package's sources for
 * `projen-api-service` (so the repo runs against the code under test), and the rest from this package's
 * node_modules. The Lambda assets are stubs: the stacks synthesize without bundling any handler.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/** The module a generated file exports. */
type Exports = Record<string, unknown>;

export class InProcessRepo {
  /** The folder the repo's files were written to. */
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'in-process-repo-'));
  private readonly modules = new Map<string, { exports: Exports }>();

  /**
   * @param files the repo's files by path, as `Testing.synth` returns them
   */
  constructor(files: Record<string, unknown>) {
    for (const [file, content] of Object.entries(files)) {
      this.write(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
      // The bundle folder each projen function construct reads its code from.
      const asset = typeof content === 'string' && /Code\.fromAsset\(path\.join\(__dirname, '([^']+)'\)\)/.exec(content);
      if (asset) this.write(path.join(path.dirname(file), asset[1], 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });\n');
    }
  }

  /** Writes (or replaces) a file of the repo, e.g. one as an earlier version generated it. */
  public write(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, file), content);
  }

  /** The repo's files under a folder matching a pattern, as repo paths, sorted. */
  public files(folder: string, pattern: RegExp): string[] {
    return (fs.readdirSync(path.join(this.dir, folder), { recursive: true }) as string[])
      .map((f) => path.posix.join(folder, f.split(path.sep).join('/')))
      .filter((f) => pattern.test(f))
      .sort();
  }

  /**
   * Evaluates a TypeScript file of the repo (once) and returns its exports. Called inside a `describe`, a test
   * file registers its tests there; `jest` is the caller's.
   */
  public load(file: string, jestObject: unknown = jest): Exports {
    return this.loadModule(path.join(this.dir, file), jestObject);
  }

  private loadModule(file: string, jestObject: unknown): Exports {
    const cached = this.modules.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as Exports };
    this.modules.set(file, module);
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf-8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const requireFrom = (specifier: string): unknown => {
      if (specifier.startsWith('.')) return this.loadModule(this.resolve(path.resolve(path.dirname(file), specifier)), jestObject);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return specifier === 'projen-api-service' ? require('../../src') : require(specifier);
    };
    new Function('exports', 'require', 'module', '__filename', '__dirname', 'jest', outputText)(
      module.exports, requireFrom, module, file, path.dirname(file), jestObject);
    return module.exports;
  }

  private resolve(base: string): string {
    const found = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    if (!found) throw new Error(`Cannot find ${base}(.ts) in the generated repo ${this.dir}`);
    return found;
  }
}
