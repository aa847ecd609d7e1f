import { IAspect, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGED, acknowledge, nagResourceName } from './acknowledgements';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';

/** Props for `ManageConnectionsGrants`. */
export interface ManageConnectionsGrantsProps {
  /**
   * The environment variable that gets the stage's callback URL (the `@connections` endpoint).
   * @default 'WEBSOCKET_CALLBACK_URL'
   */
  readonly environmentVariable?: string;
  /**
   * Whether to grant, or only report functions that cannot post to their callers.
   * @default AspectMode.APPLY
   */
  readonly mode?: AspectMode;
}

const ACTION = 'execute-api:ManageConnections';

/**
 * Lets every Lambda function behind a WebSocket route post to the connections of its own stage: a grant
 * scoped to `<api>/<stage>/POST/@connections/*` and the stage's callback URL in an environment variable.
 * Visits `WebSocketStage`s, plain aws-cdk-lib or `ServiceWebSocketApi`'s.
 */
export class ManageConnectionsGrants implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly environmentVariable: string;

  constructor(props: ManageConnectionsGrantsProps = {}) {
    this.mode = props.mode ?? AspectMode.APPLY;
    this.priority = priorityOf(this.mode);
    this.environmentVariable = props.environmentVariable ?? 'WEBSOCKET_CALLBACK_URL';
    if (!Token.isUnresolved(this.environmentVariable) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.environmentVariable)) {
      throw new Error(`Environment variable name "${this.environmentVariable}" is not valid for Lambda: use letters, digits and "_", starting with a letter, e.g. "WEBSOCKET_CALLBACK_URL".`);
    }
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof apigwv2.WebSocketStage)) return;
    const stack = Stack.of(node);
    const postArn = stack.formatArn({
      service: 'execute-api',
      resource: node.api.apiId,
      resourceName: `${node.stageName}/POST/@connections/*`,
    });
    for (const fn of routeFunctionsOf(node.api)) {
      if (this.mode === AspectMode.APPLY) {
        iam.Grant.addToPrincipal({ grantee: fn, actions: [ACTION], resourceArns: [postArn] });
        fn.addEnvironment(this.environmentVariable, node.callbackUrl);
        acknowledge(fn, ACKNOWLEDGED.connectionsWildcard, nagResourceName(node, postArn));
      } else if (!canManageConnections(fn)) {
        reportFinding(fn, 'manage-connections', `Function behind WebSocket stage "${node.stageName}" has no ${ACTION} permission, so it cannot post to its callers. Call stage.grantManagementApiAccess(fn), or add the ManageConnectionsGrants aspect in apply mode.`);
      }
    }
  }
}

/** The Lambda functions (in the API's stack) that some AWS_PROXY integration of `api` invokes. */
function routeFunctionsOf(api: apigwv2.IWebSocketApi): lambda.Function[] {
  const all = Stack.of(api).node.findAll();
  const uris = all
    .filter(apigwv2.CfnIntegration.isCfnIntegration)
    .filter((i) => i.apiId === api.apiId && typeof i.integrationUri === 'string')
    .map((i) => i.integrationUri!);
  return all
    .filter((c): c is lambda.Function => c instanceof lambda.Function)
    .filter((fn) => uris.some((uri) => uri.includes(fn.functionArn)));
}

/** Whether the function's role policy allows `execute-api:ManageConnections` on anything. */
function canManageConnections(fn: lambda.Function): boolean {
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return false;
  const document = Stack.of(fn).resolve(policy.document.toJSON()) as { Statement?: Array<{ Action?: string | string[] }> };
  return (document.Statement ?? []).some((s) => ([] as string[]).concat(s.Action ?? []).includes(ACTION));
}
