/**
 * How a generated service authorizes its callers: the `authorization` options of the project type, validated and
 * resolved per route. Free of aws-cdk-lib imports: `.projenrc.ts` loads it.
 */
import type { ApiServiceProjectOptions } from './api-service-project-options';
import { validateJwtAudience, validateJwtIssuer } from '../auth/auth-rules';
import { Authorization } from '../auth/authorization';

/** The authorization options of `ApiServiceProjectOptions`. */
export type AuthorizationOptions = Pick<ApiServiceProjectOptions,
'authorization' | 'routeAuthorization' | 'apiKeyRequired' | 'jwtIssuer' | 'jwtAudience' | 'userPool'>;

/** The authorization of a service, validated. Authorizations are in their text form (`Authorization.toString()`). */
export interface AuthorizationSpec {
  /** The authorization of HTTP routes without their own, and of WebSocket `$connect`. */
  readonly authorization: string;
  /** The authorization of each HTTP route, by route key. */
  readonly routeAuthorization: Record<string, string>;
  /** The issuer of the callers' JWTs, when it is not the stack's user pool. */
  readonly jwtIssuer?: string;
  /** The accepted audiences of the callers' JWTs (with `jwtIssuer`). */
  readonly jwtAudience: string[];
  /** Whether a Cognito user pool in the stack issues the callers' JWTs. */
  readonly userPool: boolean;
  /** Every scope a JWT route asks for, sorted: the user pool's resource servers offer them. */
  readonly jwtScopes: string[];
}

/**
 * Validates the authorization options and resolves the authorization of each HTTP route: its `routeAuthorization`
 * entry, else "none" for a public route, else the default. Throws one error naming the bad value and the fix.
 * @param httpRouteKeys the declared HTTP routes
 * @param publicRouteKeys the declared public routes (a subset of `httpRouteKeys`)
 * @param hasWebSocketApi whether `$connect` gets the default authorization too
 */
export function resolveAuthorization(
  options: AuthorizationOptions, httpRouteKeys: string[], publicRouteKeys: string[], hasWebSocketApi: boolean,
): AuthorizationSpec {
  const { jwtIssuer, jwtAudience, apiKeyRequired } = options;
  const userPool = options.userPool ?? false;
  const legacy = apiKeyRequired === undefined ? undefined : apiKeyRequired ? Authorization.API_KEY : Authorization.NONE;
  const defaultAuthorization = parse('authorization', options.authorization)
    ?? legacy
    ?? (userPool || jwtIssuer !== undefined ? Authorization.jwt() : Authorization.API_KEY);
  if (legacy && legacy.kind !== defaultAuthorization.kind) {
    throw new Error(`apiKeyRequired: ${apiKeyRequired} and authorization: "${defaultAuthorization}" disagree: apiKeyRequired is deprecated, remove it from .projenrc.ts (authorization replaces it).`);
  }

  const overrides = options.routeAuthorization ?? {};
  const routeAuthorization: Record<string, string> = {};
  for (const routeKey of httpRouteKeys) {
    const override = parse(`routeAuthorization["${routeKey}"]`, overrides[routeKey]);
    if (override && override.kind !== 'none' && publicRouteKeys.includes(routeKey)) {
      throw new Error(`Route "${routeKey}" is in publicRoutes and has routeAuthorization "${override}": a public route has no authorization; remove it from publicRoutes, or its routeAuthorization entry.`);
    }
    routeAuthorization[routeKey] = String(override ?? (publicRouteKeys.includes(routeKey) ? Authorization.NONE : defaultAuthorization));
  }
  for (const routeKey of Object.keys(overrides)) {
    if (!httpRouteKeys.includes(routeKey)) {
      throw new Error(`routeAuthorization has an entry for "${routeKey}", which is not one of httpRoutes: add the route to httpRoutes, or remove its entry (keys are route keys as declared, e.g. "DELETE /books/{id}").`);
    }
  }

  const used = [...Object.values(routeAuthorization), ...(hasWebSocketApi ? [String(defaultAuthorization)] : [])]
    .map((text) => Authorization.parse(text));
  const jwtScopes = [...new Set(used.flatMap((a) => a.scopes))].sort();
  validateIssuer(options, used.some((a) => a.kind === 'jwt'));
  if (userPool) {
    // ServiceUserPool makes a resource server of what comes before the last "/".
    const bad = jwtScopes.find((scope) => scope.lastIndexOf('/') <= 0 || scope.endsWith('/'));
    if (bad) {
      throw new Error(`JWT scope "${bad}" has no resource server, which the user pool needs (userPool: true): write it as "<resource server>/<scope>", e.g. "books/admin".`);
    }
  }

  return { authorization: String(defaultAuthorization), routeAuthorization, jwtIssuer, jwtAudience: jwtAudience ?? [], userPool, jwtScopes };
}

/** `Authorization.parse(text)` with the option's name in its error; undefined for no text. */
function parse(option: string, text: string | undefined): Authorization | undefined {
  if (text === undefined) return undefined;
  try {
    return Authorization.parse(text);
  } catch (error) {
    throw new Error(`${option}: ${(error as Error).message}`);
  }
}

/** Throws unless the token issuer options are complete, consistent, and used exactly when a route is "jwt". */
function validateIssuer({ jwtIssuer, jwtAudience, userPool }: AuthorizationOptions, jwtUsed: boolean): void {
  if (jwtIssuer !== undefined) validateJwtIssuer(jwtIssuer);
  if (jwtAudience !== undefined) validateJwtAudience(jwtAudience);
  if (userPool && (jwtIssuer !== undefined || jwtAudience !== undefined)) {
    throw new Error(`userPool is set together with ${jwtIssuer !== undefined ? `jwtIssuer "${jwtIssuer}"` : 'jwtAudience'}: with userPool, the stack's Cognito user pool issues the tokens; remove jwtIssuer and jwtAudience, or userPool.`);
  }
  if (jwtIssuer !== undefined && jwtAudience === undefined) {
    throw new Error(`jwtIssuer "${jwtIssuer}" has no jwtAudience: give the values your provider writes in the tokens' "aud" (or "client_id") claim, e.g. jwtAudience: ["books-api"].`);
  }
  if (jwtIssuer === undefined && jwtAudience !== undefined && !userPool) {
    throw new Error('jwtAudience is set without jwtIssuer: give the "iss" of your provider\'s tokens as jwtIssuer, e.g. "https://example.auth0.com/".');
  }
  const issuer = userPool ? 'userPool' : jwtIssuer !== undefined ? 'jwtIssuer' : undefined;
  if (jwtUsed && !issuer) {
    throw new Error('Authorization "jwt" needs the issuer of the tokens: give jwtIssuer (an https:// URL) and jwtAudience, or userPool: true for a Cognito user pool in the stack.');
  }
  if (!jwtUsed && issuer) {
    throw new Error(`${issuer} is set but no route is authorized with "jwt": set authorization: "jwt" (it replaces the deprecated apiKeyRequired) or a "jwt" entry in routeAuthorization, or remove ${issuer === 'userPool' ? 'userPool' : 'jwtIssuer and jwtAudience'}.`);
  }
}
