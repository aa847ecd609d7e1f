import * as http from 'http';
import { FunctionModel } from './api-model';
import { listen, Listening } from './listen';
import { hostNotAllowed, isAllowedHost } from './loopback-host';

/** A running local Secrets Manager endpoint. */
export type SecretsManagerEndpoint = Listening;

/** The environment variable through which `HttpApiKeyAuthorizer` tells its function the secret holding the keys. */
export const API_KEY_SECRET_ENV = 'API_KEY_SECRET_ARN';

/** The ids of the API-key secrets, as the functions see them (`API_KEY_SECRET_ARN`). */
export function apiKeySecretIds(functions: Iterable<FunctionModel>): string[] {
  return [...new Set([...functions].map(fn => fn.environment[API_KEY_SECRET_ENV]).filter((id): id is string => !!id))];
}

/**
 * The secret value served for the API-key secrets, in HttpApiKeyAuthorizer's format: the keys, one per line.
 */
export function localSecretString(keys: string[]): string {
  return keys.join('\n');
}

/**
 * Serves Secrets Manager's `GetSecretValue` (JSON 1.1 protocol, as SDK v3 calls it) on loopback, answering the
 * API-key secrets (by ARN, or by name) with the local API keys, and any other secret id as Secrets Manager does
 * when a secret does not exist: 400 `ResourceNotFoundException`
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html). Functions reach it
 * through `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
export async function startSecretsManagerEndpoint(keys: string[], secretIds: string[], host: string): Promise<SecretsManagerEndpoint> {
  const known = new Set(secretIds.flatMap(id => [id, secretName(id)]));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (!isAllowedHost(req.headers.host, host)) {
        return reply(403, { __type: 'AccessDeniedException', message: hostNotAllowed(req.headers.host) });
      }
      let input: any;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf-8') || '{}');
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'Request body is not JSON' });
      }
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return reply(400, { __type: 'InvalidRequestException', message: `The local Secrets Manager only serves GetSecretValue, not ${req.headers['x-amz-target']}` });
      }
      const id = String(input.SecretId ?? '');
      if (!known.has(id)) {
        return reply(400, { __type: 'ResourceNotFoundException', message: 'Secrets Manager can\'t find the specified secret.' });
      }
      return reply(200, {
        ARN: id.startsWith('arn:') ? id : secretIds.find(candidate => secretName(candidate) === id),
        Name: secretName(id),
        SecretString: localSecretString(keys),
        VersionId: 'local',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      });
    });
  });
  return listen(server, host);
}

/** The name in a secret ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`), else the id itself. */
function secretName(id: string): string {
  const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{5,6}$/.exec(id);
  return arn ? arn[1] : id;
}
