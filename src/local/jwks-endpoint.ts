import * as http from 'http';
import { listen, Listening } from './listen';
import { LocalSigningKey } from './local-signing-key';

/** A running local JWKS endpoint. */
export interface JwksEndpoint extends Listening {
  /** The URL of the key set, which the functions get as `JWKS_URI`. */
  readonly jwksUri: string;
}

/** The path issuers such as Amazon Cognito and Auth0 publish their keys at. */
const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Serves the public key of the local signing key as a JWKS on 127.0.0.1, for the functions that verify tokens
 * themselves (WebSocketTokenAuthorizer's, which accepts a plain http JWKS only on loopback).
 */
export async function startJwksEndpoint(key: LocalSigningKey): Promise<JwksEndpoint> {
  const body = JSON.stringify(key.jwks);
  const server = http.createServer((req, res) => {
    const found = req.method === 'GET' && req.url === JWKS_PATH;
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(found ? body : JSON.stringify({ message: 'Not Found' }));
  });
  // Loopback whatever --host says: only the emulator's own function workers fetch it.
  const listening = await listen(server, '127.0.0.1');
  return { ...listening, jwksUri: `${listening.url}${JWKS_PATH}` };
}
