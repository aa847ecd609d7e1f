import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Flavour, serviceStack, testFunction } from './service-fixture';
import { AspectMode } from '../../src/aspects/aspect-mode';
import { ManageConnectionsGrants } from '../../src/aspects/manage-connections-grants';

const ACTION = 'execute-api:ManageConnections';
/** The functions of the reference service behind the WebSocket API ($connect/$disconnect/$default, sendmessage). */
const WEBSOCKET_FUNCTIONS = ['Socket', 'SendMessage'];
/** The function behind the HTTP API only. */
const HTTP_FUNCTION = 'Books';

function addAspects(stack: Stack, ...aspects: ManageConnectionsGrants[]): Stack {
  aspects.forEach((aspect) => Aspects.of(stack).add(aspect, { priority: aspect.priority }));
  return stack;
}

function webSocketApi(stack: Stack): apigwv2.WebSocketApi {
  return stack.node.findChild('Ws') as apigwv2.WebSocketApi;
}

/** The reference service's WebSocket stage `prod`, plain or `ServiceWebSocketApi`'s. */
function prodStage(stack: Stack): apigwv2.WebSocketStage {
  return (stack.node.tryFindChild('WsStage') ?? webSocketApi(stack).node.findChild('Stage')) as apigwv2.WebSocketStage;
}

function fn(stack: Stack, id: string): lambda.Function {
  return stack.node.findChild(id) as lambda.Function;
}

function logicalId(stack: Stack, construct: lambda.Function | apigwv2.WebSocketApi | undefined): string {
  return stack.getLogicalId(construct!.node.defaultChild as any);
}

/** Every statement of the policies attached to the function's role. */
function statementsOf(stack: Stack, id: string): Array<Record<string, any>> {
  const roleRef = { Ref: logicalId(stack, fn(stack, id).role as any) };
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [roleRef] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function manageConnectionStatements(stack: Stack, id: string): Array<Record<string, any>> {
  return statementsOf(stack, id).filter((s) => [].concat(s.Action).includes(ACTION as never));
}

function environmentOf(stack: Stack, id: string): Record<string, unknown> {
  const resource = Template.fromStack(stack).toJSON().Resources[logicalId(stack, fn(stack, id))];
  return resource.Properties.Environment?.Variables ?? {};
}

/** The ARN `grantManagementApiAccess` grants (`<apiId>/<stage>/` any method `/@connections/` any id), as CloudFormation has it. */
function connectionsArn(stack: Stack, stageName: string) {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:123456789012:',
      { Ref: logicalId(stack, webSocketApi(stack)) }, `/${stageName}/*/@connections/*`,
    ]],
  };
}

function callbackUrl(stack: Stack, stageName: string) {
  return {
    'Fn::Join': ['', [
      'https://', { Ref: logicalId(stack, webSocketApi(stack)) }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, `/${stageName}`,
    ]],
  };
}

describe('ManageConnectionsGrants', () => {
  test('runs as MUTATING in apply mode and READONLY in audit mode', () => {
    expect(new ManageConnectionsGrants().priority).toBe(AspectPriority.MUTATING);
    expect(new ManageConnectionsGrants({ mode: AspectMode.AUDIT }).priority).toBe(AspectPriority.READONLY);
  });

  describe.each<Flavour>(['plain', 'wrappers'])('apply mode, %s APIs', (flavour) => {
    test.each(WEBSOCKET_FUNCTIONS)('lets %s manage the connections of its stage only, and gives it the callback URL', (id) => {
      const stack = addAspects(serviceStack(flavour), new ManageConnectionsGrants());

      expect(manageConnectionStatements(stack, id)).toEqual([
        { Action: ACTION, Effect: 'Allow', Resource: connectionsArn(stack, 'prod') },
      ]);
      expect(environmentOf(stack, id)).toMatchObject({ WEBSOCKET_CALLBACK_URL: callbackUrl(stack, 'prod') });
    });

    test('grants exactly what aws-cdk-lib\'s stage.grantManagementApiAccess grants', () => {
      const byHand = serviceStack(flavour);
      WEBSOCKET_FUNCTIONS.forEach((id) => prodStage(byHand).grantManagementApiAccess(fn(byHand, id)));

      const stack = addAspects(serviceStack(flavour), new ManageConnectionsGrants());

      for (const id of WEBSOCKET_FUNCTIONS) expect(manageConnectionStatements(stack, id)).toEqual(manageConnectionStatements(byHand, id));
    });

    test('grants no other stage and no other API', () => {
      const stack = addAspects(serviceStack(flavour), new ManageConnectionsGrants());

      const template = JSON.stringify(Template.fromStack(stack).toJSON());

      expect(template.match(/@connections/g)).toHaveLength(WEBSOCKET_FUNCTIONS.length);
      expect(template).not.toContain('*/*/@connections');
    });

    test('gives a function behind the HTTP API neither grant nor callback URL', () => {
      const stack = addAspects(serviceStack(flavour), new ManageConnectionsGrants());

      expect(manageConnectionStatements(stack, HTTP_FUNCTION)).toEqual([]);
      expect(environmentOf(stack, HTTP_FUNCTION)).not.toHaveProperty('WEBSOCKET_CALLBACK_URL');
    });

    test('applied twice, adds no statement twice', () => {
      const once = Template.fromStack(addAspects(serviceStack(flavour), new ManageConnectionsGrants())).toJSON();

      const twiceStack = addAspects(serviceStack(flavour), new ManageConnectionsGrants(), new ManageConnectionsGrants());

      for (const id of WEBSOCKET_FUNCTIONS) expect(manageConnectionStatements(twiceStack, id)).toHaveLength(1);
      const twice = Template.fromStack(twiceStack).toJSON();
      expect(Object.keys(twice.Resources)).toHaveLength(Object.keys(once.Resources).length);
      expect(twice).toEqual(once);
    });
  });

  describe('a function behind several stages', () => {
    function twoStages(): Stack {
      const stack = serviceStack('plain');
      new apigwv2.WebSocketStage(stack, 'DevStage', { webSocketApi: webSocketApi(stack), stageName: 'dev' });
      return addAspects(stack, new ManageConnectionsGrants());
    }

    test('gets the grants of every stage', () => {
      const stack = twoStages();

      for (const id of WEBSOCKET_FUNCTIONS) {
        const resources = manageConnectionStatements(stack, id).flatMap((s) => [].concat(s.Resource));
        expect(resources).toHaveLength(2);
        expect(resources).toEqual(expect.arrayContaining([connectionsArn(stack, 'prod'), connectionsArn(stack, 'dev')]));
      }
    });

    test('gets no callback URL, and an info annotation saying to derive the endpoint from requestContext', () => {
      const stack = twoStages();

      for (const id of WEBSOCKET_FUNCTIONS) {
        expect(environmentOf(stack, id)).not.toHaveProperty('WEBSOCKET_CALLBACK_URL');
        Annotations.fromStack(stack).hasInfo(`/Service/${id}`, Match.stringLikeRegexp(
          `Function Service/${id} is behind 2 WebSocket stages \\(prod, dev\\), so WEBSOCKET_CALLBACK_URL is not set.*requestContext.domainName`));
      }
    });
  });

  describe('aliases, versions and functions that cannot be granted', () => {
    /** A plain WebSocket API whose `$connect`, `$default` and `sendmessage` go to `handlers`, on stage `prod`. */
    function webSocketBehind(stack: Stack, ...handlers: lambda.IFunction[]): apigwv2.WebSocketApi {
      const [connect, ...others] = handlers.map((h, i) => new WebSocketLambdaIntegration(`Integration${i}`, h));
      const ws = new apigwv2.WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration: connect } });
      others.forEach((integration, i) => ws.addRoute(`route${i}`, { integration }));
      new apigwv2.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'prod', autoDeploy: true });
      return ws;
    }

    test('grants an alias and a version through their function\'s role, and sets the callback URL on that function', () => {
      const stack = new Stack(new App(), 'Service', { env: { account: '123456789012', region: 'eu-west-1' } });
      const aliased = testFunction(stack, 'Aliased');
      const versioned = testFunction(stack, 'Versioned');
      webSocketBehind(stack, new lambda.Alias(stack, 'Live', { aliasName: 'live', version: aliased.currentVersion }), versioned.currentVersion);
      addAspects(stack, new ManageConnectionsGrants());

      for (const id of ['Aliased', 'Versioned']) {
        expect(manageConnectionStatements(stack, id)).toEqual([{ Action: ACTION, Effect: 'Allow', Resource: connectionsArn(stack, 'prod') }]);
        expect(environmentOf(stack, id)).toMatchObject({ WEBSOCKET_CALLBACK_URL: callbackUrl(stack, 'prod') });
      }
    });

    test('warns, naming it, about an imported function it cannot grant', () => {
      const stack = new Stack(new App(), 'Service', { env: { account: '123456789012', region: 'eu-west-1' } });
      const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:123456789012:function:elsewhere');
      webSocketBehind(stack, testFunction(stack, 'Socket'), imported);
      addAspects(stack, new ManageConnectionsGrants());

      Annotations.fromStack(stack).hasWarning('/Service/Imported', Match.stringLikeRegexp(
        'Function Service/Imported is behind WebSocket stage "prod" \\(Service/WsStage\\) but cannot be granted execute-api:ManageConnections here: it is imported without a role'));
      expect(manageConnectionStatements(stack, 'Socket')).toHaveLength(1);
    });

    test('warns, naming it, about a function whose role is in another stack, and the app still synthesizes', () => {
      const app = new App();
      const env = { account: '123456789012', region: 'eu-west-1' };
      const functions = new Stack(app, 'Functions', { env });
      const stack = new Stack(app, 'Service', { env });
      webSocketBehind(stack, testFunction(functions, 'Remote'));
      addAspects(stack, new ManageConnectionsGrants());

      app.synth();
      Annotations.fromStack(functions).hasWarning('/Functions/Remote', Match.stringLikeRegexp(
        'Function Functions/Remote is behind WebSocket stage "prod" \\(Service/WsStage\\) but cannot be granted .* its role is in stack Functions, the stage in stack Service'));
    });
  });

  test('sets the callback URL in the environment variable given', () => {
    const stack = addAspects(serviceStack('wrappers'), new ManageConnectionsGrants({ environmentVariable: 'CALLBACK_URL' }));

    const environment = environmentOf(stack, 'SendMessage');

    expect(environment).toMatchObject({ CALLBACK_URL: callbackUrl(stack, 'prod') });
    expect(environment).not.toHaveProperty('WEBSOCKET_CALLBACK_URL');
  });

  describe('audit mode', () => {
    const audit = () => new ManageConnectionsGrants({ mode: AspectMode.AUDIT });

    test('reports each function without the permission and changes nothing', () => {
      const stack = addAspects(serviceStack('plain'), audit());
      const annotations = Annotations.fromStack(stack);

      for (const id of WEBSOCKET_FUNCTIONS) {
        annotations.hasError(`/Service/${id}`, Match.stringLikeRegexp(`\\[projen-api-service:manage-connections\\] Function behind WebSocket stage "prod" has no ${ACTION} permission`));
      }
      annotations.hasNoError(`/Service/${HTTP_FUNCTION}`, Match.anyValue());
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(serviceStack('plain')).toJSON());
    });

    test('is silent once the functions have stage.grantManagementApiAccess', () => {
      const stack = serviceStack('wrappers');
      WEBSOCKET_FUNCTIONS.forEach((id) => prodStage(stack).grantManagementApiAccess(fn(stack, id)));
      addAspects(stack, audit());

      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });
  });

  test('throws when the environment variable name is not valid for Lambda', () => {
    expect(() => new ManageConnectionsGrants({ environmentVariable: 'CALLBACK-URL' }))
      .toThrow('Environment variable name "CALLBACK-URL" is not valid for Lambda');
  });
});
