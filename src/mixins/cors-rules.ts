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
