/**
 * Custom resource handler behind `ApiGatewayCloudWatchRole`: gives API Gateway's account settings (one per account
 * and region) a CloudWatch role when, and only when, none is set, so that WebSocket stages can log.
 *
 * - Create / Update: `GetAccount`; if it names no `cloudwatchRoleArn`, `UpdateAccount` sets the role in the
 *   `RoleArn` property. A role already set, by anyone, is left as it is.
 * - Delete: nothing. The setting (and the role, which the stack retains) stay, so other APIs keep logging.
 *
 * It answers CloudFormation itself (the custom resource response protocol) and always answers, SUCCESS or FAILED,
 * so a stack never waits an hour for it. It uses the Lambda runtime's own `@aws-sdk/client-api-gateway`.
 */
import { APIGatewayClient, BadRequestException, GetAccountCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';

/**
 * IAM is eventually consistent: for some seconds after the role is created API Gateway refuses it with "The role
 * ARN does not have required permissions set to API Gateway" (aws/aws-cdk#2194). `UpdateAccount` is tried again
 * on that error, `SET_ATTEMPTS` times, `RETRY_DELAY_MS` apart (within the function's 2-minute timeout).
 */
export const SET_ATTEMPTS = 12;
export const RETRY_DELAY_MS = 5_000;

const client = new APIGatewayClient({});

/** What the custom resource returns (`Fn::GetAtt` names). */
export interface CloudWatchRoleResult {
  /** The role the account uses now. */
  readonly CloudWatchRoleArn: string;
  /** 'true' when this request set it, 'false' when one was set already. */
  readonly RoleSet: string;
}

/** Sets `roleArn` as the account's CloudWatch role unless one is set. */
export async function ensureCloudWatchRole(roleArn: string,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<CloudWatchRoleResult> {
  const current = (await client.send(new GetAccountCommand({}))).cloudwatchRoleArn;
  if (current) {
    console.log(JSON.stringify({ message: 'API Gateway account already has a CloudWatch role; left as it is', cloudwatchRoleArn: current }));
    return { CloudWatchRoleArn: current, RoleSet: 'false' };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }] }));
      console.log(JSON.stringify({ message: 'API Gateway account had no CloudWatch role; set it', cloudwatchRoleArn: roleArn, attempt }));
      return { CloudWatchRoleArn: roleArn, RoleSet: 'true' };
    } catch (error) {
      if (!(error instanceof BadRequestException) || attempt >= SET_ATTEMPTS) throw error;
      console.log(JSON.stringify({ message: 'API Gateway refused the role (IAM not consistent yet?); trying again', error: error.message, attempt }));
      await sleep(RETRY_DELAY_MS);
    }
  }
}

export async function handler(event: CloudFormationCustomResourceEvent, context: { logStreamName: string }): Promise<void> {
  const response: CloudFormationCustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: event.RequestType === 'Create' ? `${event.LogicalResourceId}-${event.RequestId}` : event.PhysicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    if (event.RequestType !== 'Delete') {
      Object.assign(response, { Data: await ensureCloudWatchRole(String(event.ResourceProperties.RoleArn)) });
    }
  } catch (error) {
    Object.assign(response, { Status: 'FAILED', Reason: `${(error as Error).message} (log stream ${context.logStreamName})`.slice(0, 1000) });
  }
  // To the pre-signed S3 URL, with no content type and at most 4096 bytes
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html).
  const answer = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body: JSON.stringify(response) });
  if (!answer.ok) throw new Error(`CloudFormation did not take the response: HTTP ${answer.status}`);
}
