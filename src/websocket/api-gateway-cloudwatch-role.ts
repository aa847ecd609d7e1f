import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { CloudwatchRoleSetterFunction } from './cloudwatch-role-setter-function';
import { apiOf } from '../mixins/api-lookup';

/** One per stack. */
const INSTANCES = new WeakMap<Stack, ApiGatewayCloudWatchRole>();

const MANAGED_POLICY = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * API Gateway's CloudWatch role, which WebSocket (and REST) stages need to log: without one in the account settings
 * (one per account and region) a stage with access logging fails to deploy with "CloudWatch Logs role ARN must be
 * set in account settings to enable logging". HTTP APIs do not need it.
 *
 * It holds a role with the `AmazonAPIGatewayPushToCloudWatchLogs` managed policy
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html), and a custom resource that
 * sets that role in the account settings only when none is set there; a role set already (by a platform team, or
 * by another stack) is never replaced. On stack deletion nothing is undone: the role is retained and the setting
 * kept, so every API of the account keeps logging.
 *
 * Why not `AWS::ApiGateway::Account`, as aws-cdk-lib's `RestApi` `cloudWatchRole` does: that resource overwrites
 * the account's role on every deploy, so each new stack replaced it and deleting one broke the logging of every API
 * in the account (aws/aws-cdk#7140, #10878, #12769). aws-cdk-lib answered by retaining the role and account
 * (`cloudWatchRoleRemovalPolicy`, default RETAIN since aws/aws-cdk#26836) and by turning `cloudWatchRole` off by
 * default (feature flag `@aws-cdk/aws-apigateway:disableCloudWatchRole`, aws/aws-cdk#21546), which leaves a fresh
 * account failing the deploy. Setting the role only where none is set fixes both; the stage depends on it as
 * aws-cdk-lib's REST stages depend on their `CfnAccount`.
 *
 * One per stack: use `ApiGatewayCloudWatchRole.of(scope)`, then `addDependent(stage)` for each stage that logs.
 */
export class ApiGatewayCloudWatchRole extends Construct {
  /** The construct id `of()` creates it with, under the stack. */
  public static readonly DEFAULT_ID = 'ApiGatewayCloudWatchRole';

  /** The stack's `ApiGatewayCloudWatchRole`, created under the stack on first use. */
  public static of(scope: IConstruct): ApiGatewayCloudWatchRole {
    const stack = Stack.of(scope);
    return INSTANCES.get(stack) ?? new ApiGatewayCloudWatchRole(stack, ApiGatewayCloudWatchRole.DEFAULT_ID);
  }

  /** The role API Gateway assumes to write logs; retained when the stack is deleted. */
  public readonly role: iam.Role;
  /** The custom resource's function. */
  public readonly handler: lambda.Function;
  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const existing = INSTANCES.get(stack);
    if (existing !== undefined) {
      throw new Error(`Stack ${stack.node.path} already has an ApiGatewayCloudWatchRole (${existing.node.path}); the account setting needs one per stack: use ApiGatewayCloudWatchRole.of(scope).`);
    }
    INSTANCES.set(stack, this);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(MANAGED_POLICY)],
      description: 'Lets API Gateway write stage logs to CloudWatch Logs (account setting cloudWatchRoleArn).',
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${MANAGED_POLICY}]`,
      reason: 'The AWS managed policy API Gateway documents for its CloudWatch role; API Gateway creates and writes its own log groups, whose names are not known in advance.',
    });

    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    const handlerRole = new iam.Role(this, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(handlerRole);
    this.handler = new CloudwatchRoleSetterFunction(this, 'Handler', {
      description: 'Sets API Gateway\'s CloudWatch role in the account settings when none is set.',
      role: handlerRole,
      memorySize: 256,
      timeout: Duration.minutes(2),
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
    });
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['apigateway:GET', 'apigateway:PATCH'],
      resources: [stack.formatArn({ service: 'apigateway', account: '', resource: '/account' })],
    }));
    this.role.grantPassRole(handlerRole);
    Validations.of(this.handler).acknowledge(
      {
        id: 'Serverless-LambdaTracing',
        reason: 'Runs once per deployment and makes two API Gateway calls; its JSON log says what it did. Tracing would need xray:PutTraceSegments and xray:PutTelemetryRecords on Resource *.',
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason: 'CloudFormation invokes it for a custom resource and waits for its answer; it answers FAILED on any error, so a dead-letter queue would only hold events the stack operation already failed. Deploy again to retry.',
      },
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.functionArn,
      resourceType: 'Custom::ApiGatewayCloudWatchRole',
      properties: { RoleArn: this.role.roleArn },
      // A handler that never answered would otherwise hold the stack for an hour.
      serviceTimeout: Duration.minutes(5),
    });
  }

  /**
   * Makes `stage` (an `IStage` or a `CfnStage`) deploy only once the account has a CloudWatch role, and this
   * setting only once the stage's API exists: "If an API Gateway resource has never been created in your AWS
   * account, you must add a dependency on another API Gateway resource"
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html).
   */
  public addDependent(stage: IConstruct): void {
    const cfnStage = apigwv2.CfnStage.isCfnStage(stage) ? stage : stage.node.defaultChild;
    if (!apigwv2.CfnStage.isCfnStage(cfnStage)) {
      throw new Error(`ApiGatewayCloudWatchRole.addDependent got ${stage.node.path}, which is not a stage: give a WebSocketStage or a CfnStage.`);
    }
    const setting = this.resource.node.defaultChild as CfnResource;
    cfnStage.addResourceDependency(setting);
    const api = apiOf(cfnStage);
    if (api !== undefined && Stack.of(api) === Stack.of(this)) setting.addResourceDependency(api);
  }
}
