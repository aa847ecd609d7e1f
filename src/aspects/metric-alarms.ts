import { IAspect, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { IConstruct } from 'constructs';
import { HttpStageAlarms, StageAlarmOptions, StageAlarms, WebSocketStageAlarms } from '../alarms';
import { ACKNOWLEDGED, acknowledge } from './acknowledgements';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';

/** Props for `MetricAlarms`. */
export interface MetricAlarmsProps extends StageAlarmOptions {
  /**
   * An e-mail address to notify, through a new encrypted SNS topic in the stack; ignored when `alarmTopic` is given.
   * @default - no e-mail
   */
  readonly alarmEmail?: string;
  /**
   * Whether to add alarms to stages without them, or only report those stages.
   * @default AspectMode.APPLY
   */
  readonly mode?: AspectMode;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Gives every HTTP and WebSocket stage the metric alarms of `HttpStageAlarms` / `WebSocketStageAlarms`
 * (apply mode), or reports stages without alarms (audit mode). A stage that has alarms keeps them.
 */
export class MetricAlarms implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly props: MetricAlarmsProps;

  constructor(props: MetricAlarmsProps = {}) {
    if (props.alarmEmail !== undefined && !Token.isUnresolved(props.alarmEmail) && !EMAIL.test(props.alarmEmail)) {
      throw new Error(`Alarm e-mail "${props.alarmEmail}" is not an e-mail address: give one such as "oncall@example.com".`);
    }
    this.mode = props.mode ?? AspectMode.APPLY;
    this.priority = priorityOf(this.mode);
    this.props = props;
  }

  public visit(node: IConstruct): void {
    const http = node instanceof apigwv2.HttpStage;
    if (!http && !(node instanceof apigwv2.WebSocketStage)) return;
    if (StageAlarms.of(node) !== undefined) return;
    if (this.mode === AspectMode.AUDIT) {
      reportFinding(node, 'alarms', `Stage "${node.stageName}" has no metric alarms. Add HttpStageAlarms / WebSocketStageAlarms, or the MetricAlarms aspect in apply mode.`);
      return;
    }
    const options = { ...this.props, alarmTopic: this.props.alarmTopic ?? this.emailTopic(node) };
    if (http) new HttpStageAlarms(node, StageAlarms.DEFAULT_ID, { ...options, stage: node });
    else new WebSocketStageAlarms(node, StageAlarms.DEFAULT_ID, { ...options, stage: node as apigwv2.WebSocketStage });
  }

  /** One encrypted topic per stack for `alarmEmail`, shared by all its stages. */
  private emailTopic(scope: IConstruct): sns.ITopic | undefined {
    if (this.props.alarmEmail === undefined) return undefined;
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild('ApiAlarmTopic') as sns.ITopic | undefined;
    if (existing) return existing;
    const key = new kms.Key(stack, 'ApiAlarmTopicKey', {
      description: 'Encrypts the API alarm topic; CloudWatch may use it to publish alarms.',
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new sns.Topic(stack, 'ApiAlarmTopic', { masterKey: key, enforceSSL: true, displayName: 'API alarms' });
    const subscription = topic.addSubscription(new EmailSubscription(this.props.alarmEmail));
    acknowledge(subscription, ACKNOWLEDGED.alarmEmailWithoutDeadLetterQueue);
    return topic;
  }
}
