/**
 * Renamed path parameters: `GET /books/{id}` becoming `GET /books/{bookId}` changes the handler file name
 * (`get-books-by-id` -> `get-books-by-book-id`) while the route is the same. Detected from the files on disk, so
 * that the implemented handler is not silently replaced by a new stub.
 */
import { HttpRoute, kebab } from './routes';

const WORDS = '[a-z0-9]+(?:-[a-z0-9]+)*';

/**
 * The handler names of every route with the method and path shape of `route`: its literal path segments, and any
 * name in place of each parameter. `GET /books/{bookId}` -> `/^get-books-by-WORDS$/`.
 */
export function handlerNameShape(route: HttpRoute): RegExp {
  const segments = route.path === '/' ? ['root'] : route.path.slice(1).split('/');
  const parts = [route.method, ...segments].map((segment) => {
    if (!segment.startsWith('{')) return kebab(segment); // [a-z0-9-]: nothing to escape
    return segment.endsWith('+}') ? WORDS : `by-${WORDS}`;
  });
  return new RegExp(`^${parts.filter((p) => p !== '').join('-')}$`);
}

/**
 * Pairs each route whose handler file is missing with the one unwired handler of the same method and path shape,
 * when there is exactly one and it fits no other such route.
 * @param missing the routes whose handler file does not exist
 * @param unwired handler names (file names without `.lambda.ts`) that exist and belong to no declared route
 * @returns the old handler name, by route key
 */
export function findRenamedHandlers(missing: HttpRoute[], unwired: string[]): Map<string, string> {
  const candidates = missing.map((route) => {
    const shape = handlerNameShape(route);
    return { route, matches: unwired.filter((name) => shape.test(name)) };
  });
  const renames = new Map<string, string>();
  for (const { route, matches } of candidates) {
    const [old] = matches;
    if (matches.length === 1 && candidates.filter((c) => c.matches.includes(old)).length === 1) {
      renames.set(route.key, old);
    }
  }
  return renames;
}
