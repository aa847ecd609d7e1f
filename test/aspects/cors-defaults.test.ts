import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Flavour, serviceStack } from './service-fixture';
import { AspectMode } from '../../src/aspects/aspect-mode';
import { CorsDefaults, CorsDefaultsProps } from '../../src/aspects/cors-defaults';

const API = 'AWS::ApiGatewayV2::Api';
const ORIGIN = 'https://app.example.com';

/** A stack with an HTTP API (CORS as given), a WebSocket API, and the aspects added as their priority says. */
function apiStack(cors?: apigwv2.CorsPreflightOptions, ...aspects: CorsDefaults[]): Stack {
  const stack = new Stack(new App(), 'Stack');
  new apigwv2.HttpApi(stack, 'Http', { corsPreflight: cors });
  new apigwv2.WebSocketApi(stack, 'Ws');
  aspects.forEach((aspect) => Aspects.of(stack).add(aspect, { priority: aspect.priority }));
  return stack;
}

function corsAspect(props: Partial<CorsDefaultsProps> = {}): CorsDefaults {
  return new CorsDefaults({ allowOrigins: [ORIGIN], ...props });
}

function protocolResource(stack: Stack, protocol: string): Record<string, any> {
  const apis = Object.values(Template.fromStack(stack).findResources(API, { Properties: { ProtocolType: protocol } }));
  expect(apis).toHaveLength(1);
  return apis[0].Properties;
}

describe('CorsDefaults', () => {
  test('runs as MUTATING in apply mode and READONLY in audit mode', () => {
    expect(corsAspect().priority).toBe(AspectPriority.MUTATING);
    expect(corsAspect({ mode: AspectMode.APPLY }).priority).toBe(AspectPriority.MUTATING);
    expect(corsAspect({ mode: AspectMode.AUDIT }).priority).toBe(AspectPriority.READONLY);
  });

  describe('apply mode', () => {
    test.each<Flavour>(['plain', 'wrappers'])('gives a %s HTTP API without CORS the configured CORS', (flavour) => {
      const stack = serviceStack(flavour);
      const aspect = corsAspect({ allowHeaders: ['content-type'] });
      Aspects.of(stack).add(aspect, { priority: aspect.priority });

      expect(protocolResource(stack, 'HTTP').CorsConfiguration).toEqual({
        AllowOrigins: [ORIGIN],
        AllowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        AllowHeaders: ['content-type'],
        AllowCredentials: false,
        MaxAge: 3600,
      });
    });

    test('keeps the CORS configuration of an API that has its own', () => {
      const own: apigwv2.CorsPreflightOptions = { allowOrigins: ['https://own.example.com'], allowMethods: [apigwv2.CorsHttpMethod.GET] };
      const without = protocolResource(apiStack(own), 'HTTP').CorsConfiguration;

      const withAspect = protocolResource(apiStack(own, corsAspect()), 'HTTP').CorsConfiguration;

      expect(without).toEqual({ AllowOrigins: ['https://own.example.com'], AllowMethods: ['GET'] });
      expect(withAspect).toEqual(without);
    });

    test('leaves WebSocket APIs untouched', () => {
      const before = protocolResource(apiStack(), 'WEBSOCKET');

      const after = protocolResource(apiStack(undefined, corsAspect()), 'WEBSOCKET');

      expect(after).toEqual(before);
      expect(after.CorsConfiguration).toBeUndefined();
    });

    test('applied twice, creates and changes nothing twice', () => {
      const once = Template.fromStack(apiStack(undefined, corsAspect())).toJSON();

      const twice = Template.fromStack(apiStack(undefined, corsAspect(), corsAspect())).toJSON();

      expect(Object.keys(twice.Resources)).toHaveLength(Object.keys(once.Resources).length);
      expect(twice).toEqual(once);
    });
  });

  describe('audit mode', () => {
    const audit = () => corsAspect({ mode: AspectMode.AUDIT });

    test('reports an HTTP API without CORS and changes nothing', () => {
      const stack = apiStack(undefined, audit());

      Annotations.fromStack(stack).hasError('/Stack/Http/Resource', Match.stringLikeRegexp('\\[projen-api-service:cors\\] HTTP API has no CORS configuration'));
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(apiStack()).toJSON());
    });

    test('reports origin "*" with credentials and changes nothing', () => {
      const build = (...aspects: CorsDefaults[]) => {
        const stack = apiStack(undefined, ...aspects);
        // aws-cdk-lib's HttpApi refuses "*" with credentials, so it can only come from the L1.
        const cfnApi = stack.node.findChild('Http').node.defaultChild as apigwv2.CfnApi;
        cfnApi.corsConfiguration = { allowOrigins: ['*'], allowCredentials: true };
        return stack;
      };
      const stack = build(audit());

      Annotations.fromStack(stack).hasError('/Stack/Http/Resource', Match.stringLikeRegexp('allows origin "\\*" with credentials'));
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(build()).toJSON());
    });

    test('is silent on an API with valid CORS, and on WebSocket APIs', () => {
      const stack = apiStack({ allowOrigins: [ORIGIN], allowCredentials: true }, audit());

      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });
  });

  describe('validation', () => {
    test('throws when "*" is combined with credentials', () => {
      expect(() => corsAspect({ allowOrigins: ['*'], allowCredentials: true }))
        .toThrow('CORS origin "*" cannot be used with allowCredentials');
    });

    test('throws when an origin has a path', () => {
      expect(() => corsAspect({ allowOrigins: ['https://app.example.com/'] }))
        .toThrow('CORS origin "https://app.example.com/" is not an origin');
    });

    test('throws when a method is not an HTTP method', () => {
      expect(() => corsAspect({ allowMethods: ['get'] })).toThrow('CORS method "get" is not an HTTP method');
    });
  });
});
