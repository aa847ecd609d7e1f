import * as crypto from 'crypto';
import * as path from 'path';
import { JWTPayload } from 'jose';
import { buildAssemblyModel } from './api-model';
import { readCloudAssembly } from './cloud-assembly';
import { parseCommandLine } from './command-line';
import { JwtIssuer, jwtIssuers } from './jwt-issuers';
import { loadLocalSigningKey } from './local-signing-key';

export const TOKEN_USAGE = 'usage: projen-api-service-dev token [cdk.out dir] [--scope S]... [--sub ID] [--claim NAME=VALUE]... [--expires-in 1h] [--issuer URL]';

/** Options of the token command. */
export interface TokenOptions {
  readonly assemblyDir: string;
  /** Written space-separated into the `scope` claim. */
  readonly scopes: string[];
  readonly sub: string;
  /** Further claims (they override the minted ones). */
  readonly claims: Record<string, unknown>;
  readonly expiresInSeconds: number;
  /** Which issuer, when the app trusts several. */
  readonly issuer?: string;
}

/** A minted token and what it was minted for. */
export interface MintedToken {
  readonly token: string;
  readonly issuer: JwtIssuer;
  readonly claims: JWTPayload;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses `[cdk.out dir] [--scope S]... [--sub ID] [--claim NAME=VALUE]... [--expires-in 1h] [--issuer URL]`, in any
 * order. A claim's value is read as JSON when it is JSON (`--claim n=42`, `--claim 'groups=["admin"]'`), else as text.
 */
export function parseTokenArgs(args: string[]): TokenOptions {
  const { values, assemblyDir } = parseCommandLine<{ 'scope'?: string[]; 'sub'?: string; 'claim'?: string[]; 'expires-in'?: string; 'issuer'?: string }>(args, {
    'scope': { type: 'string', multiple: true },
    'sub': { type: 'string' },
    'claim': { type: 'string', multiple: true },
    'expires-in': { type: 'string' },
    'issuer': { type: 'string' },
  }, TOKEN_USAGE);
  const scopes = values.scope ?? [];
  const badScope = scopes.find(s => !/^\S+$/.test(s));
  if (badScope !== undefined) {
    throw new Error(`--scope takes one scope without spaces, got '${badScope}': repeat --scope for several. ${TOKEN_USAGE}`);
  }
  const claims: Record<string, unknown> = {};
  for (const claim of values.claim ?? []) {
    const at = claim.indexOf('=');
    if (at < 1) {
      throw new Error(`--claim takes NAME=VALUE, got '${claim}', e.g. --claim email=alice@example.com. ${TOKEN_USAGE}`);
    }
    claims[claim.slice(0, at)] = jsonOrText(claim.slice(at + 1));
  }
  const expiresIn = values['expires-in'] ?? '1h';
  const duration = /^(\d+)([smhd]?)$/.exec(expiresIn);
  if (!duration || Number(duration[1]) === 0) {
    throw new Error(`--expires-in takes a duration such as 3600, 90s, 30m, 1h or 7d, got '${expiresIn}'. ${TOKEN_USAGE}`);
  }
  return {
    assemblyDir,
    scopes,
    sub: values.sub || 'local-user',
    claims,
    expiresInSeconds: Number(duration[1]) * DURATION_UNITS[duration[2] || 's'],
    issuer: values.issuer,
  };
}

function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Mints a token signed by the local key (`.api-service.local.json` in `cwd`, made on first use) for the issuer the
 * app's cloud assembly trusts: `iss` that issuer and `aud` its first audience; for an Amazon Cognito user pool,
 * shaped as the pool's access tokens (`client_id`, `token_use: access`, `username`), so aws-jwt-verify's Cognito
 * verifier accepts it too.
 */
export async function mintToken(options: TokenOptions, cwd: string): Promise<MintedToken> {
  const assemblyDir = path.resolve(cwd, options.assemblyDir);
  const issuer = chooseIssuer(jwtIssuers(buildAssemblyModel(readCloudAssembly(assemblyDir))), options.issuer, assemblyDir);
  const key = await loadLocalSigningKey(cwd);
  const now = Math.floor(Date.now() / 1000);
  const [audience] = issuer.audience;
  const claims: JWTPayload = {
    sub: options.sub,
    iss: issuer.issuer,
    ...(issuer.cognitoUserPoolId
      ? { client_id: audience, token_use: 'access', username: options.sub, auth_time: now }
      : { aud: audience }),
    ...(options.scopes.length > 0 ? { scope: options.scopes.join(' ') } : {}),
    iat: now,
    exp: now + options.expiresInSeconds,
    jti: crypto.randomUUID(),
    ...options.claims,
  };
  return { token: await key.sign(claims), issuer, claims };
}

function chooseIssuer(issuers: JwtIssuer[], wanted: string | undefined, assemblyDir: string): JwtIssuer {
  if (issuers.length === 0) {
    throw new Error(`The cloud assembly at '${assemblyDir}' has no JWT authorizer (HTTP API JWT authorizer or WebSocketTokenAuthorizer), so no local token would be checked: set authorization 'jwt' in .projenrc.ts (or add a JWT authorizer), run 'npx projen synth', then mint a token.`);
  }
  const list = issuers.map(i => `'${i.issuer}' (${i.usedBy.join(', ')})`).join(', ');
  if (wanted !== undefined) {
    const issuer = issuers.find(i => i.issuer === wanted);
    if (!issuer) {
      throw new Error(`--issuer '${wanted}' is not an issuer the app trusts; it trusts ${list}.`);
    }
    return issuer;
  }
  if (issuers.length > 1) {
    throw new Error(`The app trusts several token issuers: ${list}. Choose one with --issuer.`);
  }
  return issuers[0];
}

/** `projen-api-service-dev token ...`: prints the token alone on stdout, what it holds on stderr. */
export async function runTokenCommand(args: string[], cwd: string = process.cwd()): Promise<void> {
  const { token, issuer, claims } = await mintToken(parseTokenArgs(args), cwd);
  process.stdout.write(`${token}\n`);
  const audience = claims.aud !== undefined ? `aud ${claims.aud}` : `client_id ${claims.client_id}`;
  process.stderr.write(`[token] for ${issuer.usedBy.join(', ')}: iss ${claims.iss}, ${audience}, sub ${claims.sub}` +
    `${claims.scope ? `, scope '${claims.scope}'` : ''}, expires ${new Date(Number(claims.exp) * 1000).toISOString()}\n`);
}
