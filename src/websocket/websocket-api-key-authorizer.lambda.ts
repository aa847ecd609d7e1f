/**
 * Lambda REQUEST authorizer for a WebSocket API's `$connect` route that hands the caller's API key to API Gateway's
 * own key check: it reads the key from the query-string parameter named in `API_KEY_QUERY_PARAMETER` (browsers
 * cannot set headers on a WebSocket) or from the `x-api-key` header, and answers Allow with the key as
 * `usageIdentifierKey`. With the API's key selection expression `$context.authorizer.usageIdentifierKey` and
 * `apiKeyRequired` on `$connect` (which `WebSocketApiKeyAuthorizer` sets), API Gateway then accepts only a key of
 * the stage's usage plan (403 otherwise) and counts it against that plan.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 *
 * No key throws `Unauthorized`, which API Gateway answers with 401. The key is never logged.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** The header API Gateway reads keys from when the selection expression is `$request.header.x-api-key`. */
const API_KEY_HEADER = 'x-api-key';

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const parameter = process.env.API_KEY_QUERY_PARAMETER;
  if (!parameter) {
    throw new Error('API_KEY_QUERY_PARAMETER is not set: deploy this function with WebSocketApiKeyAuthorizer, which sets it');
  }
  const key = event.queryStringParameters?.[parameter] || headerValue(event.headers, API_KEY_HEADER);
  if (!key) {
    throw new Error('Unauthorized');
  }
  return {
    // Not the key: the principal id shows up in access logs ($context.authorizer.principalId).
    principalId: 'api-key',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    usageIdentifierKey: key,
  };
}

/** WebSocket authorizer events keep the header names as the client sent them. */
function headerValue(headers: APIGatewayRequestAuthorizerEvent['headers'], name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] || undefined;
}
