import * as http from 'http';
import { AddressInfo } from 'net';

/** A running local Secrets Manager endpoint. */
export interface SecretsManagerEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The secret value served for every secret, in HttpApiKeyAuthorizer's format: the keys, one per line.
 */
export function localSecretString(keys: string[]): string {
  return keys.join('\n');
}

/**
 * Serves Secrets Manager's `GetSecretValue` (JSON 1.1 protocol, as SDK v3 calls it) on loopback, answering
 * every secret id with the local API keys. Functions reach it through `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
export async function startSecretsManagerEndpoint(keys: string[], host: string): Promise<SecretsManagerEndpoint> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
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
      const name = id.startsWith('arn:') ? id.split(':')[6] : id;
      return reply(200, {
        ARN: id.startsWith('arn:') ? id : `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-local`,
        Name: name,
        SecretString: localSecretString(keys),
        VersionId: 'local',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      });
    });
  });
  await new Promise<void>(resolve => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
