import * as fs from 'fs';
import * as path from 'path';
import { Authorization } from '../../src/auth/authorization';

/** The modules a source file under src/ imports, with the relative ones followed. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
    if (!spec.startsWith('.')) {
      seen.add(spec);
    } else if (!seen.has(spec)) {
      seen.add(spec);
      importsOf(path.join(path.dirname(file), `${spec}.ts`), seen);
    }
  }
  return seen;
}

describe('Authorization', () => {
  test('imports nothing but its own rules, no aws-cdk-lib: the project type loads it when .projenrc.ts runs', () => {
    expect([...importsOf(path.join(__dirname, '../../src/auth/authorization.ts'))]).toEqual(['./auth-rules']);
  });

  test.each([
    ['API_KEY', Authorization.API_KEY, 'api-key'],
    ['IAM', Authorization.IAM, 'iam'],
    ['NONE', Authorization.NONE, 'none'],
    ['jwt()', Authorization.jwt(), 'jwt'],
  ])('%s has kind "%s" and no scopes', (_, authorization, kind) => {
    expect(authorization.kind).toBe(kind);
    expect(authorization.scopes).toEqual([]);
    expect(authorization.toString()).toBe(kind);
  });

  test('jwt() keeps the scopes in order, and toString() writes them after a colon', () => {
    const authorization = Authorization.jwt('books/read', 'books/admin');

    expect(authorization.kind).toBe('jwt');
    expect(authorization.scopes).toEqual(['books/read', 'books/admin']);
    expect(authorization.toString()).toBe('jwt:books/read,books/admin');
  });

  test.each(['api-key', 'iam', 'none', 'jwt', 'jwt:books/admin', 'jwt:books/read,books/admin', 'jwt:https://api.example.com/read'])(
    'parse("%s") reads back what toString() writes', (text) => {
      expect(Authorization.parse(text).toString()).toBe(text);
    });

  test('parse() returns the constants for the kinds without scopes', () => {
    expect(Authorization.parse('api-key')).toBe(Authorization.API_KEY);
    expect(Authorization.parse('iam')).toBe(Authorization.IAM);
    expect(Authorization.parse('none')).toBe(Authorization.NONE);
    expect(Authorization.parse('jwt')).toBe(Authorization.jwt());
  });

  test('throws when the kind is unknown, listing the forms', () => {
    expect(() => Authorization.parse('cognito')).toThrow('Authorization "cognito" is not one this library knows: use "api-key", "jwt", '
      + '"jwt:<scope>[,<scope>...]" (e.g. "jwt:books/admin"), "iam" or "none".');
    expect(() => Authorization.parse('')).toThrow('Authorization "" is not one this library knows');
  });

  test('throws when the kind is in the wrong case, showing the right text', () => {
    expect(() => Authorization.parse('JWT:Books/Admin')).toThrow('Authorization "JWT:Books/Admin" is not one this library knows: write "jwt:Books/Admin".');
    expect(() => Authorization.parse('IAM')).toThrow('write "iam"');
  });

  test.each(['iam:books/admin', 'api-key:x', 'none:x'])('throws when "%s" gives scopes to a kind other than jwt', (text) => {
    const [kind, scopes] = text.split(':');
    expect(() => Authorization.parse(text)).toThrow(`Authorization "${text}" gives scopes to "${kind}", but only JWT routes take scopes `
      + `(API Gateway checks them in the token): write "${kind}", or "jwt:${scopes}" for a JWT route with those scopes.`);
  });

  test.each([
    ['jwt:', ''],
    ['jwt:books/read, books/admin', ' books/admin'],
    ['jwt:books/read,,books/admin', ''],
  ])('throws when "%s" has a bad scope list, naming the scope', (text, scope) => {
    expect(() => Authorization.parse(text)).toThrow(`Authorization "${text}" has a bad scope list: JWT scope "${scope}" is not a scope`);
  });

  test('throws when jwt() gets a scope with a space', () => {
    expect(() => Authorization.jwt('books/read books/admin')).toThrow('JWT scope "books/read books/admin" is not a scope: give one scope per entry');
  });
});
