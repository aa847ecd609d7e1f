import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import * as ts from 'typescript';

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

/**
 * The names of the properties an aws-cdk-lib props interface declares, read from its declaration file, e.g.
 * `propsOf('aws-apigatewayv2/lib/http/api.d.ts', 'HttpApiProps')`: tests that must cover every prop use it to fail
 * when aws-cdk-lib adds one.
 */
export function propsOf(declarationFile: string, interfaceName: string): string[] {
  const file = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), declarationFile);
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (declaration === undefined) throw new Error(`${interfaceName} is not declared in ${file}`);
  if (declaration.heritageClauses !== undefined) throw new Error(`${interfaceName} extends another interface: list its props too`);
  return declaration.members.map((m) => (m.name as ts.Identifier).text);
}
