import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { AspectMode } from './aspect-mode';
import { reportFinding } from './findings';

/** Options for `ensureUsagePlan`. */
export interface UsagePlanOptions {
  readonly mode: AspectMode;
  /** Requests per second one API key may make; default 50. */
  readonly rateLimit?: number;
  /** Burst of requests one API key may make; default 100. */
  readonly burstLimit?: number;
}

/**
 * Makes sure a WebSocket stage is in a usage plan, without which no API key can connect: in apply mode, unless
 * one (ours or aws-cdk-lib's `UsagePlan`) already holds it, a throttled usage plan with one API key whose id is a
 * stack output; in audit mode, an error when none does.
 */
export function ensureUsagePlan(stage: apigwv2.WebSocketStage, options: UsagePlanOptions): void {
  const apiId = stage.api.apiId;
  // Resolved, because aws-cdk-lib's own UsagePlan renders its stages lazily.
  const stack = Stack.of(stage);
  const wanted = JSON.stringify(stack.resolve({ apiId, stage: stage.stageName }));
  const planned = stack.node.findAll().some((c) => apigw.CfnUsagePlan.isCfnUsagePlan(c)
    && ([] as apigw.CfnUsagePlan.ApiStageProperty[]).concat(stack.resolve(c.apiStages) ?? [])
      .some((s) => JSON.stringify({ apiId: s.apiId, stage: s.stage }) === wanted));
  if (planned) return;
  if (options.mode === AspectMode.AUDIT) {
    reportFinding(stage, 'api-key', `WebSocket stage "${stage.stageName}" is in no usage plan, so no API key can connect to it. Add a usage plan with an API key for it.`);
    return;
  }
  const plan = new apigw.CfnUsagePlan(stage, 'UsagePlan', {
    description: `API keys for WebSocket stage ${stage.stageName}`,
    apiStages: [{ apiId, stage: stage.stageName }],
    throttle: { rateLimit: options.rateLimit ?? 50, burstLimit: options.burstLimit ?? 100 },
  });
  plan.addResourceDependency(stage.node.defaultChild as CfnResource);
  const key = new apigw.CfnApiKey(stage, 'ApiKey', { enabled: true, description: `Client key for WebSocket stage ${stage.stageName}` });
  new apigw.CfnUsagePlanKey(stage, 'UsagePlanKey', { keyId: key.ref, keyType: 'API_KEY', usagePlanId: plan.ref });
  new CfnOutput(stage, 'ApiKeyId', {
    value: key.ref,
    description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <this id>',
  });
}
