import * as http from 'http';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FunctionModel } from '../../src/local/api-model';
import { apiKeySecretIds, SecretsManagerEndpoint, startSecretsManagerEndpoint } from '../../src/local/secrets-manager-endpoint';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ApiKeys-local';
let endpoint: SecretsManagerEndpoint;
let client: SecretsManagerClient;
beforeAll(async () => {
  endpoint = await startSecretsManagerEndpoint(['k1', 'k2'], [ARN], '127.0.0.1');
  client = new SecretsManagerClient({ endpoint: endpoint.url, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});

test('answers the API-key secret, by ARN or name, with the local keys one per line', async () => {
  expect(await client.send(new GetSecretValueCommand({ SecretId: ARN }))).toMatchObject({ ARN, Name: 'ApiKeys', SecretString: 'k1\nk2' });
  expect(await client.send(new GetSecretValueCommand({ SecretId: 'ApiKeys' }))).toMatchObject({ ARN, SecretString: 'k1\nk2' });
});

test('answers any other secret id with ResourceNotFoundException, as Secrets Manager does', async () => {
  for (const SecretId of ['DatabasePassword', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:Other-AbCdEf']) {
    const error = await client.send(new GetSecretValueCommand({ SecretId })).catch(e => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('Secrets Manager can\'t find the specified secret.');
  }
});

test('refuses a request whose Host is not a loopback name', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const headers = { 'x-amz-target': 'secretsmanager.GetSecretValue', 'host': 'rebound.example' };
    http.request(endpoint.url, { method: 'POST', headers }, res => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', reject).end(JSON.stringify({ SecretId: ARN }));
  });
  expect(status).toBe(403);
});

test('apiKeySecretIds lists the API_KEY_SECRET_ARN values of the functions, once each', () => {
  const fn = (environment: Record<string, string>) => ({ environment } as FunctionModel);
  expect(apiKeySecretIds([fn({ API_KEY_SECRET_ARN: ARN }), fn({ API_KEY_SECRET_ARN: ARN }), fn({ OTHER: 'x' })])).toEqual([ARN]);
});
