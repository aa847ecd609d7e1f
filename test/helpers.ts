import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** A fresh stack in a fresh app. */
export function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

/** A minimal inline Node.js function for routes and integrations. */
export function newFunction(scope: Construct, id = 'Fn'): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}
