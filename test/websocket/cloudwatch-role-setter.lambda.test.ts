import { APIGatewayClient, BadRequestException, GetAccountCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ensureCloudWatchRole, handler, SET_ATTEMPTS } from '../../src/websocket/cloudwatch-role-setter.lambda';

const ROLE = 'arn:aws:iam::111111111111:role/Service-ApiGatewayCloudWatchRole';
const OTHER_ROLE = 'arn:aws:iam::111111111111:role/platform-team-apigateway-logs';
const apiGateway = mockClient(APIGatewayClient);
const noWait = async () => {};

function event(requestType: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:setter',
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Service/1',
    RequestId: 'req-1',
    LogicalResourceId: 'ApiGatewayCloudWatchRole',
    ResourceType: 'Custom::ApiGatewayCloudWatchRole',
    ResourceProperties: { ServiceToken: 'x', RoleArn: ROLE },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'ApiGatewayCloudWatchRole-req-0', OldResourceProperties: {} }),
  } as CloudFormationCustomResourceEvent;
}

let fetchMock: jest.SpyInstance;
/** The body CloudFormation received, and how it was sent. */
function answer(): { url: string; init: RequestInit; body: Record<string, any> } {
  expect(fetchMock).toHaveBeenCalledTimes(1);
  const [url, init] = fetchMock.mock.calls[0];
  return { url, init, body: JSON.parse(init.body) };
}

beforeEach(() => {
  apiGateway.reset();
  fetchMock = jest.spyOn(global, 'fetch').mockResolvedValue(new Response(null, { status: 200 }));
  jest.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

describe('ensureCloudWatchRole', () => {
  test('sets the role when the account has none', async () => {
    apiGateway.on(GetAccountCommand).resolves({});
    apiGateway.on(UpdateAccountCommand).resolves({ cloudwatchRoleArn: ROLE });

    expect(await ensureCloudWatchRole(ROLE, noWait)).toEqual({ CloudWatchRoleArn: ROLE, RoleSet: 'true' });
    expect(apiGateway.commandCalls(UpdateAccountCommand)[0].args[0].input).toEqual({
      patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: ROLE }],
    });
  });

  test('leaves a role the account already has, whoever set it', async () => {
    apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: OTHER_ROLE });

    expect(await ensureCloudWatchRole(ROLE, noWait)).toEqual({ CloudWatchRoleArn: OTHER_ROLE, RoleSet: 'false' });
    expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(0);
  });

  test('tries again while API Gateway refuses a role IAM has not propagated yet', async () => {
    const refused = new BadRequestException({ message: 'The role ARN does not have required permissions set to API Gateway', $metadata: {} });
    apiGateway.on(GetAccountCommand).resolves({});
    apiGateway.on(UpdateAccountCommand).rejectsOnce(refused).rejectsOnce(refused).resolves({});
    const sleep = jest.fn(noWait);

    expect(await ensureCloudWatchRole(ROLE, sleep)).toEqual({ CloudWatchRoleArn: ROLE, RoleSet: 'true' });
    expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  test('throws after SET_ATTEMPTS refusals, and at once on any other error', async () => {
    apiGateway.on(GetAccountCommand).resolves({});
    apiGateway.on(UpdateAccountCommand).rejects(new BadRequestException({ message: 'refused', $metadata: {} }));
    await expect(ensureCloudWatchRole(ROLE, noWait)).rejects.toThrow('refused');
    expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(SET_ATTEMPTS);

    apiGateway.reset();
    apiGateway.on(GetAccountCommand).rejects(new Error('AccessDenied'));
    await expect(ensureCloudWatchRole(ROLE, noWait)).rejects.toThrow('AccessDenied');
  });
});

describe('handler', () => {
  test('on Create, sets the role and answers SUCCESS to the response URL, with no content type', async () => {
    apiGateway.on(GetAccountCommand).resolves({});
    apiGateway.on(UpdateAccountCommand).resolves({});

    await handler(event('Create'), { logStreamName: 'stream' });

    const { url, init, body } = answer();
    expect(url).toBe('https://cloudformation-custom-resource-response.s3.amazonaws.com/signed');
    expect(init).toMatchObject({ method: 'PUT', headers: { 'content-type': '' } });
    expect(body).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'ApiGatewayCloudWatchRole-req-1',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Service/1',
      RequestId: 'req-1',
      LogicalResourceId: 'ApiGatewayCloudWatchRole',
      Data: { CloudWatchRoleArn: ROLE, RoleSet: 'true' },
    });
  });

  test('on Update, checks again and keeps the physical id', async () => {
    apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: OTHER_ROLE });

    await handler(event('Update'), { logStreamName: 'stream' });

    expect(answer().body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'ApiGatewayCloudWatchRole-req-0', Data: { RoleSet: 'false' } });
  });

  test('on Delete, changes nothing and answers SUCCESS', async () => {
    await handler(event('Delete'), { logStreamName: 'stream' });

    expect(apiGateway.calls()).toHaveLength(0);
    expect(answer().body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'ApiGatewayCloudWatchRole-req-0' });
  });

  test('answers FAILED with the error and the log stream, so the stack does not wait', async () => {
    apiGateway.on(GetAccountCommand).rejects(new Error('User is not authorized to perform: apigateway:GET'));

    await handler(event('Create'), { logStreamName: '2030/01/01/[$LATEST]abc' });

    expect(answer().body).toMatchObject({
      Status: 'FAILED',
      Reason: 'User is not authorized to perform: apigateway:GET (log stream 2030/01/01/[$LATEST]abc)',
    });
  });

  test('throws when CloudFormation does not take the answer', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 403 }));

    await expect(handler(event('Delete'), { logStreamName: 'stream' })).rejects.toThrow('CloudFormation did not take the response: HTTP 403');
  });
});
