import * as crypto from 'crypto';
import { StackTemplate } from './cloud-assembly';

/**
 * Resolves CloudFormation intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split)
 * against the resources of one stack, giving each resource the physical name or ARN it would have when
 * deployed (with made-up but stable ids). What cannot be resolved becomes a placeholder.
 */
export class IntrinsicResolver {
  /** Where `resolveNoting` collects what had no local value. */
  private unresolved?: string[];

  constructor(private readonly stack: StackTemplate) {}

  /**
   * Resolves `value` like `resolve`, and says what had no local value, e.g. `Fn::GetAtt Table.StreamArn has no
   * local value; using 'Table.StreamArn'`.
   */
  public resolveNoting(value: unknown): { value: any; unresolved: string[] } {
    const previous = this.unresolved;
    const unresolved: string[] = [];
    this.unresolved = unresolved;
    try {
      return { value: this.resolve(value), unresolved };
    } finally {
      this.unresolved = previous;
    }
  }

  /** Resolves every intrinsic inside `value` (deeply); what has no local value becomes a placeholder. */
  public resolve(value: unknown): any {
    if (Array.isArray(value)) {
      return value.map(v => this.resolve(v));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    const obj = value as Record<string, any>;
    if (keys.length === 1) {
      switch (keys[0]) {
        case 'Ref': return this.ref(obj.Ref);
        case 'Fn::GetAtt': return this.getAtt(obj['Fn::GetAtt']);
        case 'Fn::Join': return this.join(obj['Fn::Join']);
        case 'Fn::Sub': return this.sub(obj['Fn::Sub']);
        case 'Fn::Select': return this.select(obj['Fn::Select']);
        case 'Fn::Split': return this.split(obj['Fn::Split']);
        default:
          if (keys[0].startsWith('Fn::')) {
            return this.placeholder(`${keys[0]} is not supported`, keys[0]);
          }
      }
    }
    return Object.fromEntries(keys.map(k => [k, this.resolve(obj[k])]));
  }

  /** The value a `Ref` to `logicalId` (a resource or pseudo parameter) gives. */
  public ref(logicalId: string): string {
    switch (logicalId) {
      case 'AWS::Region': return this.stack.region;
      case 'AWS::AccountId': return this.stack.account;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.stack.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${this.stack.region}:${this.stack.account}:stack/${this.stack.stackName}/local`;
      case 'AWS::NoValue': return '';
    }
    const resource = this.stack.resources[logicalId];
    if (!resource) {
      return this.placeholder(`Ref to '${logicalId}', which is not a resource of stack ${this.stack.stackName}`, logicalId);
    }
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::ApiGatewayV2::Api': return localApiId(this.stack.stackName, logicalId);
      case 'AWS::ApiGatewayV2::Stage': return this.resolve(props.StageName);
      case 'AWS::Lambda::Function': return this.functionName(logicalId);
      case 'AWS::Cognito::UserPool': return localUserPoolId(this.stack.region, this.stack.stackName, logicalId);
      case 'AWS::Cognito::UserPoolClient': return stableId(`${this.stack.stackName}/${logicalId}`, 26, LOWER_ALNUM);
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${this.stack.region}:${this.stack.account}:secret:${this.resolve(props.Name ?? logicalId)}-local`;
      default: return logicalId;
    }
  }

  /** The name a function gets: its `FunctionName`, or one made from the stack name and logical id. */
  public functionName(logicalId: string): string {
    const props = this.stack.resources[logicalId]?.Properties ?? {};
    return props.FunctionName !== undefined ? String(this.resolve(props.FunctionName)) : `${this.stack.stackName}-${logicalId}`;
  }

  private getAtt(arg: string | [string, string]): string {
    const [logicalId, attr] = typeof arg === 'string' ? splitOnce(arg, '.') : arg;
    const resource = this.stack.resources[logicalId];
    const { region, account } = this.stack;
    if (resource?.Type === 'AWS::Lambda::Function' && attr === 'Arn') {
      return `arn:aws:lambda:${region}:${account}:function:${this.functionName(logicalId)}`;
    }
    if (resource?.Type === 'AWS::ApiGatewayV2::Api' && attr === 'ApiEndpoint') {
      const scheme = resource.Properties?.ProtocolType === 'WEBSOCKET' ? 'wss' : 'https';
      return `${scheme}://${this.ref(logicalId)}.execute-api.${region}.amazonaws.com`;
    }
    if (resource?.Type === 'AWS::ApiGatewayV2::Api' && attr === 'ApiId') {
      return this.ref(logicalId);
    }
    const cognitoAttribute = resource?.Type === 'AWS::Cognito::UserPool' ? COGNITO_POOL_ATTRIBUTES.get(attr) : undefined;
    if (cognitoAttribute) {
      return cognitoAttribute(region, account, this.ref(logicalId));
    }
    if (resource?.Type === 'AWS::IAM::Role' && attr === 'Arn') {
      return `arn:aws:iam::${account}:role/${logicalId}`;
    }
    return this.placeholder(`Fn::GetAtt ${logicalId}.${attr} has no local value`, `${logicalId}.${attr}`);
  }

  private join([separator, parts]: [string, unknown[]]): string {
    return this.resolve(parts).map(String).join(separator);
  }

  private sub(arg: string | [string, Record<string, unknown>]): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (name in vars) {
        return String(this.resolve(vars[name]));
      }
      return name.includes('.') ? this.getAtt(name) : this.ref(name);
    });
  }

  private select([index, list]: [unknown, unknown]): any {
    return this.resolve(list)[Number(this.resolve(index))];
  }

  private split([separator, text]: [string, unknown]): string[] {
    return String(this.resolve(text)).split(separator);
  }

  private placeholder(what: string, value: string): string {
    this.unresolved?.push(`${what}; using '${value}'`);
    return value;
  }
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A stable, API-id-shaped (10 lower-case alphanumerics) id for an API. */
export function localApiId(stackName: string, logicalId: string): string {
  return stableId(`${stackName}/${logicalId}`, 10, LOWER_ALNUM);
}

/**
 * A stable id shaped as Cognito's user pool ids, `<region>_<9 alphanumerics>`, which aws-jwt-verify's Cognito
 * verifier requires (it reads the region, and so the issuer, from the id).
 */
export function localUserPoolId(region: string, stackName: string, logicalId: string): string {
  return `${region}_${stableId(`${stackName}/${logicalId}`, 9, `${LOWER_ALNUM}ABCDEFGHIJKLMNOPQRSTUVWXYZ`)}`;
}

/** The issuer (`iss`) of a Cognito user pool's tokens. */
export function cognitoIssuer(userPoolId: string): string {
  return `https://cognito-idp.${userPoolId.split('_')[0]}.amazonaws.com/${userPoolId}`;
}

/**
 * `Fn::GetAtt` values of an `AWS::Cognito::UserPool`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html#aws-resource-cognito-userpool-return-values).
 */
const COGNITO_POOL_ATTRIBUTES = new Map<string, (region: string, account: string, poolId: string) => string>([
  ['Arn', (region, account, poolId) => `arn:aws:cognito-idp:${region}:${account}:userpool/${poolId}`],
  ['ProviderName', (_region, _account, poolId) => cognitoIssuer(poolId).replace(/^https:\/\//, '')],
  ['ProviderURL', (_region, _account, poolId) => cognitoIssuer(poolId)],
  ['UserPoolId', (_region, _account, poolId) => poolId],
]);

/** `length` characters of `alphabet`, the same for the same seed. */
function stableId(seed: string, length: number, alphabet: string): string {
  const digest = crypto.createHash('sha256').update(seed).digest();
  return Array.from(digest.subarray(0, length), b => alphabet[b % alphabet.length]).join('');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}
