import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, HttpUrlIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { ApiServiceDefaults, ApiServiceDefaultsProps, ServiceDomainName, ServiceHttpApi, ServiceUserPool, ServiceWebSocketApi } from '../../src';

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

/**
 * A plain HTTP API with open routes (`GET /books`, `POST /books`, `GET /health`, and `OPTIONS /books` behind the
 * Lambda function), an IAM-authorized `GET /admin`, an `OPTIONS /preflight` to a URL, and an L1 `GET /raw`; and a
 * plain WebSocket API with `$connect`, `$default` and `sendmessage` on stage `live`.
 */
export function plainStack(): Stack {
  const stack = new Stack(new App(), 'Stack');
  const integration = new HttpLambdaIntegration('Books', testFunction(stack, 'Books'), { scopePermissionToRoute: false });
  const http = new apigwv2.HttpApi(stack, 'Http');
  http.addRoutes({ path: '/books', methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST, apigwv2.HttpMethod.OPTIONS], integration });
  http.addRoutes({ path: '/health', methods: [apigwv2.HttpMethod.GET], integration });
  http.addRoutes({ path: '/admin', methods: [apigwv2.HttpMethod.GET], integration, authorizer: new HttpIamAuthorizer() });
  http.addRoutes({ path: '/preflight', methods: [apigwv2.HttpMethod.OPTIONS], integration: new HttpUrlIntegration('Url', 'https://backend.example.com') });
  new apigwv2.CfnRoute(http, 'RawRoute', { apiId: http.apiId, routeKey: 'GET /raw', target: (http.node.findChild('GET--books').node.defaultChild as apigwv2.CfnRoute).target });
  const socket = new WebSocketLambdaIntegration('Socket', testFunction(stack, 'Socket'));
  const ws = new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration: socket }, defaultRouteOptions: { integration: socket } });
  ws.addRoute('sendmessage', { integration: socket });
  new apigwv2.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'live' });
  return stack;
}

/** Whether the stack is built from our wrappers or from plain aws-cdk-lib constructs. */
export type Flavour = 'wrappers' | 'plain';

/** What the reference service has besides its two APIs. */
export interface ServiceOptions {
  /** A `ServiceUserPool` (`Users`), passed to `defaults` when that is a function. */
  readonly userPool?: boolean;
  /**
   * A custom domain for each API (`ServiceDomainName`, with a hosted zone): `tls`, or `mtls` for mutual TLS on the
   * HTTP API's domain (whose execute-api endpoint is then disabled; WebSocket APIs cannot have mutual TLS).
   */
  readonly domain?: 'tls' | 'mtls';
}

/**
 * Builds the reference service in a new stack; `defaults` undefined leaves `ApiServiceDefaults` out, and a
 * function gets the stack's `ServiceUserPool`.
 */
export function serviceStack(
  flavour: Flavour,
  defaults?: ApiServiceDefaultsProps | ((users?: ServiceUserPool) => ApiServiceDefaultsProps),
  app = new App(),
  options: ServiceOptions = {},
): Stack {
  const stack = new Stack(app, 'Service', { env: { account: '123456789012', region: 'eu-west-1' } });
  const fn = (id: string) => testFunction(stack, id);
  const books = fn('Books');
  const socket = fn('Socket');
  const users = options.userPool ? new ServiceUserPool(stack, 'Users') : undefined;
  const domain = (id: string, domainName: string, mtls = false) => new ServiceDomainName(stack, id, {
    domainName, hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com', mtlsTruststoreUri: mtls ? 's3://truststores-example/ca.pem' : undefined,
  });
  const httpDomain = options.domain ? domain('HttpDomain', 'api.example.com', options.domain === 'mtls') : undefined;
  const httpProps: apigwv2.HttpApiProps = {
    defaultDomainMapping: httpDomain?.domainMapping(),
    disableExecuteApiEndpoint: httpDomain?.mutualTls || undefined,
  };
  let stage: apigwv2.WebSocketStage;
  if (flavour === 'wrappers') {
    const http = new ServiceHttpApi(stack, 'Http', httpProps);
    HTTP_ROUTES.forEach((key) => http.addLambdaRoute(key, books));
    const ws = new ServiceWebSocketApi(stack, 'Ws', { connectHandler: socket, disconnectHandler: socket, defaultHandler: socket });
    ws.addLambdaRoute('sendmessage', fn('SendMessage'));
    stage = ws.stage;
  } else {
    const http = new apigwv2.HttpApi(stack, 'Http', httpProps);
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
    stage = new apigwv2.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'prod', autoDeploy: true });
  }
  if (options.domain) domain('WsDomain', 'ws.example.com').mapWebSocketStage(stage);
  if (defaults) {
    const aspect = new ApiServiceDefaults(typeof defaults === 'function' ? defaults(users) : defaults);
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

/** The logical id of the one resource of `type` with `props` (fails the test unless there is exactly one). */
export function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The properties of the one route with `routeKey`. */
export function routeProps(template: Template, routeKey: string): Record<string, any> {
  const route = 'AWS::ApiGatewayV2::Route';
  return template.findResources(route, { Properties: { RouteKey: routeKey } })[logicalIdOf(template, route, { RouteKey: routeKey })].Properties;
}
