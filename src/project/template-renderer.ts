import * as fs from 'fs';
import * as path from 'path';
import * as Handlebars from 'handlebars';

/** The templates of a generated repo, mirroring its output paths (`src/main.ts.hbs` -> `src/main.ts`). */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates', 'api-service');

/** `it's` -> `'it\'s'`: a single-quoted TypeScript string literal, as the generated repo's eslint wants. */
export function tsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** `['a', 'b']`: a TypeScript array literal of single-quoted strings. */
export function tsStringArray(values: string[]): string {
  return `[${values.map(tsString).join(', ')}]`;
}

/**
 * The one renderer of the project type: handlebars in strict mode (a missing field throws) without HTML escaping.
 * Templates hold only `if` and `each`; values are formatted by the helpers `tsString` and `tsStringArray`.
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();

  constructor(private readonly dir: string = TEMPLATES_DIR) {
    this.handlebars.registerHelper('tsString', (value: string) => tsString(value));
    this.handlebars.registerHelper('tsStringArray', (values: string[]) => tsStringArray(values));
  }

  /**
   * Renders the template of an output path.
   * @param outputPath the path in the generated repo, e.g. `src/main.ts` (reads `src/main.ts.hbs`)
   */
  public render(outputPath: string, context: object): string {
    let template = this.compiled.get(outputPath);
    if (!template) {
      const file = path.join(this.dir, `${outputPath}.hbs`);
      if (!fs.existsSync(file)) {
        throw new Error(`No template for "${outputPath}": expected ${file}.`);
      }
      template = this.handlebars.compile(fs.readFileSync(file, 'utf-8'), { strict: true, noEscape: true });
      this.compiled.set(outputPath, template);
    }
    return template(context);
  }
}
