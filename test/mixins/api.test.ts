import { Duration, Lazy, Mixin, Mixins, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnApi, CfnApiProps, CfnStage, CorsHttpMethod, HttpApi, WebSocketApi, WebSocketApiKeySelectionExpression } from 'aws-cdk-lib/aws-apigatewayv2';
import { ApiCorsPreflight, ApiKeySelection } from '../../src/mixins';
import { newStack } from '../helpers';

const API = 'AWS::ApiGatewayV2::Api';

function cfnApi(stack: Stack, protocolType: 'HTTP' | 'WEBSOCKET', props: Partial<CfnApiProps> = {}): CfnApi {
  return new CfnApi(stack, `${protocolType}Api`, {
    name: 'api',
    protocolType,
    routeSelectionExpression: protocolType === 'WEBSOCKET' ? '$request.body.action' : undefined,
    ...props,
  });
}

describe('ApiCorsPreflight', () => {
  const origins = ['https://app.example.com'];

  test('is a Mixin whose supports() accepts HTTP APIs only', () => {
    const stack = newStack();
    const mixin = new ApiCorsPreflight({ allowOrigins: origins });
    expect(Mixin.isMixin(mixin)).toBe(true);
    expect(mixin.supports(cfnApi(stack, 'HTTP'))).toBe(true);
    expect(mixin.supports(cfnApi(stack, 'WEBSOCKET'))).toBe(false);
    expect(mixin.supports(new CfnStage(stack, 'Stage', { apiId: 'x', stageName: 's' }))).toBe(false);
  });

  test('with() on the L1 sets the CORS configuration with its defaults', () => {
    const stack = newStack();
    cfnApi(stack, 'HTTP').with(new ApiCorsPreflight({ allowOrigins: origins }));
    Template.fromStack(stack).hasResourceProperties(API, {
      CorsConfiguration: {
        AllowOrigins: origins,
        AllowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        AllowHeaders: ['content-type', 'authorization', 'x-api-key'],
        AllowCredentials: false,
        MaxAge: 3600,
        ExposeHeaders: Match.absent(),
      },
    });
  });

  test('with() on the L2 HttpApi applies to its CfnApi, with the given settings', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api').with(new ApiCorsPreflight({
      allowOrigins: origins,
      allowMethods: ['GET', '*'],
      allowHeaders: ['x-custom'],
      exposeHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: Duration.hours(24),
    }));
    Template.fromStack(stack).hasResourceProperties(API, {
      CorsConfiguration: {
        AllowOrigins: origins,
        AllowMethods: ['GET', '*'],
        AllowHeaders: ['x-custom'],
        ExposeHeaders: ['x-request-id'],
        AllowCredentials: true,
        MaxAge: 86400,
      },
    });
  });

  test('Mixins.of(scope).apply() touches HTTP APIs and leaves WebSocket APIs alone', () => {
    const stack = newStack();
    new HttpApi(stack, 'Http');
    new WebSocketApi(stack, 'Ws');
    Mixins.of(stack).apply(new ApiCorsPreflight({ allowOrigins: origins }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(API, { ProtocolType: 'HTTP', CorsConfiguration: Match.objectLike({ AllowOrigins: origins }) });
    template.hasResourceProperties(API, { ProtocolType: 'WEBSOCKET', CorsConfiguration: Match.absent() });
  });

  test('applyTo() leaves a WebSocket CfnApi alone even when called directly', () => {
    const stack = newStack();
    const api = cfnApi(stack, 'WEBSOCKET');
    new ApiCorsPreflight({ allowOrigins: origins }).applyTo(api);
    expect(api.corsConfiguration).toBeUndefined();
  });

  test('merges with an existing configuration: lists unioned, maxAge and credentials kept', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api', {
      corsPreflight: {
        allowOrigins: ['https://old.example.com'],
        allowMethods: [CorsHttpMethod.GET],
        allowHeaders: ['x-old'],
        allowCredentials: true,
        maxAge: Duration.minutes(5),
      },
    }).with(new ApiCorsPreflight({ allowOrigins: ['https://new.example.com', 'https://old.example.com'], exposeHeaders: ['x-id'] }));
    Template.fromStack(stack).hasResourceProperties(API, {
      CorsConfiguration: {
        AllowOrigins: ['https://old.example.com', 'https://new.example.com'],
        AllowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        AllowHeaders: ['x-old', 'content-type', 'authorization', 'x-api-key'],
        ExposeHeaders: ['x-id'],
        AllowCredentials: true,
        MaxAge: 300,
      },
    });
  });

  test('applied twice, adds nothing twice', () => {
    const stack = newStack();
    const mixin = new ApiCorsPreflight({ allowOrigins: origins });
    cfnApi(stack, 'HTTP').with(mixin).with(mixin);
    Template.fromStack(stack).hasResourceProperties(API, {
      CorsConfiguration: Match.objectLike({ AllowOrigins: origins, AllowHeaders: ['content-type', 'authorization', 'x-api-key'] }),
    });
  });

  test('leaves a token CORS configuration as it is, with a warning', () => {
    const stack = newStack();
    const api = cfnApi(stack, 'HTTP', { corsConfiguration: Lazy.any({ produce: () => ({ allowOrigins: ['https://x.example.com'] }) }) });
    api.with(new ApiCorsPreflight({ allowOrigins: origins }));
    Template.fromStack(stack).hasResourceProperties(API, { CorsConfiguration: { AllowOrigins: ['https://x.example.com'] } });
    Annotations.fromStack(stack).hasWarning('/Stack/HTTPApi', Match.stringLikeRegexp('CORS configuration, or one of its lists, is a token'));
  });

  test('leaves a CORS list token as it is, with a warning, and the stack still synthesizes', () => {
    const stack = newStack();
    const allowOrigins = Token.asList(Lazy.any({ produce: () => ['https://x.example.com'] }));
    cfnApi(stack, 'HTTP', { corsConfiguration: { allowOrigins } }).with(new ApiCorsPreflight({ allowOrigins: origins }));
    Template.fromStack(stack).hasResourceProperties(API, { CorsConfiguration: { AllowOrigins: ['https://x.example.com'] } });
    Annotations.fromStack(stack).hasWarning('/Stack/HTTPApi', Match.stringLikeRegexp('cannot be merged'));
  });

  test('does not validate token origins', () => {
    const stack = newStack();
    const lazy = Lazy.string({ produce: () => 'https://lazy.example.com' });
    const token = Token.asString(stack.resolve('https://token.example.com'));
    cfnApi(stack, 'HTTP').with(new ApiCorsPreflight({ allowOrigins: [lazy, token], allowCredentials: true }));
    Template.fromStack(stack).hasResourceProperties(API, {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://lazy.example.com', 'https://token.example.com'] }),
    });
  });

  test('merging exact origins into an API that allows "*" keeps "*" and adds them', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api', { corsPreflight: { allowOrigins: ['*'] } }).with(new ApiCorsPreflight({ allowOrigins: origins }));
    Template.fromStack(stack).hasResourceProperties(API, { CorsConfiguration: Match.objectLike({ AllowOrigins: ['*', ...origins] }) });
  });

  test('throws when merging "*" into an API that lists exact origins, naming both values and the API', () => {
    const stack = newStack();
    const api = new HttpApi(stack, 'Api', { corsPreflight: { allowOrigins: ['https://old.example.com'] } });
    expect(() => api.with(new ApiCorsPreflight({ allowOrigins: ['*'] })))
      .toThrow('CORS of Stack/Api/Resource allows the exact origins ["https://old.example.com"], and merging ApiCorsPreflight\'s ["*"] would widen it to every origin ("*")');
  });

  test('throws when merging "*" into an API that allows credentials', () => {
    const stack = newStack();
    const api = cfnApi(stack, 'HTTP', { corsConfiguration: { allowCredentials: true, allowMethods: ['GET'] } });
    expect(() => api.with(new ApiCorsPreflight({ allowOrigins: ['*'] })))
      .toThrow('CORS of Stack/HTTPApi would allow origin "*" (from ApiCorsPreflight) with allowCredentials: true (from the API)');
  });

  test('throws when merging credentials into an API that allows "*"', () => {
    const stack = newStack();
    const api = new HttpApi(stack, 'Api', { corsPreflight: { allowOrigins: ['*'] } });
    expect(() => api.with(new ApiCorsPreflight({ allowOrigins: origins, allowCredentials: true })))
      .toThrow('CORS of Stack/Api/Resource would allow origin "*" (from the API) with allowCredentials: true (from ApiCorsPreflight)');
  });

  test('throws when "*" is paired with credentials', () => {
    expect(() => new ApiCorsPreflight({ allowOrigins: ['*'], allowCredentials: true }))
      .toThrow(/CORS origin "\*" cannot be used with allowCredentials/);
  });

  test.each(['app.example.com', 'https://x.com/path', 'https://app.example.com/'])('throws when an origin is not an origin: %s', (origin) => {
    expect(() => new ApiCorsPreflight({ allowOrigins: [origin] })).toThrow(`CORS origin "${origin}" is not an origin`);
  });

  test('throws when origins are empty', () => {
    expect(() => new ApiCorsPreflight({ allowOrigins: [] })).toThrow(/CORS allowOrigins is empty/);
  });

  test.each(['get', 'FETCH', 'ANY'])('throws when a method is not an HTTP method: %s', (method) => {
    expect(() => new ApiCorsPreflight({ allowOrigins: origins, allowMethods: [method] }))
      .toThrow(`CORS method "${method}" is not an HTTP method: use one of *, GET`);
  });

  test('throws when maxAge is above 86400 seconds', () => {
    expect(() => new ApiCorsPreflight({ allowOrigins: origins, maxAge: Duration.seconds(86401) }))
      .toThrow('CORS maxAge of 86401 seconds is above API Gateway\'s maximum of 86400 (24 hours)');
  });
});

describe('ApiKeySelection', () => {
  test('is a Mixin whose supports() accepts WebSocket APIs only', () => {
    const stack = newStack();
    const mixin = new ApiKeySelection();
    expect(Mixin.isMixin(mixin)).toBe(true);
    expect(mixin.supports(cfnApi(stack, 'WEBSOCKET'))).toBe(true);
    expect(mixin.supports(cfnApi(stack, 'HTTP'))).toBe(false);
  });

  test('with() on the L1 sets the x-api-key header expression', () => {
    const stack = newStack();
    cfnApi(stack, 'WEBSOCKET').with(new ApiKeySelection());
    Template.fromStack(stack).hasResourceProperties(API, { ApiKeySelectionExpression: '$request.header.x-api-key' });
  });

  test('with() on the L2 WebSocketApi sets the given expression', () => {
    const stack = newStack();
    new WebSocketApi(stack, 'Ws').with(new ApiKeySelection({ expression: WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY }));
    Template.fromStack(stack).hasResourceProperties(API, { ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
  });

  test('still takes the expression as a string (deprecated selectionExpression)', () => {
    const stack = newStack();
    new WebSocketApi(stack, 'Ws').with(new ApiKeySelection({ selectionExpression: '$context.authorizer.usageIdentifierKey' }));
    Template.fromStack(stack).hasResourceProperties(API, { ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
  });

  test('Mixins.of(scope).apply() leaves HTTP APIs alone', () => {
    const stack = newStack();
    new HttpApi(stack, 'Http');
    new WebSocketApi(stack, 'Ws');
    Mixins.of(stack).apply(new ApiKeySelection({ expression: WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(API, { ProtocolType: 'WEBSOCKET', ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
    template.hasResourceProperties(API, { ProtocolType: 'HTTP', ApiKeySelectionExpression: Match.absent() });
  });

  test('keeps an existing selection expression', () => {
    const stack = newStack();
    new WebSocketApi(stack, 'Ws', { apiKeySelectionExpression: WebSocketApiKeySelectionExpression.AUTHORIZER_USAGE_IDENTIFIER_KEY })
      .with(new ApiKeySelection());
    Template.fromStack(stack).hasResourceProperties(API, { ApiKeySelectionExpression: '$context.authorizer.usageIdentifierKey' });
  });

  test('does not validate a token expression', () => {
    expect(() => new ApiKeySelection({ selectionExpression: Lazy.string({ produce: () => 'anything' }) })).not.toThrow();
  });

  // API Gateway accepts only two: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html
  test.each(['x-api-key', '$request.header.x-key', '$request.header.authorization', '$request.querystring.key', '$request.header.x api key'])(
    'throws when the selection expression is %s', (selectionExpression) => {
      expect(() => new ApiKeySelection({ selectionExpression }))
        .toThrow(`API key selection expression "${selectionExpression}" is not one API Gateway accepts: use WebSocketApiKeySelectionExpression.HEADER_X_API_KEY`);
      expect(() => new ApiKeySelection({ expression: new WebSocketApiKeySelectionExpression(selectionExpression) }))
        .toThrow(`API key selection expression "${selectionExpression}" is not one API Gateway accepts`);
    });

  test('throws when both expression and selectionExpression are given', () => {
    expect(() => new ApiKeySelection({ expression: WebSocketApiKeySelectionExpression.HEADER_X_API_KEY, selectionExpression: '$request.header.x-api-key' }))
      .toThrow('ApiKeySelection got both expression "$request.header.x-api-key" and selectionExpression "$request.header.x-api-key": give only expression.');
  });
});
