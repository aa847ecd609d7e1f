/**
 * How API Gateway authorizes a route, as the API documents describe it: `api-key` (the `x-api-key` header),
 * `jwt` (a bearer JWT, with the scopes of which the token needs at least one), `iam` (SigV4) or `none`.
 */

/** The authorization kinds of a route. */
export const AUTHORIZATION_KINDS = ['api-key', 'jwt', 'iam', 'none'] as const;

/** How a route is authorized; `Authorization` objects of projen-api-service fit this shape. */
export interface RouteAuthorization {
  /** One of `AUTHORIZATION_KINDS`. */
  readonly kind: string;
  /** For `jwt`: the token needs at least one of them. @default - none */
  readonly scopes?: readonly string[];
}

/** A route's authorization, checked. */
export interface CheckedAuthorization {
  readonly kind: (typeof AUTHORIZATION_KINDS)[number];
  readonly scopes: readonly string[];
}

/**
 * Reads a route's authorization: a `RouteAuthorization`, or its text form as in `routeAuthorization` of
 * `.projenrc.ts` (`api-key`, `iam`, `none`, `jwt`, `jwt:books/read,books/admin`).
 */
export function checkedAuthorization(route: string, authorization: string | RouteAuthorization): CheckedAuthorization {
  const { kind, scopes = [] } = typeof authorization === 'string' ? fromText(authorization) : authorization;
  const known = AUTHORIZATION_KINDS.find((k) => k === kind);
  if (!known) {
    throw new Error(`Route "${route}" has the authorization "${kind}", which is not one of ${AUTHORIZATION_KINDS.join(', ')}: use one of them, e.g. "jwt:books/read".`);
  }
  if (scopes.length > 0 && known !== 'jwt') {
    throw new Error(`Route "${route}" has the authorization "${kind}" with scopes (${scopes.join(', ')}): only jwt routes have scopes, e.g. "jwt:${scopes[0]}".`);
  }
  return { kind: known, scopes };
}

function fromText(text: string): RouteAuthorization {
  const [kind, scopes] = text.split(/:(.*)/s);
  return { kind, scopes: scopes === undefined ? [] : scopes.split(',').map((s) => s.trim()).filter((s) => s !== '') };
}
