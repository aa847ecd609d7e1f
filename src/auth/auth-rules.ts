/**
 * Authorization settings rules (JWT issuer, audience, scopes, JWKS URI, query-string parameter names) shared by the
 * WebSocket authorizers and the project type's option validation.
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */

/** Where OIDC providers such as Amazon Cognito and Auth0 publish their signing keys, below the issuer URL. */
export const DEFAULT_JWKS_PATH = '/.well-known/jwks.json';

/** API Gateway's identity-source pattern for a query-string parameter name (`route.request.querystring.<name>`). */
const PARAMETER_NAME = /^[A-Za-z0-9._-]+$/;

/** Throws unless `issuer` is an `https://` URL, as the `iss` claim of an OIDC provider's tokens is. */
export function validateJwtIssuer(issuer: string): void {
  if (!isHttpsUrl(issuer)) {
    throw new Error(`JWT issuer "${issuer}" is not an https:// URL: give the "iss" value of your provider's tokens, e.g. "https://example.auth0.com/" or "https://cognito-idp.<region>.amazonaws.com/<user pool id>".`);
  }
}

/** Throws unless `uri` is an `https://` URL: signing keys fetched over plain http could be swapped on the way. */
export function validateJwksUri(uri: string): void {
  if (!isHttpsUrl(uri)) {
    throw new Error(`JWKS URI "${uri}" is not an https:// URL: give the jwks_uri of your provider's OpenID configuration (<issuer>/.well-known/openid-configuration), e.g. "https://example.auth0.com/.well-known/jwks.json".`);
  }
}

/**
 * Throws when `audience` is empty or holds an empty value or a comma (audiences travel comma-separated to the
 * authorizer function). `isToken` values are passed over.
 */
export function validateJwtAudience(audience: string[], isToken: (s: string) => boolean = () => false): void {
  if (audience.length === 0) {
    throw new Error('JWT audience is empty: give at least one accepted "aud" value, e.g. the API identifier or the app client id of your provider.');
  }
  for (const value of audience) {
    if (isToken(value)) continue;
    if (value.trim() === '' || value.includes(',')) {
      throw new Error(`JWT audience "${value}" is not usable: give a non-empty value without commas, as your provider writes it in the "aud" (or "client_id") claim.`);
    }
  }
}

/** Throws when a scope is empty or holds whitespace (the `scope` claim is a space-separated list). */
export function validateJwtScopes(scopes: string[]): void {
  for (const scope of scopes) {
    if (!/^\S+$/.test(scope)) {
      throw new Error(`JWT scope "${scope}" is not a scope: give one scope per entry, without spaces, e.g. "books/admin".`);
    }
  }
}

/** Throws unless `name` can be a WebSocket authorizer's query-string identity source. */
export function validateQueryParameterName(name: string): void {
  if (!PARAMETER_NAME.test(name)) {
    throw new Error(`Query-string parameter name "${name}" is not one API Gateway accepts as an identity source: use letters, digits, ".", "_" and "-" only, e.g. "token".`);
  }
}

/** The JWKS URI of an issuer that publishes its keys at the well-known path, e.g. Amazon Cognito or Auth0. */
export function defaultJwksUri(issuer: string): string {
  return issuer.replace(/\/+$/, '') + DEFAULT_JWKS_PATH;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
