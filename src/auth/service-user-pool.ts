import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { defaultJwksUri, validateJwtScopes } from './auth-rules';

/**
 * Properties for `ServiceUserPool`.
 */
export interface ServiceUserPoolProps {
  /**
   * Custom OAuth scopes the API's routes ask for, as `<resource server>/<scope>` (e.g. `books/admin`): a resource
   * server is created per prefix, and the app client may request its scopes. Cognito puts custom scopes only in
   * access tokens issued by its OAuth 2.0 endpoints, so they need `callbackUrls` and `domainPrefix`.
   * @default - no custom scopes
   */
  readonly scopes?: string[];

  /**
   * The redirect URLs of your web or mobile app: turns on the OAuth 2.0 authorization code grant (with PKCE, for
   * a public client) on the app client, and with it the `openid`, `email`, `profile` and custom scopes.
   * @default - no OAuth flow: the app signs users in with the InitiateAuth API (SRP)
   */
  readonly callbackUrls?: string[];

  /**
   * The prefix of the Cognito-hosted domain `https://<prefix>.auth.<region>.amazoncognito.com` that serves the
   * OAuth 2.0 endpoints (sign-in page, token endpoint). Required with `callbackUrls`.
   * @default - no hosted domain
   */
  readonly domainPrefix?: string;

  /**
   * Whether users must use multi-factor authentication (an authenticator app, TOTP; SMS is off so that no SNS
   * role is needed).
   * @default cognito.Mfa.REQUIRED
   */
  readonly mfa?: cognito.Mfa;

  /**
   * The user pool's feature plan. `FeaturePlan.PLUS` adds threat protection and is billed per monthly active user.
   * @default cognito.FeaturePlan.ESSENTIALS
   */
  readonly featurePlan?: cognito.FeaturePlan;

  /**
   * Whether people may sign themselves up.
   * @default false
   */
  readonly selfSignUpEnabled?: boolean;

  /**
   * What happens to the user pool (and its users) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Cognito user pool and app client for an API service: the issuer and audience of the tokens that
 * aws-cdk-lib's `HttpUserPoolAuthorizer` / `HttpJwtAuthorizer` and our `WebSocketTokenAuthorizer` accept.
 *
 * Users sign in with their e-mail address and a strong password (at least 8 characters with upper and lower case,
 * digits and symbols), with MFA required by default. The app client is public (no secret: browser and mobile
 * apps cannot keep one) and uses SRP, never a plain password.
 *
 * @example
 * declare const scope: Construct;
 * const users = new ServiceUserPool(scope, 'Users', { scopes: ['books/admin'] });
 * new WebSocketTokenAuthorizer(scope, 'Token', { userPool: users.userPool, userPoolClients: [users.userPoolClient] });
 * new HttpJwtAuthorizer('Jwt', users.issuer, { jwtAudience: users.audience });
 */
export class ServiceUserPool extends Construct {
  /** The user pool. */
  public readonly userPool: cognito.UserPool;

  /** The app client. */
  public readonly userPoolClient: cognito.UserPoolClient;

  /** The tokens' issuer (`iss`): `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  public readonly issuer: string;

  /** The accepted audiences: the app client id (in ID tokens' `aud`, access tokens' `client_id`). */
  public readonly audience: string[];

  /** Where the user pool publishes its signing keys. */
  public readonly jwksUri: string;

  /** The Cognito-hosted domain, when `domainPrefix` is given. */
  public readonly domain?: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: ServiceUserPoolProps = {}) {
    super(scope, id);
    const scopes = props.scopes ?? [];
    validateJwtScopes(scopes);
    if (props.callbackUrls?.length && !props.domainPrefix) {
      throw new Error(`ServiceUserPool ${this.node.path} has callbackUrls but no domainPrefix: the authorization code grant needs Cognito's hosted OAuth endpoints, so give a domainPrefix such as "books-api-prod".`);
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      autoVerify: { email: true },
      selfSignUpEnabled: props.selfSignUpEnabled ?? false,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // AwsSolutions-COG1's minimum.
      passwordPolicy: { minLength: 8, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      mfa: props.mfa ?? cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: props.featurePlan ?? cognito.FeaturePlan.ESSENTIALS,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.featurePlan === undefined) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'ServiceUserPool defaults to the Essentials feature plan: Plus (threat protection) is billed per monthly active user, so it is an opt-in (featurePlan: FeaturePlan.PLUS).',
      });
    }

    const resourceScopes = this.addResourceServers(scopes);
    if (props.domainPrefix) {
      this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    }
    this.userPoolClient = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      ...(props.callbackUrls?.length
        ? {
          oAuth: {
            flows: { authorizationCodeGrant: true },
            callbackUrls: props.callbackUrls,
            scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE, ...resourceScopes],
          },
        }
        : { disableOAuth: true }),
    });

    this.issuer = this.userPool.userPoolProviderUrl;
    this.audience = [this.userPoolClient.userPoolClientId];
    this.jwksUri = defaultJwksUri(this.issuer);
  }

  /** One resource server per `<identifier>/` prefix; returns the scopes as OAuth scopes for the app client. */
  private addResourceServers(scopes: string[]): cognito.OAuthScope[] {
    const byServer = new Map<string, string[]>();
    for (const scope of new Set(scopes)) {
      const slash = scope.lastIndexOf('/');
      if (slash <= 0 || slash === scope.length - 1) {
        throw new Error(`Scope "${scope}" of ServiceUserPool ${this.node.path} has no resource server: write it as "<resource server>/<scope>", e.g. "books/admin".`);
      }
      const identifier = scope.slice(0, slash);
      byServer.set(identifier, [...(byServer.get(identifier) ?? []), scope.slice(slash + 1)]);
    }
    return [...byServer].flatMap(([identifier, names]) => {
      const resourceScopes = names.map((name) => new cognito.ResourceServerScope({ scopeName: name, scopeDescription: `${identifier}/${name}` }));
      // Named after the identifier ("/" cannot be in a construct id), so adding a server renames no other one.
      const server = this.userPool.addResourceServer(`ResourceServer-${identifier.replace(/\//g, '_')}`, { identifier, scopes: resourceScopes });
      return resourceScopes.map((scope) => cognito.OAuthScope.resourceServer(server, scope));
    });
  }
}
