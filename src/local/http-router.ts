import { RouteModel } from './api-model';

/** A route chosen for a request, with the path parameters it captured. */
export interface RouteMatch {
  readonly route: RouteModel;
  readonly pathParameters: Record<string, string>;
}

/** One segment of a route path: a literal, a `{param}`, or a trailing greedy `{proxy+}`. */
interface Segment {
  readonly literal?: string;
  readonly parameter?: string;
  readonly greedy?: boolean;
}

/** A route prepared once for matching. */
interface CompiledRoute {
  readonly route: RouteModel;
  /** `ANY` or an HTTP method. */
  readonly method: string;
  readonly segments: Segment[];
  /** Lower sorts first: [greedy?, then per segment 0 = literal, 1 = parameter, 2 = greedy, then ANY?]. */
  readonly rank: number[];
}

/** The routes of an API, compiled and sorted most specific first, and its `$default` route. */
interface RouteTable {
  readonly sorted: CompiledRoute[];
  readonly fallback?: RouteModel;
}

const tables = new WeakMap<RouteModel[], RouteTable>();

/**
 * Selects the route for a request the way HTTP APIs do: the most specific path wins (literal segments before
 * `{param}` segments before a greedy `{proxy+}`), a route for the method before `ANY`, and `$default` last.
 * Returns undefined when nothing matches (API Gateway answers 404). The routes are compiled once per array.
 */
export function selectHttpRoute(routes: RouteModel[], method: string, rawPath: string): RouteMatch | undefined {
  let table = tables.get(routes);
  if (!table) {
    table = routeTable(routes);
    tables.set(routes, table);
  }
  const segments = rawPath.split('/').slice(1);
  for (const compiled of table.sorted) {
    if (compiled.method === 'ANY' || compiled.method === method) {
      const pathParameters = matchPath(compiled.segments, segments);
      if (pathParameters) {
        return { route: compiled.route, pathParameters };
      }
    }
  }
  return table.fallback && { route: table.fallback, pathParameters: {} };
}

function routeTable(routes: RouteModel[]): RouteTable {
  const compiled: CompiledRoute[] = [];
  for (const route of routes) {
    const [method, routePath] = route.routeKey.split(' ');
    if (routePath === undefined) {
      continue;
    }
    const parts = routePath.split('/').slice(1);
    const segments = parts.map((part, i): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy && i === parts.length - 1) {
        return { parameter: greedy[1], greedy: true };
      }
      const param = /^\{(.+)\}$/.exec(part);
      return param ? { parameter: param[1] } : { literal: part };
    });
    const greedy = segments.some(segment => segment.greedy);
    const rank = [greedy ? 1 : 0, ...segments.map(segment => (segment.greedy ? 2 : segment.parameter ? 1 : 0)), method === 'ANY' ? 1 : 0];
    compiled.push({ route, method, segments, rank });
  }
  // A stable sort: among equally specific routes, the first declared wins.
  compiled.sort((a, b) => compareRanks(a.rank, b.rank));
  return { sorted: compiled, fallback: routes.find(r => r.routeKey === '$default') };
}

/** The path parameters when `segments` (a request path) matches the route's, else undefined. */
function matchPath(pattern: Segment[], segments: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const { literal, parameter, greedy } = pattern[i];
    if (greedy) {
      const rest = segments.slice(i).join('/');
      if (rest === '') {
        return undefined;
      }
      parameters[parameter!] = decode(rest);
      return parameters;
    }
    if (i >= segments.length) {
      return undefined;
    }
    if (parameter !== undefined) {
      if (segments[i] === '') {
        return undefined;
      }
      parameters[parameter] = decode(segments[i]);
    } else if (literal !== segments[i]) {
      return undefined;
    }
  }
  return pattern.length === segments.length ? parameters : undefined;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) {
      return d;
    }
  }
  return 0;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
