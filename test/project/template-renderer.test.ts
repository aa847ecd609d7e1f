import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  commentText, markdownCode, markdownText, OptionText, TEMPLATES_DIR, TemplateRenderer, tsString, tsStringArray, tsStringOrUndefined,
} from '../../src/project/template-renderer';

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
  expect(tsString('a\\b\nc"d')).toBe("'a\\\\b\\nc\"d'");
  expect(tsString(new OptionText('GET /a*/b'))).toBe("'GET /a*/b'");
  expect(tsStringArray(['GET /a', new OptionText('x')])).toBe("['GET /a', 'x']");
  expect(tsStringArray([])).toBe('[]');
  expect(tsStringOrUndefined(new OptionText("it's"))).toBe("'it\\'s'");
  expect(tsStringOrUndefined(undefined)).toBe('undefined');
});

test('commentText keeps a comment open: no comment end, no line break', () => {
  expect(commentText(new OptionText('GET /a*/b'))).toBe('GET /a*\\/b');
  expect(commentText('a\nb')).toBe('a b');
});

test('markdownCode makes a code span that holds backticks and stays in its table cell', () => {
  expect(markdownCode('GET /books')).toBe('`GET /books`');
  expect(markdownCode('a`b')).toBe('``a`b``');
  expect(markdownCode('`a')).toBe('`` `a ``');
  expect(markdownCode('a|b')).toBe('`a\\|b`');
});

test('markdownText escapes Markdown markup', () => {
  expect(markdownText(new OptionText('books-api'))).toBe('books-api');
  expect(markdownText('a_b*c[d]`e`#|<x>')).toBe('a\\_b\\*c\\[d\\]\\`e\\`\\#\\|\\<x\\>');
});

test('renders the template of an output path, without HTML escaping', () => {
  const renderer = rendererWith({ 'src/a.ts.hbs': 'const a = {{tsString name}};\n{{#each keys}}<{{this}}>{{/each}}\n' });
  expect(renderer.render('src/a.ts', { name: "O'Neil & <co>", keys: ['x&y'] })).toBe("const a = 'O\\'Neil & <co>';\n<x&y>\n");
});

test('throws when a template prints option text raw, naming the template and the helpers', () => {
  const renderer = rendererWith({ 'src/a.ts.hbs': '// {{commentText key}}\ntest(\'{{key}}\');\n' });
  expect(() => renderer.render('src/a.ts', { key: new OptionText("GET /it's") }))
    .toThrow('Template src/a.ts.hbs: Option text "GET /it\'s" reached a template raw: print it with an escaping helper (tsString, tsStringOrUndefined, commentText, markdownCode, markdownText).');
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
