import { AssemblyModel } from './api-model';
import { cognitoIssuer } from './intrinsics';

/** A token issuer the app trusts, found in the cloud assembly. */
export interface JwtIssuer {
  /** The `iss` its tokens carry. */
  readonly issuer: string;
  /** The accepted audiences (`aud`, or `client_id` when a token has no `aud`), in the order the app lists them. */
  readonly audience: string[];
  /** Set when the issuer is an Amazon Cognito user pool: its tokens then carry `client_id` and `token_use`. */
  readonly cognitoUserPoolId?: string;
  /** What trusts it, e.g. `HTTP API Http (JWT authorizer Jwt)`. */
  readonly usedBy: string[];
}

/**
 * Environment of `WebSocketTokenAuthorizer`'s function (see websocket-token-authorizer.lambda.ts): `JWT_AUDIENCE`
 * with `JWT_ISSUER` (any OIDC provider) or `COGNITO_USER_POOL_ID`, and `JWKS_URI`, which the emulator points at
 * its local issuer.
 */
export const TOKEN_AUTHORIZER_ENV = {
  issuer: 'JWT_ISSUER',
  audience: 'JWT_AUDIENCE',
  userPoolId: 'COGNITO_USER_POOL_ID',
  jwksUri: 'JWKS_URI',
} as const;

/** `https://cognito-idp.<region>.amazonaws.com/<region>_<id>`: the issuer of a Cognito user pool. */
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/(\1_[A-Za-z0-9]+)$/;

/**
 * The issuers of the HTTP APIs' JWT authorizers and of the WebSocket token authorizers' functions, one entry per
 * issuer (audiences merged, in order of appearance).
 */
export function jwtIssuers(model: AssemblyModel): JwtIssuer[] {
  const found = new Map<string, { audience: string[]; usedBy: string[] }>();
  const add = (issuer: string, audience: string[], usedBy: string) => {
    const entry = found.get(issuer) ?? { audience: [], usedBy: [] };
    found.set(issuer, entry);
    entry.audience.push(...audience.filter(a => !entry.audience.includes(a)));
    if (!entry.usedBy.includes(usedBy)) {
      entry.usedBy.push(usedBy);
    }
  };
  for (const api of model.apis) {
    for (const route of api.routes) {
      const config = route.authorizationType === 'JWT' ? route.authorizer?.jwtConfiguration : undefined;
      if (config) {
        add(config.issuer, config.audience, `HTTP API ${api.name} (JWT authorizer ${route.authorizer!.name})`);
      }
    }
  }
  for (const fn of model.functions.values()) {
    const env = fn.environment;
    const userPoolId = env[TOKEN_AUTHORIZER_ENV.userPoolId];
    const issuer = userPoolId ? cognitoIssuer(userPoolId) : env[TOKEN_AUTHORIZER_ENV.issuer];
    if (issuer && env[TOKEN_AUTHORIZER_ENV.audience] !== undefined && env[TOKEN_AUTHORIZER_ENV.jwksUri] !== undefined) {
      add(issuer, env[TOKEN_AUTHORIZER_ENV.audience].split(',').map(a => a.trim()).filter(Boolean), `function ${fn.name} (WebSocket token authorizer)`);
    }
  }
  return [...found].map(([issuer, { audience, usedBy }]) => ({
    issuer,
    audience,
    usedBy,
    ...(COGNITO_ISSUER.test(issuer) ? { cognitoUserPoolId: COGNITO_ISSUER.exec(issuer)![2] } : {}),
  }));
}
