/**
 * zod schemas as JSON Schema inside an API document: schemas named with `.meta({ id })` (and recursive ones) go to
 * `components.schemas` once and are referenced from where they are used.
 */
import { z } from 'zod';

/** A JSON Schema (or any JSON object of a document). */
export type JsonObject = { [key: string]: unknown };

/** The JSON Schema version of a document: 2020-12 for OpenAPI 3.1, draft-07 for AsyncAPI 3.0's default schema format. */
export type SchemaTarget = 'draft-2020-12' | 'draft-07';

/** The `components.schemas` of one document being built. */
export class SchemaComponents {
  /** The named schemas, by component name. */
  readonly schemas: Record<string, JsonObject> = {};

  constructor(private readonly target: SchemaTarget) {}

  /**
   * The JSON Schema of `schema` for `io` ("input" for what clients send, "output" for what they get). A named
   * schema (`.meta({ id: 'Book' })`) becomes the component `Book` (`BookInput` for its input form, which differs:
   * defaults are optional, unknown properties allowed); unnamed recursive ones are named after `name`.
   * `where` names the schema in errors, e.g. `the body of POST /books`.
   */
  add(schema: z.ZodType, io: 'input' | 'output', name: string, where: string): JsonObject {
    let json: JsonObject;
    try {
      json = z.toJSONSchema(schema, { io, target: this.target }) as JsonObject;
    } catch (e) {
      throw new Error(`${where} cannot be written as JSON Schema (${(e as Error).message}): use types JSON can carry, e.g. z.iso.datetime() instead of z.date().`);
    }
    const { $schema, $defs, definitions, ...root } = json;
    const defs = ($defs ?? definitions ?? {}) as Record<string, JsonObject>;
    const names = new Map(Object.keys(defs).map((def) => [def, componentName(def, io, name)]));
    const rewrite = (value: unknown): unknown => rewriteRefs(value, names);
    for (const [def, component] of names) {
      this.put(component, rewrite(defs[def]) as JsonObject, where);
    }
    return rewrite(root) as JsonObject;
  }

  private put(component: string, json: JsonObject, where: string): void {
    const existing = this.schemas[component];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(json)) {
      throw new Error(`Two different schemas are named "${component}" (.meta({ id })), one of them in ${where}: give each its own id.`);
    }
    this.schemas[component] = json;
  }
}

/** The component name of a `$defs` entry: its id (plus `Input` for the input form), or `<name>.<def>` for zod's own. */
function componentName(def: string, io: 'input' | 'output', name: string): string {
  if (def.startsWith('__')) return `${name}.${def.replace(/^_+/, '')}`;
  return io === 'input' ? `${def}Input` : def;
}

/** A copy of a schema with its `$ref`s to `$defs` / `definitions` pointing at `components.schemas`. */
function rewriteRefs(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => {
    const ref = key === '$ref' && typeof v === 'string' ? /^#\/(?:\$defs|definitions)\/(.+)$/.exec(v) : null;
    return [key, ref ? `#/components/schemas/${names.get(decodeURIComponent(ref[1])) ?? ref[1]}` : rewriteRefs(v, names)];
  }));
}

/** A copy of a JSON object with its keys sorted, at the top level only. */
export function sortedKeys<T>(object: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
