import * as crypto from 'crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { RunningFixture, startAuthFixture } from './fixtures/start-fixture';
import { connect } from './fixtures/ws-client';
import { MISSING_AUTHENTICATION_TOKEN, sigV4AccessKey } from '../../src/local/iam-authorization';

// An AWS_IAM route refuses an unsigned request with 403 "Missing Authentication Token"
// (https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch); signed requests are accepted locally
// without verifying the signature. HTTP payload 2.0 gives the caller in requestContext.authorizer.iam
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html), WebSocket
// events in requestContext.identity, as REST APIs do
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html).

const ACCESS_KEY = 'AKIDLOCALTEST';

/** What the signer hashes: text or bytes. */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) => (typeof data === 'string' ? Buffer.from(data)
  : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class Sha256 {
  private readonly hash: crypto.Hash | crypto.Hmac;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const signer = new SignatureV4({
  sha256: Sha256,
  service: 'execute-api',
  region: 'us-east-1',
  credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-checked-locally' },
});

describe('sigV4AccessKey', () => {
  test('reads the access key of a signed Authorization header or of a presigned URL, and nothing else', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc`;
    expect(sigV4AccessKey({ headers: { authorization: header }, query: {} })).toBe(ACCESS_KEY);
    const presigned = { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': `${ACCESS_KEY}/20260101/us-east-1/execute-api/aws4_request`, 'X-Amz-Signature': 'abc' };
    expect(sigV4AccessKey({ headers: {}, query: presigned })).toBe(ACCESS_KEY);
    expect(sigV4AccessKey({ headers: {}, query: { ...presigned, 'X-Amz-Signature': '' } })).toBeUndefined();
    expect(sigV4AccessKey({ headers: { authorization: 'Bearer abc' }, query: {} })).toBeUndefined();
    expect(sigV4AccessKey({ headers: {}, query: {} })).toBeUndefined();
  });
});

describe('IAM authorization in the emulator', () => {
  let fixture: RunningFixture;
  let wsIamUrl: string;
  beforeAll(async () => {
    fixture = await startAuthFixture();
    wsIamUrl = `${fixture.emulator.endpoints.find(e => e.webSocketApi === 'WsIam')!.url.replace(/^http/, 'ws')}/dev`;
  });
  afterAll(() => fixture?.emulator.close());

  test('answers an unsigned request to an IAM route with 403 Missing Authentication Token', async () => {
    for (const headers of [{}, { authorization: 'Bearer abc' }] as Array<Record<string, string>>) {
      const response = await fetch(`${fixture.httpUrl}/internal`, { headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: MISSING_AUTHENTICATION_TOKEN });
    }
  });

  test('passes a SigV4-signed request (signature not verified) with the caller in requestContext.authorizer.iam', async () => {
    const url = new URL(`${fixture.httpUrl}/internal`);
    const signed = await signer.sign({
      method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host },
    });
    const response = await fetch(url, { headers: signed.headers });
    expect(signed.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
    expect(response.status).toBe(200);
    const event = await response.json() as any;
    expect(event.requestContext.authorizer).toEqual({
      iam: {
        accessKey: ACCESS_KEY,
        accountId: '123456789012',
        callerId: ACCESS_KEY,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: `arn:aws:iam::123456789012:user/${ACCESS_KEY}`,
        userId: ACCESS_KEY,
      },
    });
  });

  test('refuses an unsigned WebSocket $connect with 403', async () => {
    await expect(connect(wsIamUrl, {})).rejects.toMatchObject({ statusCode: 403 });
  });

  test('connects with a presigned URL (signature not verified), the caller in requestContext.identity', async () => {
    const url = new URL(wsIamUrl);
    const presigned = await signer.presign({
      method: 'GET', protocol: 'ws:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host },
    });
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const client = await connect(`${wsIamUrl}?${query}`, {});
    client.ws.send(JSON.stringify({ action: 'context' }));
    const context = JSON.parse(await client.next());
    client.ws.close();
    expect(context.identity).toMatchObject({
      accessKey: ACCESS_KEY, accountId: '123456789012', caller: ACCESS_KEY, user: ACCESS_KEY, userArn: `arn:aws:iam::123456789012:user/${ACCESS_KEY}`,
    });
  });
});
