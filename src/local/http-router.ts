import { RouteModel } from './api-model';

/** A route chosen for a request, with the path parameters it captured. */
export interface RouteMatch {
  readonly route: RouteModel;
  readonly pathParameters: Record<string, string>;
}

interface Candidate extends RouteMatch {
  /** Lower sorts first. */
  readonly rank: number[];
}

/**
 * Selects the route for a request the way HTTP APIs do: the most specific path wins (literal segments before
 * `{param}` segments before a greedy `{proxy+}`), a route for the method before `ANY`, and `$default` last.
 * Returns undefined when nothing matches (API Gateway answers 404).
 */
export function selectHttpRoute(routes: RouteModel[], method: string, rawPath: string): RouteMatch | undefined {
  const segments = rawPath.split('/').slice(1);
  const candidates: Candidate[] = [];
  for (const route of routes) {
    const [routeMethod, routePath] = route.routeKey.split(' ');
    if (routePath === undefined || (routeMethod !== 'ANY' && routeMethod !== method)) {
      continue;
    }
    const match = matchPath(routePath.split('/').slice(1), segments);
    if (match) {
      candidates.push({ route, pathParameters: match.parameters, rank: [...match.rank, routeMethod === 'ANY' ? 1 : 0] });
    }
  }
  candidates.sort((a, b) => compareRanks(a.rank, b.rank));
  if (candidates.length > 0) {
    return { route: candidates[0].route, pathParameters: candidates[0].pathParameters };
  }
  const fallback = routes.find(r => r.routeKey === '$default');
  return fallback && { route: fallback, pathParameters: {} };
}

function matchPath(pattern: string[], segments: string[]): { parameters: Record<string, string>; rank: number[] } | undefined {
  const parameters: Record<string, string> = {};
  // rank: [greedy?, then per segment 0 = literal, 1 = parameter]
  const rank: number[] = [0];
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy && i === pattern.length - 1) {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.join('/') === '') {
        return undefined;
      }
      parameters[greedy[1]] = decode(rest.join('/'));
      rank[0] = 1;
      rank.push(2);
      return { parameters, rank };
    }
    if (i >= segments.length) {
      return undefined;
    }
    const param = /^\{(.+)\}$/.exec(part);
    if (param) {
      if (segments[i] === '') {
        return undefined;
      }
      parameters[param[1]] = decode(segments[i]);
      rank.push(1);
    } else if (part === segments[i]) {
      rank.push(0);
    } else {
      return undefined;
    }
  }
  return pattern.length === segments.length ? { parameters, rank } : undefined;
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
