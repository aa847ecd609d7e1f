import { IdentityRequest } from './lambda-authorizer';

/**
 * API Gateway's answer (403) to an unsigned request for an `AWS_IAM` route: "If the API request isn't signed, then
 * you receive the following error: Missing Authentication Token."
 * (https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch)
 */
export const MISSING_AUTHENTICATION_TOKEN = 'Missing Authentication Token';

/** `Authorization: AWS4-HMAC-SHA256 Credential=<access key>/<date>/<region>/<service>/aws4_request, ...` */
const SIGNED_HEADER = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//;

/**
 * The access key a SigV4-signed request names, in its `Authorization` header or, for a presigned URL (how
 * WebSocket clients sign `$connect`), in `X-Amz-Credential`; undefined when the request is not signed. The
 * signature itself is NOT verified: the emulator has no IAM to check it against.
 */
export function sigV4AccessKey(request: IdentityRequest): string | undefined {
  const header = SIGNED_HEADER.exec(request.headers.authorization ?? '');
  if (header) {
    return header[1];
  }
  const { query } = request;
  const presigned = query['X-Amz-Algorithm'] === 'AWS4-HMAC-SHA256' && query['X-Amz-Signature'] ? query['X-Amz-Credential'] : undefined;
  return presigned?.split('/')[0] || undefined;
}

/**
 * The caller of an IAM-authorized HTTP route, as payload format 2.0 gives it in `requestContext.authorizer.iam`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html). Only the
 * access key comes from the request; the account is the API's and the user is named after the key.
 */
export function httpIamContext(accessKey: string, account: string) {
  return {
    iam: {
      accessKey,
      accountId: account,
      callerId: accessKey,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: localUserArn(accessKey, account),
      userId: accessKey,
    },
  };
}

/**
 * The caller of an IAM-authorized WebSocket `$connect`, as WebSocket events give it in `requestContext.identity`
 * (IAM authorization there works as for REST APIs:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html).
 */
export function webSocketIamIdentity(accessKey: string, account: string) {
  return { accessKey, accountId: account, caller: accessKey, user: accessKey, userArn: localUserArn(accessKey, account) };
}

function localUserArn(accessKey: string, account: string): string {
  return `arn:aws:iam::${account}:user/${accessKey}`;
}
