import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK, JWTPayload, KeyLike, SignJWT } from 'jose';
import { addLocalConfigValue, readLocalConfig } from './local-config';

/** The entry of `.api-service.local.json` that holds the local issuer's private key (a JWK). */
export const SIGNING_KEY_ENTRY = 'jwtSigningKey';

/**
 * API Gateway's JWT authorizers verify RSA signatures only
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 */
const ALGORITHM = 'RS256';

/** The private parts of an RSA JWK (RFC 7518, section 6.3.2): never served. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/**
 * The local token issuer's key: an RS256 key pair kept in `.api-service.local.json`, made on first use and reused.
 * Only tokens it signed pass the emulator's JWT checks; its public half is the JWKS the emulator serves.
 */
export interface LocalSigningKey {
  /** The key id (`kid`): the JWK thumbprint of the public key (RFC 7638). */
  readonly kid: string;
  /** The public key set, as an issuer publishes it at its `jwks_uri`. */
  readonly jwks: { readonly keys: JWK[] };
  /** Signs a token (RS256, with `kid`); the claims are taken as given, `exp` and `iat` included. */
  sign(claims: JWTPayload): Promise<string>;
}

/** The local signing key of `dir`'s `.api-service.local.json`, made (and written there) when it has none. */
export async function loadLocalSigningKey(dir: string): Promise<LocalSigningKey> {
  const { file, values } = readLocalConfig(dir);
  const stored = values[SIGNING_KEY_ENTRY] as JWK | undefined;
  const jwk = stored ?? addLocalConfigValue(dir, SIGNING_KEY_ENTRY, await newPrivateJwk());
  const unusable = (why: string) => new Error(`${file} holds a ${SIGNING_KEY_ENTRY} that is not an ${ALGORITHM} private key (${why}): delete that entry, and a new key is made on the next run.`);
  if (jwk.kty !== 'RSA' || !jwk.d || !jwk.kid) {
    throw unusable('an RSA JWK with "d" and "kid" is expected');
  }
  let privateKey: KeyLike;
  try {
    privateKey = await importJWK(jwk, ALGORITHM) as KeyLike;
  } catch (e) {
    throw unusable((e as Error).message);
  }
  const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name))) as JWK;
  const kid = jwk.kid;
  return {
    kid,
    jwks: { keys: [publicJwk] },
    sign: claims => new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid }).sign(privateKey),
  };
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { modulusLength: 2048, extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { ...await exportJWK(privateKey), kid, alg: ALGORITHM, use: 'sig' };
}
