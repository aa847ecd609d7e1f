/**
 * Lambda REQUEST authorizer for a WebSocket API's `$connect` route: verifies the JWT that a browser passes in a
 * query-string parameter (browsers cannot set headers on a WebSocket) with aws-jwt-verify, against the issuer's
 * JWKS: signature, `iss`, audience, `exp` (required) and `nbf`, then the required scopes.
 *
 * Configuration, set by `WebSocketTokenAuthorizer`:
 * - `TOKEN_QUERY_PARAMETER`: the query-string parameter that carries the token;
 * - `JWKS_URI`: where the signing keys are fetched from (`https://`, or `http://` on loopback for a local issuer);
 * - `JWT_AUDIENCE`: the accepted audiences, comma-separated;
 * - either `JWT_ISSUER` (any OIDC provider: the audience is checked like API Gateway's JWT authorizer does, `aud`,
 *   or `client_id` when the token has no `aud`) or `COGNITO_USER_POOL_ID` (aws-jwt-verify's Cognito verifier:
 *   ID tokens by `aud`, access tokens by `client_id`, `token_use` checked);
 * - `JWT_REQUIRED_SCOPES` (optional): space-separated; the token's `scope` claim must hold at least one of them.
 *
 * Answers, as API Gateway maps them: a missing or invalid token throws `Unauthorized` (401); a valid token without
 * a required scope gets a Deny policy (403); a valid token gets an Allow policy whose `context` carries `sub`,
 * `scope` and `claims` (the whole payload as a JSON string), because authorizer context values may only be strings,
 * numbers or booleans. WebSocket authorizers answer like REST ones
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html): the
 * `Unauthorized` error is a 401 and a Deny policy a 403
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html); the output
 * format is in https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html.
 *
 * The token is never logged.
 */
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { assertStringArraysOverlap } from 'aws-jwt-verify/assert';
import { JwtExpiredError, JwtInvalidAudienceError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import { Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** The configuration read from the environment. */
interface TokenAuthorizerConfig {
  readonly tokenParameter: string;
  readonly jwksUri: string;
  readonly audience: string[];
  readonly issuer?: string;
  readonly cognitoUserPoolId?: string;
  readonly requiredScopes: string[];
}

/** Verifies a token and returns its payload, or throws. */
type Verify = (token: string) => Promise<JwtPayload>;

/** One verifier per container and configuration, so the JWKS is fetched once and then cached by aws-jwt-verify. */
let cached: { readonly key: string; readonly config: TokenAuthorizerConfig; readonly verify: Verify } | undefined;

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const { config, verify } = currentVerifier();
  const token = event.queryStringParameters?.[config.tokenParameter];
  if (!token) {
    throw new Error('Unauthorized');
  }
  let payload: JwtPayload;
  try {
    payload = await verify(token);
  } catch (error) {
    // aws-jwt-verify's message names the failed check and the claim's value (issuer, audience, expiry, signature
    // ...), never the token.
    console.warn('Token refused', { reason: error instanceof Error ? error.message : String(error) });
    throw new Error('Unauthorized');
  }
  const principalId = String(payload.sub ?? payload.client_id ?? 'unknown');
  if (!hasRequiredScope(payload, config.requiredScopes)) {
    console.warn('Token lacks every required scope', { sub: principalId, requiredScopes: config.requiredScopes });
    return policy(principalId, 'Deny', event.methodArn);
  }
  return {
    ...policy(principalId, 'Allow', event.methodArn),
    context: {
      sub: typeof payload.sub === 'string' ? payload.sub : '',
      scope: typeof payload.scope === 'string' ? payload.scope : '',
      claims: JSON.stringify(payload),
    },
  };
}

function currentVerifier(): { config: TokenAuthorizerConfig; verify: Verify } {
  const config = configFromEnvironment();
  const key = JSON.stringify(config);
  if (cached?.key !== key) {
    cached = { key, config, verify: newVerifier(config) };
  }
  return cached;
}

function newVerifier(config: TokenAuthorizerConfig): Verify {
  const jwksCache = new SimpleJwksCache({ fetcher: new JwksUriFetcher(config.jwksUri) });
  const customJwtCheck = ({ payload }: { payload: JwtPayload }) => {
    // API Gateway's JWT authorizer refuses a token without an expiry; aws-jwt-verify only checks one that is there.
    if (payload.exp === undefined) {
      throw new JwtExpiredError('Token has no exp claim', undefined);
    }
  };
  if (config.cognitoUserPoolId) {
    const verifier = CognitoJwtVerifier.create(
      { userPoolId: config.cognitoUserPoolId, clientId: config.audience, tokenUse: null, customJwtCheck },
      { jwksCache },
    );
    return (token) => verifier.verify(token);
  }
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer!,
      jwksUri: config.jwksUri,
      // Checked below like API Gateway's JWT authorizer: `aud`, or `client_id` only when the token has no `aud`.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
      audience: null,
      customJwtCheck: (props) => {
        customJwtCheck(props);
        const claim = props.payload.aud !== undefined ? 'aud' : 'client_id';
        assertStringArraysOverlap(`Audience (${claim})`, props.payload[claim], config.audience, JwtInvalidAudienceError);
      },
    },
    { jwksCache },
  );
  return (token) => verifier.verify(token);
}

function hasRequiredScope(payload: JwtPayload, requiredScopes: string[]): boolean {
  if (requiredScopes.length === 0) {
    return true;
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  return requiredScopes.some((scope) => scopes.includes(scope));
}

function policy(principalId: string, effect: 'Allow' | 'Deny', methodArn: string): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    },
  };
}

function configFromEnvironment(): TokenAuthorizerConfig {
  const tokenParameter = requiredVariable('TOKEN_QUERY_PARAMETER');
  const jwksUri = requiredVariable('JWKS_URI');
  validateJwksUri(jwksUri);
  const audience = requiredVariable('JWT_AUDIENCE').split(',').map((value) => value.trim()).filter(Boolean);
  const cognitoUserPoolId = process.env.COGNITO_USER_POOL_ID || undefined;
  const issuer = cognitoUserPoolId ? undefined : requiredVariable('JWT_ISSUER');
  const requiredScopes = (process.env.JWT_REQUIRED_SCOPES ?? '').split(' ').filter(Boolean);
  return { tokenParameter, jwksUri, audience, issuer, cognitoUserPoolId, requiredScopes };
}

function requiredVariable(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: deploy this function with WebSocketTokenAuthorizer, which sets it`);
  }
  return value;
}

/** Hosts on which the JWKS may come over plain http (a local issuer). */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** `https://`, or plain `http://` only on loopback, where the local emulator serves its issuer's keys. */
function validateJwksUri(jwksUri: string): void {
  const url = new URL(jwksUri);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname))) {
    return;
  }
  throw new Error(`JWKS_URI is ${jwksUri}, but signing keys must come over https:// (or http:// on loopback for a local issuer)`);
}

/**
 * Fetches the JWKS from `JWKS_URI` whatever URI the verifier derived (the Cognito verifier derives it from the
 * user pool id), so that one variable decides where the keys come from. aws-jwt-verify's own fetcher speaks
 * only https; the loopback http case uses Node's fetch.
 */
class JwksUriFetcher implements Fetcher {
  private readonly https = new SimpleFetcher();

  constructor(private readonly jwksUri: string) {}

  public async fetch(_uri: string, requestOptions?: Record<string, unknown>, data?: ArrayBuffer): Promise<ArrayBuffer> {
    if (this.jwksUri.startsWith('https:')) {
      return this.https.fetch(this.jwksUri, requestOptions, data);
    }
    const response = await fetch(this.jwksUri);
    if (response.status !== 200) {
      throw new NonRetryableFetchError(this.jwksUri, `Status code is ${response.status}, expected 200`);
    }
    return response.arrayBuffer();
  }
}
