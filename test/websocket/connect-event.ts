import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** The `methodArn` of a `$connect` authorizer event. */
export const CONNECT_METHOD_ARN = 'arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/$connect';

/**
 * A `$connect` event for a WebSocket REQUEST authorizer, as in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 */
export function connectEvent(query: Record<string, string> | null, headers: Record<string, string> = {}): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: CONNECT_METHOD_ARN,
    resource: '$connect',
    path: '/',
    httpMethod: 'GET',
    headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...headers },
    multiValueHeaders: {},
    pathParameters: null,
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}
