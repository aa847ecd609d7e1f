import { AuthorizerModel } from './api-model';
import { FunctionPool } from './function-pool';

/** What an authorizer decided. */
export interface AuthorizerOutcome {
  /** `allow`, `unauthorized` (401: identity missing), `forbidden` (403: denied) or `error` (500: it failed). */
  readonly decision: 'allow' | 'unauthorized' | 'forbidden' | 'error';
  /** The `context` the authorizer returned (and its principalId), on allow. */
  readonly context?: Record<string, unknown>;
  readonly principalId?: string;
  /** The API key the authorizer returned, which API Gateway checks when the API selects keys from the authorizer. */
  readonly usageIdentifierKey?: string;
}

/** What identity sources are read from. */
export interface IdentityRequest {
  /** Lower-cased header names. */
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/** The request as an authorizer sees it. */
export interface AuthorizerRequest extends IdentityRequest {
  /** The route or method ARN the policy is evaluated against. */
  readonly arn: string;
  /** The event for the authorizer, without `identitySource`. */
  readonly event: Record<string, unknown>;
  /**
   * Whether an `Unauthorized` error of the function means 401, as for REST and WebSocket APIs
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html); otherwise
   * any error is a 500.
   * @default false
   */
  readonly unauthorizedError?: boolean;
}

interface CacheEntry {
  readonly expires: number;
  readonly output: any;
}

/**
 * Runs Lambda REQUEST authorizers as API Gateway does: identity sources are checked first (a missing one is
 * 401 without calling the function), simple (`isAuthorized`) and IAM policy responses are understood, and
 * results are cached per identity for the authorizer's TTL.
 */
export class LambdaAuthorizer {
  private readonly caches = new WeakMap<AuthorizerModel, Map<string, CacheEntry>>();

  constructor(private readonly pool: FunctionPool) {}

  public async authorize(authorizer: AuthorizerModel, request: AuthorizerRequest): Promise<AuthorizerOutcome> {
    const identity = authorizer.identitySource.map(source => identityValue(source, request));
    if (identity.some(v => v === undefined || v === '')) {
      return { decision: 'unauthorized' };
    }
    const cache = this.caches.get(authorizer) ?? new Map<string, CacheEntry>();
    this.caches.set(authorizer, cache);
    const key = JSON.stringify(identity);
    let output = identity.length > 0 && authorizer.ttlSeconds > 0 ? cache.get(key) : undefined;
    if (!output || output.expires < Date.now()) {
      const result = await this.pool.invoke(authorizer.functionKey, { ...request.event, identitySource: identity }, 10_000);
      if (result.error) {
        return { decision: request.unauthorizedError && result.error.errorMessage === 'Unauthorized' ? 'unauthorized' : 'error' };
      }
      output = { expires: Date.now() + authorizer.ttlSeconds * 1000, output: result.value };
      if (identity.length > 0 && authorizer.ttlSeconds > 0) {
        cache.set(key, output);
      }
    }
    return decide(authorizer, output.output, request.arn);
  }
}

function decide(authorizer: AuthorizerModel, output: any, arn: string): AuthorizerOutcome {
  if (output === null || typeof output !== 'object') {
    return { decision: 'error' };
  }
  const context = output.context ?? {};
  if (authorizer.simpleResponses && typeof output.isAuthorized === 'boolean') {
    return output.isAuthorized ? { decision: 'allow', context } : { decision: 'forbidden' };
  }
  const statements: any[] = [output.policyDocument?.Statement ?? []].flat();
  if (statements.length === 0) {
    return { decision: 'error' };
  }
  const applies = (effect: string) => statements.some(s => String(s.Effect).toLowerCase() === effect
    && [s.Resource].flat().some((resource: unknown) => arnMatches(String(resource), arn)));
  const allowed = applies('allow') && !applies('deny');
  return allowed
    ? { decision: 'allow', context, principalId: output.principalId, usageIdentifierKey: output.usageIdentifierKey }
    : { decision: 'forbidden' };
}

function arnMatches(pattern: string, arn: string): boolean {
  const regex = pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${regex}$`).test(arn);
}

/** The value of an identity source expression (`$request.header.x`, `route.request.querystring.y`, ...). */
export function identityValue(source: string, request: IdentityRequest): string | undefined {
  const match = /^(?:\$request|route\.request)\.(header|querystring)\.(.+)$/.exec(source.trim());
  if (!match) {
    // $context / $stageVariables sources: not emulated, treated as present.
    return source;
  }
  return match[1] === 'header' ? request.headers[match[2].toLowerCase()] : request.query[match[2]];
}
