import { Stack, Token } from 'aws-cdk-lib';
import { CfnApi, CfnIntegration, CfnRoute, CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';

type Element = CfnApi | CfnIntegration;

/**
 * Per stack, its `CfnApi`s and `CfnIntegration`s, keyed both by their `ref` token (what L2s and `cfnApi.ref` put
 * in `apiId` and `target`, found without resolving anything) and by logical id (for values written another way).
 * Rebuilt when a key is not found; a key still not found is remembered as such.
 */
const elementsByStack = new WeakMap<Stack, Map<string, Element | undefined>>();

function lookup(stack: Stack, key: string): Element | undefined {
  let elements = elementsByStack.get(stack);
  if (!elements?.has(key)) {
    elements = new Map();
    for (const c of stack.node.findAll()) {
      if (CfnApi.isCfnApi(c) || CfnIntegration.isCfnIntegration(c)) {
        elements.set(c.ref, c);
        elements.set(stack.getLogicalId(c), c);
      }
    }
    if (!elements.has(key)) elements.set(key, undefined);
    elementsByStack.set(stack, elements);
  }
  return elements.get(key);
}

/** An L1 that belongs to an API. */
type ApiChild = CfnRoute | CfnIntegration | CfnStage;

/** The element an id (`apiId`, or the id in a route `target`) refers to, in the stack of `from`. */
function referenced(from: ApiChild, id: string | undefined): Element | undefined {
  if (id === undefined) return undefined;
  const stack = Stack.of(from);
  const direct = lookup(stack, id);
  if (direct !== undefined || !Token.isUnresolved(id)) return direct;
  const resolved = stack.resolve(id);
  const logicalId = resolved?.Ref ?? resolved?.['Fn::GetAtt']?.[0];
  return typeof logicalId === 'string' ? lookup(stack, logicalId) : undefined;
}

/** The `CfnApi` of a route, integration or stage, when it is in the same stack. */
export function apiOf(element: ApiChild): CfnApi | undefined {
  const api = referenced(element, element.apiId);
  return api !== undefined && CfnApi.isCfnApi(api) ? api : undefined;
}

/** The `CfnIntegration` a route targets (`integrations/<id>`), when it is in the same stack. */
export function integrationOf(route: CfnRoute): CfnIntegration | undefined {
  const target = route.target;
  if (target === undefined || !target.startsWith('integrations/')) return undefined;
  const integration = referenced(route, target.slice('integrations/'.length));
  return integration !== undefined && CfnIntegration.isCfnIntegration(integration) ? integration : undefined;
}

/**
 * Whether an integration invokes a Lambda function: a proxy integration with no subtype (HTTP APIs use the
 * subtype for their AWS service integrations, e.g. `SQS-SendMessage`).
 */
export function invokesLambda(integration: CfnIntegration | undefined): boolean {
  return integration?.integrationType === 'AWS_PROXY' && integration.integrationSubtype === undefined;
}
