import { Duration, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * cdk-nag 3 findings on an authorizer function that are acknowledged rather than fixed, with the reason for each.
 * They are recorded with aws-cdk-lib's own `Validations.of(c).acknowledge()` (construct metadata
 * `aws:cdk:acknowledged-rules`), which cdk-nag 3 reads, so cdk-nag stays a dev dependency.
 */
const ACKNOWLEDGED_AUTHORIZER_FUNCTION_RULES: ReadonlyArray<{ id: string; reason: string }> = [
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole is the AWS managed policy that only lets the function write its CloudWatch logs.',
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
  },
  {
    id: 'Serverless-LambdaDLQ',
    reason: 'API Gateway invokes the authorizer synchronously; a dead-letter queue only receives failed asynchronous invocations.',
  },
];

/** A function class that projen generates for a bundled `*.lambda.ts` handler. */
type BundledFunctionClass<F extends lambda.Function> = new (scope: Construct, id: string, props: lambda.FunctionOptions) => F;

/** What `newAuthorizerFunction` creates. */
export interface AuthorizerFunction<F extends lambda.Function> {
  readonly handler: F;
  readonly logGroup: logs.LogGroup;
}

/**
 * Creates the bundled authorizer function `functionClass` under `scope` as cdk-nag's AwsSolutions and Serverless
 * packs ask (latest Node.js runtime, explicit memory and timeout, X-Ray tracing, JSON logs to a log group with a
 * retention), with the findings that do not apply to an authorizer acknowledged.
 */
export function newAuthorizerFunction<F extends lambda.Function>(
  scope: Construct,
  functionClass: BundledFunctionClass<F>,
  environment: { [name: string]: string },
  logRetention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
): AuthorizerFunction<F> {
  const logGroup = new logs.LogGroup(scope, 'LogGroup', { retention: logRetention });
  const handler = new functionClass(scope, 'Function', {
    // runtime: the generated class's determineLatestNodeRuntime() (nodejs24.x in aws-cdk-lib 2.276, in every
    // region), which is what cdk-nag's LambdaLatestVersion rules expect.
    memorySize: 256,
    timeout: Duration.seconds(10),
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    logGroup,
    environment,
  });
  Validations.of(handler).acknowledge(...ACKNOWLEDGED_AUTHORIZER_FUNCTION_RULES);
  return { handler, logGroup };
}
