/**
 * Lambda REQUEST authorizer (payload 2.0, simple responses) that checks the `x-api-key` header
 * against the keys kept in a Secrets Manager secret.
 *
 * The secret (its ARN is in the `API_KEY_SECRET_ARN` environment variable) holds one key, or several
 * keys separated by newlines; blank lines and surrounding whitespace are ignored. Several keys allow
 * rotation without downtime: add the new key line, move clients over, then remove the old line.
 *
 * The keys are cached in memory for `KEY_CACHE_TTL_MS` per container, so a change to the secret takes
 * effect within that time plus the authorizer's results cache TTL.
 */
import { createHash, timingSafeEqual } from 'crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';

/** How long the keys read from Secrets Manager are reused by one container (1 minute). */
export const KEY_CACHE_TTL_MS = 60_000;

/** Created once per container; the endpoint follows the standard `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
const client = new SecretsManagerClient({});

/** SHA-256 digests of the current keys, and when they must be read again. */
let cache: { readonly digests: Buffer[]; readonly expiresAt: number } | undefined;

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> {
  const presented = event.headers?.['x-api-key'] ?? event.identitySource?.[0];
  if (!presented) {
    return { isAuthorized: false };
  }
  const digests = await currentKeyDigests();
  const candidate = sha256(presented);
  // Compare with every key, without stopping at a match, so the timing says nothing about which key matched.
  let isAuthorized = false;
  for (const digest of digests) {
    isAuthorized = timingSafeEqual(candidate, digest) || isAuthorized;
  }
  return { isAuthorized };
}

async function currentKeyDigests(): Promise<Buffer[]> {
  const now = Date.now();
  if (cache && now < cache.expiresAt) {
    return cache.digests;
  }
  const secretId = process.env.API_KEY_SECRET_ARN;
  if (!secretId) {
    throw new Error('API_KEY_SECRET_ARN is not set: deploy this function with HttpApiKeyAuthorizer, which sets it');
  }
  let secretString: string | undefined;
  try {
    secretString = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    console.error('Cannot read the API key secret', { secretId, error: errorSummary(error) });
    throw error;
  }
  const keys = (secretString ?? '').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  if (keys.length === 0) {
    console.error('The API key secret holds no key', { secretId });
    throw new Error(`The API key secret ${secretId} holds no key: store one key per line in its SecretString`);
  }
  const digests = keys.map(sha256);
  cache = { digests, expiresAt: now + KEY_CACHE_TTL_MS };
  return digests;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Name and message only: an SDK error carries request metadata, never the secret value. */
function errorSummary(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
