/**
 * CORS rules shared by the CORS mixin and the project type's option validation.
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */

/** API Gateway's upper bound for `Access-Control-Max-Age`, in seconds. */
export const MAX_CORS_MAX_AGE_SECONDS = 86400;

const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i;

/**
 * Throws when an origin list is empty, holds something that is not an origin, or pairs `*` with credentials.
 * Unresolved tokens are passed over.
 */
export function validateCorsOrigins(origins: string[], allowCredentials: boolean, isToken: (s: string) => boolean = () => false): void {
  if (origins.length === 0) {
    throw new Error('CORS allowOrigins is empty: list at least one origin such as "https://app.example.com", or leave CORS off.');
  }
  for (const origin of origins) {
    if (isToken(origin) || origin === '*') continue;
    if (!ORIGIN.test(origin)) {
      throw new Error(`CORS origin "${origin}" is not an origin: give scheme, host and optional port only, e.g. "https://app.example.com" (no path, no trailing slash), or "*".`);
    }
  }
  if (allowCredentials && origins.includes('*')) {
    throw new Error('CORS origin "*" cannot be used with allowCredentials: browsers refuse it. List the exact origins, e.g. "https://app.example.com", or turn credentials off.');
  }
}

/** The origins and credentials of a CORS configuration, before or after a merge. */
export interface CorsOrigins {
  readonly allowOrigins?: string[];
  readonly allowCredentials?: boolean;
}

/**
 * Throws when merging `added` into an API's `existing` CORS configuration gives `merged` that allows `*` with
 * credentials, or that adds `*` to a list of exact origins (which would open the API to every origin silently).
 * `where` names the API (its construct path). Unresolved tokens are passed over.
 */
export function validateCorsMerge(where: string, existing: CorsOrigins, added: CorsOrigins, merged: CorsOrigins,
  isToken: (s: string) => boolean = () => false): void {
  const exact = (existing.allowOrigins ?? []).filter((o) => o !== '*' && !isToken(o));
  if (exact.length > 0 && !(existing.allowOrigins ?? []).includes('*') && (added.allowOrigins ?? []).includes('*')) {
    throw new Error(`CORS of ${where} allows the exact origins ${JSON.stringify(existing.allowOrigins)}, and merging ApiCorsPreflight's `
      + `${JSON.stringify(added.allowOrigins)} would widen it to every origin ("*"). Give ApiCorsPreflight exact origins, `
      + 'or set allowOrigins: ["*"] on the API itself if every origin is meant.');
  }
  if (merged.allowCredentials === true && (merged.allowOrigins ?? []).includes('*')) {
    const origins = (existing.allowOrigins ?? []).includes('*') ? 'the API' : 'ApiCorsPreflight';
    const credentials = existing.allowCredentials === true ? 'the API' : 'ApiCorsPreflight';
    throw new Error(`CORS of ${where} would allow origin "*" (from ${origins}) with allowCredentials: true (from ${credentials}) `
      + `after merging ApiCorsPreflight (API origins ${JSON.stringify(existing.allowOrigins ?? [])}, added ${JSON.stringify(added.allowOrigins ?? [])}): `
      + 'browsers refuse it. List exact origins, e.g. "https://app.example.com", or turn credentials off.');
  }
}
