import { z } from 'zod';
import { SchemaComponents, sortedKeys } from '../../../templates/api-service/src/contract/json-schema.generated';

const author = z.object({ name: z.string(), born: z.int().optional() }).meta({ id: 'Author' });
const book = z.object({ title: z.string(), author, coAuthors: z.array(author).default([]) });

test('a named schema becomes one component, referenced wherever it is used; $schema is left out', () => {
  const components = new SchemaComponents('draft-2020-12');
  expect(components.add(book, 'output', 'postBooks.201', 'the 201 response')).toEqual({
    type: 'object',
    properties: {
      title: { type: 'string' },
      author: { $ref: '#/components/schemas/Author' },
      coAuthors: { default: [], type: 'array', items: { $ref: '#/components/schemas/Author' } },
    },
    required: ['title', 'author', 'coAuthors'],
    additionalProperties: false,
  });
  expect(Object.keys(components.schemas)).toEqual(['Author']);
});

test('the input form of a named schema is a component of its own (<id>Input): unknown properties allowed, defaults optional', () => {
  const components = new SchemaComponents('draft-2020-12');
  components.add(book, 'output', 'a', 'the response');
  const input = components.add(book, 'input', 'b', 'the body');
  expect(input.required).toEqual(['title', 'author']);
  expect((input.properties as any).author).toEqual({ $ref: '#/components/schemas/AuthorInput' });
  expect(components.schemas.AuthorInput).not.toHaveProperty('additionalProperties');
  expect(components.schemas.Author).toHaveProperty('additionalProperties', false);
});

test('draft-07 (AsyncAPI): definitions are moved to components.schemas as well', () => {
  const components = new SchemaComponents('draft-07');
  expect(components.add(author, 'output', 'x', 'the message')).toEqual({ $ref: '#/components/schemas/Author' });
  expect(components.schemas.Author).toMatchObject({ type: 'object', required: ['name'] });
});

test('the same schema added twice is one component', () => {
  const components = new SchemaComponents('draft-2020-12');
  components.add(author, 'output', 'a', 'one');
  components.add(author, 'output', 'b', 'two');
  expect(Object.keys(components.schemas)).toEqual(['Author']);
});

test('throws when two different schemas share an id', () => {
  const components = new SchemaComponents('draft-2020-12');
  components.add(author, 'output', 'a', 'one');
  expect(() => components.add(z.object({ id: z.string() }).meta({ id: 'Author' }), 'output', 'b', 'the 200 response of GET /authors')).toThrow(
    'Two different schemas are named "Author" (.meta({ id })), one of them in the 200 response of GET /authors: give each its own id.');
});

test('throws when a schema has no JSON Schema form, naming where it is', () => {
  expect(() => new SchemaComponents('draft-2020-12').add(z.bigint(), 'output', 'a', 'the body of POST /x')).toThrow(
    /^the body of POST \/x cannot be written as JSON Schema \(BigInt cannot be represented in JSON Schema\): use types JSON can carry/);
});

test('sortedKeys sorts the top-level keys only', () => {
  expect(JSON.stringify(sortedKeys({ b: { z: 1, a: 2 }, a: 1 }))).toBe('{"a":1,"b":{"z":1,"a":2}}');
});
