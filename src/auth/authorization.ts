/**
 * How a route is authorized: the kinds `AuthorizationPolicy` (and `ApiServiceDefaults`) put on open routes, and the
 * text form the project type's `authorization` / `routeAuthorization` options use.
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */
import { validateJwtScopes } from './auth-rules';

/** The kinds, in the order error messages list them. */
const KINDS = ['api-key', 'jwt', 'iam', 'none'];
const FORMS = '"api-key", "jwt", "jwt:<scope>[,<scope>...]" (e.g. "jwt:books/admin"), "iam" or "none"';

/**
 * How a route is authorized: with an API key, a JWT (optionally with required scopes), IAM (SigV4), or not at all.
 *
 * @example
 * Authorization.jwt('books/admin');           // a JWT holding the books/admin scope
 * Authorization.parse('jwt:books/admin');     // the same, from its text form
 */
export class Authorization {
  /** An API key (`x-api-key` header; on a WebSocket `$connect` also `?apiKey=`): text form `api-key`. */
  public static readonly API_KEY = new Authorization('api-key', []);

  /** IAM: requests signed with SigV4 by a caller whose policy allows `execute-api:Invoke`: text form `iam`. */
  public static readonly IAM = new Authorization('iam', []);

  /** No authorization: public on purpose: text form `none`. */
  public static readonly NONE = new Authorization('none', []);

  /**
   * A JWT from the configured issuer (any OIDC provider, or an Amazon Cognito user pool): text form `jwt`, or
   * `jwt:<scope>[,<scope>...]` with scopes.
   * @param scopes scopes of which the token must hold at least one (its `scope` claim), e.g. `books/admin`; none
   * means any valid token
   */
  public static jwt(...scopes: string[]): Authorization {
    validateJwtScopes(scopes);
    return scopes.length === 0 ? Authorization.JWT : new Authorization('jwt', [...scopes]);
  }

  /**
   * The authorization a text form names: `api-key`, `iam`, `none`, `jwt` or `jwt:<scope>[,<scope>...]`. Anything
   * else throws one error naming the text and listing the forms.
   */
  public static parse(text: string): Authorization {
    const colon = text.indexOf(':');
    const kind = colon < 0 ? text : text.slice(0, colon);
    if (!KINDS.includes(kind)) {
      const known = kind.trim().toLowerCase();
      const hint = KINDS.includes(known) ? `write "${known}${text.slice(kind.length)}"` : `use ${FORMS}`;
      throw new Error(`Authorization "${text}" is not one this library knows: ${hint}.`);
    }
    if (colon < 0) {
      return [Authorization.API_KEY, Authorization.JWT, Authorization.IAM, Authorization.NONE].find((a) => a.kind === kind)!;
    }
    if (kind !== 'jwt') {
      throw new Error(`Authorization "${text}" gives scopes to "${kind}", but only JWT routes take scopes (API Gateway checks them in the token): write "${kind}", or "jwt:${text.slice(colon + 1)}" for a JWT route with those scopes.`);
    }
    const scopes = text.slice(colon + 1).split(',');
    try {
      return Authorization.jwt(...scopes);
    } catch (e) {
      throw new Error(`Authorization "${text}" has a bad scope list: ${(e as Error).message} Separate scopes with commas only, e.g. "jwt:books/read,books/admin".`);
    }
  }

  /** A JWT without required scopes (what `jwt()` returns). */
  private static readonly JWT = new Authorization('jwt', []);

  /** The kind: `api-key`, `jwt`, `iam` or `none`. */
  public readonly kind: string;

  /** The scopes a JWT must hold one of; empty for the other kinds and for a JWT without scopes. */
  public readonly scopes: string[];

  private constructor(kind: string, scopes: string[]) {
    this.kind = kind;
    this.scopes = scopes;
  }

  /** The text form, which `Authorization.parse` reads back: `api-key`, `jwt:books/admin`, ... */
  public toString(): string {
    return this.scopes.length === 0 ? this.kind : `${this.kind}:${this.scopes.join(',')}`;
  }
}
