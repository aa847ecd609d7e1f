import { findRenamedHandlers, handlerNameShape } from '../../src/project/route-renames';
import { parseHttpRoute } from '../../src/project/routes';

describe('handlerNameShape', () => {
  test.each([
    ['GET /books/{bookId}', 'get-books-by-id', true],
    ['GET /books/{bookId}', 'get-books-by-isbn-code', true],
    ['GET /books/{bookId}', 'get-books', false],
    ['GET /books/{bookId}', 'post-books-by-id', false],
    ['GET /books/{bookId}', 'get-authors-by-id', false],
    ['GET /books/{bookId}/pages/{n}', 'get-books-by-id-pages-by-page', true],
    ['ANY /files/{path+}', 'any-files-proxy', true],
    ['GET /user_profiles/{id}', 'get-user-profiles-by-user-id', true],
    ['GET /', 'get-root', true],
  ])('"%s" has the shape of the handler "%s": %s', (key, handlerName, matches) => {
    expect(handlerNameShape(parseHttpRoute(key)).test(handlerName)).toBe(matches);
  });
});

describe('findRenamedHandlers', () => {
  const routes = (...keys: string[]) => keys.map(parseHttpRoute);

  test('pairs a route without a handler with the one unwired handler of its shape', () => {
    expect(findRenamedHandlers(routes('GET /books/{bookId}', 'POST /books'), ['get-books-by-id', 'delete-books-by-id']))
      .toEqual(new Map([['GET /books/{bookId}', 'get-books-by-id']]));
  });

  test('pairs nothing when two unwired handlers fit a route', () => {
    expect(findRenamedHandlers(routes('GET /books/{bookId}'), ['get-books-by-id', 'get-books-by-isbn']).size).toBe(0);
  });

  test('pairs nothing when an unwired handler fits two routes', () => {
    expect(findRenamedHandlers(routes('GET /books/{bookId}', 'GET /books/{isbn}'), ['get-books-by-id']).size).toBe(0);
  });
});
