import { Annotations, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGED, acknowledge, nagResourceName } from './acknowledgements';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';
import { apiOf } from '../mixins/api-lookup';

/** Props for `ManageConnectionsGrants`. */
export interface ManageConnectionsGrantsProps {
  /**
   * The environment variable that gets the stage's callback URL (the `@connections` endpoint), on functions behind
   * exactly one WebSocket stage.
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

/** The WebSocket stages of an app, and the functions behind the routes of each stage's API. */
interface StageIndex {
  readonly functionsByStage: Map<apigwv2.WebSocketStage, lambda.IFunction[]>;
  /** Per function whose environment gets the callback URL, every stage it serves. */
  readonly stagesByFunction: Map<lambda.Function, apigwv2.WebSocketStage[]>;
}

/**
 * Lets every Lambda function (alias or version included) behind a WebSocket route manage the connections of its
 * stages, with aws-cdk-lib's `stage.grantManagementApiAccess(fn)`: POST, GET and DELETE on
 * `<api>/<stage>/<method>/@connections/*`, nothing wider. A function behind exactly one stage also gets that
 * stage's callback URL in an environment variable; one behind several stages gets none (one value cannot name the
 * caller's stage: derive it from the event's `requestContext`) and an info annotation saying so. A function that
 * cannot be granted here (imported, or with its role in another stack) gets a warning annotation naming it.
 * Visits `WebSocketStage`s, plain aws-cdk-lib or `ServiceWebSocketApi`'s.
 */
export class ManageConnectionsGrants implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly environmentVariable: string;
  private readonly indexes = new WeakMap<IConstruct, StageIndex>();

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
    const index = this.indexOf(node.node.root);
    for (const fn of index.functionsByStage.get(node) ?? []) {
      const why = whyNotGrantable(fn, node);
      if (why !== undefined) {
        Annotations.of(fn).addWarningV2('projen-api-service:manage-connections-ungrantable', `Function ${fn.node.path} is behind WebSocket `
          + `stage "${node.stageName}" (${node.node.path}) but cannot be granted ${ACTION} here: ${why}. Give its role ${ACTION} `
          + 'on this stage\'s @connections where the role is defined, or it cannot post to its callers.');
      } else if (this.mode === AspectMode.APPLY) {
        this.grant(fn, node, index);
      } else if (!canManageConnections(fn.role!)) {
        reportFinding(fn, 'manage-connections', `Function behind WebSocket stage "${node.stageName}" has no ${ACTION} permission, so it cannot post to its callers. Call stage.grantManagementApiAccess(fn), or add the ManageConnectionsGrants aspect in apply mode.`);
      }
    }
  }

  private grant(fn: lambda.IFunction, stage: apigwv2.WebSocketStage, index: StageIndex): void {
    const grant = stage.grantManagementApiAccess(fn);
    for (const statement of grant.principalStatements) {
      for (const arn of statement.resources) acknowledge(fn.role!, ACKNOWLEDGED.connectionsWildcard, nagResourceName(stage, arn));
    }
    const target = environmentOf(fn);
    const stages = target === undefined ? [] : index.stagesByFunction.get(target)!;
    if (stages.length === 1) {
      target!.addEnvironment(this.environmentVariable, stage.callbackUrl);
    } else if (stages[0] === stage) {
      Annotations.of(target!).addInfo(`Function ${target!.node.path} is behind ${stages.length} WebSocket stages (${stages.map((s) => s.stageName).join(', ')}), `
        + `so ${this.environmentVariable} is not set: one value cannot name the caller's stage. Build the @connections endpoint from the event: `
        + '`https://${event.requestContext.domainName}/${event.requestContext.stage}`.');
    }
  }

  /** The stages of the app and the functions behind them, built on the first stage visited. */
  private indexOf(root: IConstruct): StageIndex {
    let index = this.indexes.get(root);
    if (index !== undefined) return index;
    const all = root.node.findAll();
    const integrations = all.filter(apigwv2.CfnIntegration.isCfnIntegration);
    const functions = all.filter((c): c is lambda.FunctionBase => c instanceof lambda.FunctionBase && !(c instanceof lambda.SingletonFunction));
    index = { functionsByStage: new Map(), stagesByFunction: new Map() };
    for (const stage of all.filter((c): c is apigwv2.WebSocketStage => c instanceof apigwv2.WebSocketStage)) {
      const uris = integrations
        .filter((i) => i.apiId === stage.api.apiId || apiOf(i) === stage.api.node.defaultChild)
        .map((i) => i.integrationUri)
        .filter((uri): uri is string => typeof uri === 'string');
      const behind = functions.filter((fn) => uris.some((uri) => uri.includes(fn.functionArn)));
      index.functionsByStage.set(stage, behind);
      for (const target of new Set(behind.map(environmentOf))) {
        if (target !== undefined) index.stagesByFunction.set(target, [...index.stagesByFunction.get(target) ?? [], stage]);
      }
    }
    this.indexes.set(root, index);
    return index;
  }
}

/** Why `fn` cannot be granted in the stage's stack, or undefined when it can. */
function whyNotGrantable(fn: lambda.IFunction, stage: apigwv2.WebSocketStage): string | undefined {
  if (fn.role === undefined) return 'it is imported without a role';
  const roleStack = Stack.of(fn.role);
  const stageStack = Stack.of(stage);
  if (roleStack !== stageStack) return `its role is in stack ${roleStack.stackName}, the stage in stack ${stageStack.stackName}`;
  return undefined;
}

/** The function whose environment a function, alias or version runs with, when it is one defined in this app. */
function environmentOf(fn: lambda.IFunction): lambda.Function | undefined {
  const base = fn instanceof lambda.QualifiedFunctionBase ? fn.lambda : fn;
  return base instanceof lambda.Function ? base : undefined;
}

/** Whether the role's default policy allows `execute-api:ManageConnections` on anything. */
function canManageConnections(role: iam.IRole): boolean {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return false;
  const document = Stack.of(role).resolve(policy.document.toJSON()) as { Statement?: Array<{ Action?: string | string[] }> };
  return (document.Statement ?? []).some((s) => ([] as string[]).concat(s.Action ?? []).includes(ACTION));
}
