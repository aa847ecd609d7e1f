import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, JWTPayload } from 'jose';
import { AuthorizerModel } from './api-model';
import { identityValue, IdentityRequest } from './lambda-authorizer';
import { LocalSigningKey } from './local-signing-key';

/** What payload format 2.0 gives the integration in `requestContext.authorizer.jwt`. */
export interface JwtContext {
  /** The token's claims, as API Gateway passes them: every value a string. */
  readonly claims: Record<string, string>;
  /** The token's scopes on a route with authorization scopes; null on a route without. */
  readonly scopes: string[] | null;
}

/** What a JWT authorizer decided. */
export type JwtOutcome =
  | { readonly decision: 'allow'; readonly jwt: JwtContext }
  /** 401, with the `www-authenticate` challenge to send. */
  | { readonly decision: 'unauthorized'; readonly challenge: string }
  /** 403: a valid token without any of the route's scopes. */
  | { readonly decision: 'forbidden' };

/** The identity source of a JWT authorizer that names none (CDK's `HttpJwtAuthorizer` default). */
const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';

/** "Currently, only RSA-based algorithms are supported." (http-api-jwt-authorizer.html) */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/**
 * Verifies tokens as an HTTP API's JWT authorizer does
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html): the token from the
 * identity source (alone or after `Bearer `), its RSA signature and `kid`, then `iss` (the authorizer's issuer),
 * `aud` (or `client_id` when the token has no `aud`) against the audiences, `exp` (required), `nbf` and `iat`, then
 * `scp` or `scope` against the route's authorization scopes. The one difference: the signature must be the local
 * signing key's, whatever the issuer, so tokens signed by any other key (the real issuer's too) are refused.
 *
 * Refusals are API Gateway's: 401 `{"message":"Unauthorized"}` with a `www-authenticate` header for a missing or
 * invalid token, 403 `{"message":"Forbidden"}` for a missing scope. The header's layout and the audience wording
 * are AWS's published example (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html:
 * `Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"`); the other
 * descriptions are worded alike (AWS does not publish them).
 */
export class JwtAuthorizer {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;

  constructor(key: LocalSigningKey) {
    this.keySet = createLocalJWKSet(key.jwks);
  }

  public async authorize(authorizer: AuthorizerModel, routeScopes: string[], request: IdentityRequest): Promise<JwtOutcome> {
    const source = authorizer.identitySource[0] ?? DEFAULT_IDENTITY_SOURCE;
    const token = identityValue(source, request)?.replace(/^Bearer\s+/i, '').trim();
    const challenge = (description?: string) => `Bearer scope="${routeScopes.join(' ')}"` +
      (description ? ` error="invalid_token" error_description="${description}"` : '');
    if (!token) {
      // RFC 6750, section 3.1: no error code when the request carries no token.
      return { decision: 'unauthorized', challenge: challenge() };
    }
    const config = authorizer.jwtConfiguration ?? { issuer: '', audience: [] };
    let payload: JWTPayload;
    try {
      if (!decodeProtectedHeader(token).kid) {
        // API Gateway requires the kid of a key of the issuer's JWKS.
        throw new errors.JWKSNoMatchingKey();
      }
      ({ payload } = await jwtVerify(token, this.keySet, { issuer: config.issuer, algorithms: RSA_ALGORITHMS, requiredClaims: ['exp'] }));
    } catch (e) {
      return { decision: 'unauthorized', challenge: challenge(refusalReason(e)) };
    }
    const audienceClaim = payload.aud !== undefined ? 'aud' : 'client_id';
    if (![payload[audienceClaim]].flat().some(value => config.audience.includes(String(value)))) {
      return { decision: 'unauthorized', challenge: challenge('the token does not have a valid audience') };
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000) {
      return { decision: 'unauthorized', challenge: challenge('the token was issued in the future') };
    }
    const scopes = tokenScopes(payload);
    if (routeScopes.length > 0 && !scopes.some(scope => routeScopes.includes(scope))) {
      return { decision: 'forbidden' };
    }
    return { decision: 'allow', jwt: { claims: claimStrings(payload), scopes: routeScopes.length > 0 ? scopes : null } };
  }
}

/** Why jose refused a token, in the words of API Gateway's `error_description`. */
function refusalReason(e: unknown): string {
  if (e instanceof errors.JWTExpired) {
    return 'the token has expired';
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    switch (e.claim) {
      case 'iss': return 'the token does not have a valid issuer';
      case 'nbf': return 'the token is not valid yet';
      case 'exp': return 'the token has no expiry';
      default: return `the token has an invalid ${e.claim} claim`;
    }
  }
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWSSignatureVerificationFailed) {
    return 'the token is not signed by a key of the issuer';
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    return 'the token is not signed with an RSA algorithm';
  }
  return 'the token is not a valid JWT';
}

/** The token's scopes: its `scp` claim (a list, or space-separated), else its `scope` claim (space-separated). */
function tokenScopes(payload: JWTPayload): string[] {
  const claim = payload.scp ?? payload.scope;
  if (claim === undefined || claim === null) {
    return [];
  }
  return Array.isArray(claim) ? claim.map(String) : String(claim).split(' ').filter(Boolean);
}

/**
 * Claims as API Gateway hands them to the integration in payload format 2.0: strings as they are, numbers and
 * booleans as text, lists as `[a b]`, objects as JSON, null claims left out. AWS documents only string claims
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html); the rest is
 * how deployed APIs deliver them (`cognito:groups` arrives as `"[admin users]"`).
 */
function claimStrings(payload: JWTPayload): Record<string, string> {
  const text = (value: unknown): string => (typeof value === 'object' ? JSON.stringify(value) : String(value));
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value !== null && value !== undefined) {
      claims[name] = Array.isArray(value) ? `[${value.map(text).join(' ')}]` : text(value);
    }
  }
  return claims;
}
