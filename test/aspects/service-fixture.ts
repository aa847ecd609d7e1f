import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { ApiServiceDefaults, ApiServiceDefaultsProps, ServiceHttpApi, ServiceWebSocketApi } from '../../src';

/** The routes of the reference service: an HTTP API and a WebSocket API. */
export const HTTP_ROUTES = ['GET /books', 'POST /books', 'GET /books/{id}'];
export const WEBSOCKET_ROUTES = ['$connect', '$disconnect', '$default', 'sendmessage'];

/**
 * A Lambda function set up as cdk-nag asks, so that findings point at the APIs and not at the test's functions;
 * the two findings about its execution role are acknowledged as test-only.
 */
export function testFunction(scope: Construct, id: string): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    memorySize: 256,
    timeout: Duration.seconds(10),
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
  });
  Validations.of(fn).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'Test function.' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'Test function: X-Ray tracing needs Resource *.' },
    { id: 'Serverless-LambdaDLQ', reason: 'Test function, invoked synchronously by API Gateway.' },
  );
  return fn;
}

/** Whether the stack is built from our wrappers or from plain aws-cdk-lib constructs. */
export type Flavour = 'wrappers' | 'plain';

/** Builds the reference service in a new stack; `defaults` undefined leaves `ApiServiceDefaults` out. */
export function serviceStack(flavour: Flavour, defaults?: ApiServiceDefaultsProps, app = new App()): Stack {
  const stack = new Stack(app, 'Service', { env: { account: '123456789012', region: 'eu-west-1' } });
  const fn = (id: string) => testFunction(stack, id);
  const books = fn('Books');
  const socket = fn('Socket');
  if (flavour === 'wrappers') {
    const http = new ServiceHttpApi(stack, 'Http');
    HTTP_ROUTES.forEach((key) => http.addLambdaRoute(key, books));
    const ws = new ServiceWebSocketApi(stack, 'Ws', { connectHandler: socket, disconnectHandler: socket, defaultHandler: socket });
    ws.addLambdaRoute('sendmessage', fn('SendMessage'));
  } else {
    const http = new apigwv2.HttpApi(stack, 'Http');
    const integration = new HttpLambdaIntegration('Books', books, { scopePermissionToRoute: false });
    for (const key of HTTP_ROUTES) {
      const [method, routePath] = key.split(' ');
      http.addRoutes({ path: routePath, methods: [method as apigwv2.HttpMethod], integration });
    }
    const socketIntegration = new WebSocketLambdaIntegration('Socket', socket);
    const ws = new apigwv2.WebSocketApi(stack, 'Ws', {
      connectRouteOptions: { integration: socketIntegration },
      disconnectRouteOptions: { integration: socketIntegration },
      defaultRouteOptions: { integration: socketIntegration },
    });
    ws.addRoute('sendmessage', { integration: new WebSocketLambdaIntegration('SendMessage', fn('SendMessage')) });
    new apigwv2.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'prod', autoDeploy: true });
  }
  if (defaults) {
    const aspect = new ApiServiceDefaults(defaults);
    Aspects.of(stack).add(aspect, { priority: aspect.priority });
  }
  return stack;
}

/** One finding of a validation plugin (CloudFormation validation or a cdk-nag pack). */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly path: string;
}

/**
 * Synthesizes `app` with CloudFormation validation as errors and cdk-nag's AwsSolutions and Serverless packs,
 * and returns every unacknowledged finding.
 */
export function synthWithChecks(build: (app: App) => void): Finding[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-service-checks-'));
  const app = new App({
    outdir,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  try {
    build(app);
    app.synth();
    const reportFile = path.join(outdir, 'validation-report.json');
    return fs.existsSync(reportFile) ? findingsOf(JSON.parse(fs.readFileSync(reportFile, 'utf8'))) : [];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function findingsOf(report: any): Finding[] {
  const findings: Finding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const construct of violation.violatingConstructs ?? []) {
        findings.push({ plugin: plugin.pluginName, rule: violation.ruleName, path: construct.constructPath });
      }
    }
  }
  return findings;
}
