import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TEMPLATES_DIR, TemplateRenderer, tsString, tsStringArray } from '../../src/project/template-renderer';

function rendererWith(files: Record<string, string>): TemplateRenderer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return new TemplateRenderer(dir);
}

test('tsString writes single-quoted literals', () => {
  expect(tsString("it's")).toBe("'it\\'s'");
  expect(tsString('a\\b\nc')).toBe("'a\\\\b\\nc'");
  expect(tsStringArray(['GET /a', 'x'])).toBe("['GET /a', 'x']");
  expect(tsStringArray([])).toBe('[]');
});

test('renders the template of an output path, without HTML escaping', () => {
  const renderer = rendererWith({ 'src/a.ts.hbs': 'const a = {{tsString name}};\n{{#each keys}}<{{this}}>{{/each}}\n' });
  expect(renderer.render('src/a.ts', { name: "O'Neil & <co>", keys: ['x&y'] })).toBe("const a = 'O\\'Neil & <co>';\n<x&y>\n");
});

test('throws when a template uses a field the context lacks (strict mode)', () => {
  const renderer = rendererWith({ 'a.hbs': '{{missing}}' });
  expect(() => renderer.render('a', {})).toThrow('"missing" not defined');
});

test('throws when there is no template for an output path', () => {
  expect(() => rendererWith({}).render('src/nope.ts', {})).toThrow('No template for "src/nope.ts"');
});

test('the packaged templates live at templates/api-service', () => {
  expect(fs.existsSync(path.join(TEMPLATES_DIR, 'src', 'main.ts.hbs'))).toBe(true);
});
