import { Annotations, AspectPriority } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AspectMode } from './aspect-mode';

/** The `AspectPriority` an aspect in `mode` runs at: mutating aspects before read-only audits. */
export function priorityOf(mode: AspectMode): number {
  return mode === AspectMode.APPLY ? AspectPriority.MUTATING : AspectPriority.READONLY;
}

/** Reports a policy finding on `node` as a synth error with a stable rule id. */
export function reportFinding(node: IConstruct, rule: string, message: string): void {
  Annotations.of(node).addError(`[projen-api-service:${rule}] ${message}`);
}
