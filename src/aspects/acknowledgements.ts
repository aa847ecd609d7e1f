import { Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { l2Of } from './route-apis';
import { apiOf } from '../mixins/api-lookup';

/**
 * The cdk-nag 3 findings this library acknowledges on resources it configures, each with its reason. They are
 * recorded with aws-cdk-lib's `Validations.of(c).acknowledge()`, which cdk-nag 3 honours.
 */
export const ACKNOWLEDGED = {
  websocketRouteWithoutAuthorizer: {
    rule: 'AwsSolutions-APIG4',
    reason: 'API Gateway allows authorizers only on a WebSocket API\'s $connect route; every later message travels on a connection that $connect already authorized.',
  },
  websocketConnectWithApiKey: {
    rule: 'AwsSolutions-APIG4',
    reason: '$connect requires an API key (apiKeyRequired, checked by API Gateway against the stage\'s usage plan).',
  },
  publicHttpRoute: {
    rule: 'AwsSolutions-APIG4',
    reason: 'Declared public on purpose: listed in publicRoutes, or given Authorization.NONE in the authorization policy.',
  },
  publicWebSocketApi: {
    rule: 'AwsSolutions-APIG4',
    reason: 'Declared public on purpose: the authorization policy gives the WebSocket API\'s $connect Authorization.NONE, so anyone may connect.',
  },
  alarmEmailWithoutDeadLetterQueue: {
    rule: 'Serverless-SNSRedrivePolicy',
    reason: 'The subscription only e-mails alarm notifications; an undelivered e-mail has nothing to replay, and the alarm state stays in CloudWatch.',
  },
  connectionsWildcard: {
    rule: 'AwsSolutions-IAM5',
    reason: 'aws-cdk-lib\'s stage.grantManagementApiAccess: WebSocket connection ids are only known at run time, so the grant must end in '
      + '@connections/*, and its method is * so the handler may POST (send), GET (read) and DELETE (disconnect); it is scoped to one API and one stage.',
  },
};

/** Acknowledges `finding` (optionally one `[Resource::...]` of it) on `node` and everything below it. */
export function acknowledge(node: IConstruct, finding: { rule: string; reason: string }, resource?: string): void {
  const id = resource === undefined ? finding.rule : `${finding.rule}[Resource::${resource}]`;
  Validations.of(node).acknowledge({ id, reason: finding.reason });
}

/**
 * Acknowledges public HTTP routes (`ACKNOWLEDGED.publicHttpRoute`), each place once. With `perApi` (when every HTTP
 * route is public), one acknowledgement on a route's `HttpApi` covers all the routes under it, as cdk-nag 3 honours
 * acknowledgements of ancestors. aws-cdk-lib captures a source-mapped stack trace for each acknowledgement: with one
 * per route, `ApiServiceDefaults` with `Authorization.NONE` took 1.75 times the synth time of the same 100 routes
 * without it, 1.29 times with one per API (README, bench:synth).
 */
export class PublicRouteAcknowledgements {
  private readonly done = new WeakSet<IConstruct>();

  constructor(private readonly options: { readonly perApi: boolean }) {}

  public acknowledge(route: apigwv2.CfnRoute): void {
    const cfnApi = this.options.perApi ? apiOf(route) : undefined;
    const api = cfnApi && l2Of(cfnApi, apigwv2.HttpApi);
    const scope = api && route.node.scopes.includes(api) ? api : route;
    if (this.done.has(scope)) return;
    this.done.add(scope);
    acknowledge(scope, ACKNOWLEDGED.publicHttpRoute);
  }
}

/**
 * Renders a (possibly tokenized) ARN the way cdk-nag names it in a finding: `Ref`s as `<LogicalId>`,
 * `Fn::GetAtt`s as `<LogicalId.Attribute>`.
 */
export function nagResourceName(scope: IConstruct, arn: string): string {
  const render = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const v = value as Record<string, any>;
    if (v.Ref !== undefined) return `<${v.Ref}>`;
    if (v['Fn::GetAtt'] !== undefined) return `<${v['Fn::GetAtt'].join('.')}>`;
    if (v['Fn::Join'] !== undefined) return v['Fn::Join'][1].map(render).join(v['Fn::Join'][0]);
    return JSON.stringify(value);
  };
  return render(Stack.of(scope).resolve(arn));
}
