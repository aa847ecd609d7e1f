import * as fs from 'fs';
import * as path from 'path';
import * as Handlebars from 'handlebars';

/** The templates of a generated repo, mirroring its output paths (`src/main.ts.hbs` -> `src/main.ts`). */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates', 'api-service');

/**
 * Text that comes from the project options (a route key, a path, a name, an origin, an e-mail address). A template
 * cannot print it raw: `{{route.key}}` throws, only the escaping helpers below accept it, each for the place the
 * text lands in (a TypeScript string, a comment, Markdown). So a route key that API Gateway accepts, such as
 * `GET /it's` or one holding a comment end (star, slash), never yields broken or injected code.
 */
export class OptionText {
  constructor(public readonly value: string) {}

  public toString(): string {
    throw new Error(`Option text "${this.value}" reached a template raw: print it with an escaping helper (tsString, tsStringOrUndefined, commentText, markdownCode, markdownText).`);
  }

  public [Symbol.toPrimitive](): string {
    return this.toString();
  }
}

/** A plain string, or the option text it wraps. */
function textOf(value: OptionText | string): string {
  return value instanceof OptionText ? value.value : value;
}

/** `it's` -> `'it\'s'`: a single-quoted TypeScript string literal, as the generated repo's eslint wants. */
export function tsString(value: OptionText | string): string {
  const escaped = JSON.stringify(textOf(value)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${escaped}'`;
}

/** `'a'`, or `undefined` for no value: an optional TypeScript string. */
export function tsStringOrUndefined(value: OptionText | string | undefined): string {
  return value === undefined ? 'undefined' : tsString(value);
}

/** `['a', 'b']`: a TypeScript array literal of single-quoted strings. */
export function tsStringArray(values: (OptionText | string)[]): string {
  return `[${values.map(tsString).join(', ')}]`;
}

/** Text for inside a block or line comment: one line, and a star followed by a slash cannot close the comment. */
export function commentText(value: OptionText | string): string {
  return textOf(value).replace(/\r?\n|\r/g, ' ').replace(/\*\//g, '*\\/');
}

/** A Markdown code span that also holds in a table cell: `` `GET /books` `` (a fence longer than any backtick run inside; `|` escaped). */
export function markdownCode(value: OptionText | string): string {
  const text = textOf(value).replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Markdown text with its markup characters escaped: `a_b*` -> `a\_b\*`. */
export function markdownText(value: OptionText | string): string {
  return textOf(value).replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|#]/g, '\\$&');
}

/**
 * The one renderer of the project type: handlebars in strict mode (a missing field throws) without HTML escaping.
 * Templates hold only `if` and `each`; option text is printed only through the escaping helpers (`OptionText`).
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();

  constructor(private readonly dir: string = TEMPLATES_DIR) {
    const helpers: Record<string, (value: never) => string> = {
      tsString, tsStringOrUndefined, tsStringArray, commentText, markdownCode, markdownText,
    };
    for (const [name, helper] of Object.entries(helpers)) {
      this.handlebars.registerHelper(name, (value: unknown) => helper(value as never));
    }
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
    try {
      return template(context);
    } catch (error) {
      throw new Error(`Template ${outputPath}.hbs: ${(error as Error).message}`);
    }
  }
}
