import { App, Aspects, Fn, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Finding, Flavour, serviceStack, synthWithChecks } from './service-fixture';
import { nagResourceName } from '../../src/aspects/acknowledgements';
import { ApiKeyEnforcement, ApiKeyEnforcementProps } from '../../src/aspects/api-key-enforcement';
import { AspectMode } from '../../src/aspects/aspect-mode';
import { ManageConnectionsGrants } from '../../src/aspects/manage-connections-grants';

describe('nagResourceName', () => {
  const stack = new Stack(new App(), 'Stack');

  test.each([
    ['a plain string as it is', 'arn:aws:s3:::bucket', 'arn:aws:s3:::bucket'],
    ['a Ref as <LogicalId>', Token.asString({ Ref: 'MyApi' }), '<MyApi>'],
    ['a pseudo parameter as <AWS::Name>', Token.asString({ Ref: 'AWS::Region' }), '<AWS::Region>'],
    ['a GetAtt as <LogicalId.Attribute>', Fn.getAtt('MyFn', 'Arn').toString(), '<MyFn.Arn>'],
    ['a Join with its delimiter', Fn.join(',', ['a', Token.asString({ Ref: 'B' })]), 'a,<B>'],
    ['a string with embedded tokens', `${Fn.getAtt('MyFn', 'Arn')}/invocations`, '<MyFn.Arn>/invocations'],
  ])('renders %s', (_, arn, expected) => {
    expect(nagResourceName(stack, arn)).toBe(expected);
  });

  test('renders a formatted ARN as cdk-nag names it', () => {
    const arn = stack.formatArn({ service: 'execute-api', resource: Token.asString({ Ref: 'Ws' }), resourceName: 'prod/POST/@connections/*' });

    expect(nagResourceName(stack, arn)).toBe('arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Ws>/prod/POST/@connections/*');
  });
});

/** The reference service's functions behind the WebSocket API, and the routes of its APIs. */
const WEBSOCKET_POLICIES = ['Socket', 'SendMessage'].map((id) => `Service/${id}/ServiceRole/DefaultPolicy/Resource`);
const WEBSOCKET_ROUTES = ['$connect', '$disconnect', '$default', 'sendmessage'].map((key) => `Service/Ws/${key}-Route/Resource`);

/** Paths of the findings of `rule`, e.g. `AwsSolutions-IAM5` or `AwsSolutions-IAM5[Resource::...]`. */
function pathsOf(findings: Finding[], rule: string): string[] {
  return findings.filter((f) => f.rule === rule || f.rule.startsWith(`${rule}[`)).map((f) => f.path);
}

function connectionsFinding(stack: Stack): string {
  const api = stack.node.findChild('Ws').node.defaultChild as apigwv2.CfnApi;
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:eu-west-1:123456789012:<${stack.getLogicalId(api)}>/prod/*/@connections/*]`;
}

/** Runs cdk-nag over the reference service, with the two aspects or with `build`'s changes instead. */
function nagFindings(flavour: Flavour, build: (stack: Stack) => void): { stack: Stack; findings: Finding[] } {
  let stack!: Stack;
  const findings = synthWithChecks((app) => {
    stack = serviceStack(flavour, undefined, app);
    build(stack);
  });
  return { stack, findings };
}

function withAspects(props?: ApiKeyEnforcementProps) {
  return (stack: Stack) => {
    for (const aspect of [new ManageConnectionsGrants({ mode: props?.mode }), new ApiKeyEnforcement(props)]) {
      Aspects.of(stack).add(aspect, { priority: aspect.priority });
    }
  };
}

/** The grant ManageConnectionsGrants gives, made by hand, so without its acknowledgement. */
function sameGrantsByHand(stack: Stack): void {
  const api = stack.node.findChild('Ws');
  const stage = (stack.node.tryFindChild('WsStage') ?? api.node.findChild('Stage')) as apigwv2.WebSocketStage;
  for (const id of ['Socket', 'SendMessage']) stage.grantManagementApiAccess(stack.node.findChild(id) as lambda.Function);
}

describe.each<Flavour>(['plain', 'wrappers'])('cdk-nag acknowledgements, %s APIs', (flavour) => {
  test('without the aspects, WebSocket and HTTP routes and a hand-made @connections/* grant are findings', () => {
    const { stack, findings } = nagFindings(flavour, sameGrantsByHand);

    const routes = pathsOf(findings, 'AwsSolutions-APIG4');
    expect(routes).toEqual(expect.arrayContaining(WEBSOCKET_ROUTES));
    expect(routes.filter((path) => path.startsWith('Service/Http/'))).toHaveLength(3);
    expect(pathsOf(findings, connectionsFinding(stack)).sort()).toEqual([...WEBSOCKET_POLICIES].sort());
  });

  test('with ManageConnectionsGrants and ApiKeyEnforcement, none of them is', () => {
    const { findings } = nagFindings(flavour, withAspects());

    expect(pathsOf(findings, 'AwsSolutions-APIG4')).toEqual([]);
    expect(pathsOf(findings, 'AwsSolutions-IAM5')).toEqual([]);
    expect(findings.length).toBeGreaterThan(0); // the checks did run: the stages still lack access logs
  });

  test('in audit mode, which leaves $connect open, the other WebSocket routes stay findings', () => {
    const { findings } = nagFindings(flavour, withAspects({ mode: AspectMode.AUDIT }));

    expect(pathsOf(findings, 'AwsSolutions-APIG4')).toEqual(expect.arrayContaining(WEBSOCKET_ROUTES));
  });

  test('with a $connect protected by its own authorizer, no WebSocket route is a finding', () => {
    const { findings } = nagFindings(flavour, (stack) => {
      const connect = stack.node.findChild('Ws').node.findChild('$connect-Route').node.defaultChild as apigwv2.CfnRoute;
      connect.authorizationType = 'AWS_IAM';
      withAspects()(stack);
    });

    expect(pathsOf(findings, 'AwsSolutions-APIG4').filter((path) => path.startsWith('Service/Ws/'))).toEqual([]);
  });

  test('an HTTP route in publicRoutes is acknowledged, not a finding', () => {
    const { findings } = nagFindings(flavour, withAspects({ publicRoutes: ['GET /books'] }));

    expect(pathsOf(findings, 'AwsSolutions-APIG4')).toEqual([]);
  });
});
