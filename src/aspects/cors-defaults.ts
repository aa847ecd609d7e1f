import { IAspect, Token } from 'aws-cdk-lib';
import { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { ApiCorsPreflight, ApiCorsPreflightProps } from '../mixins';
import { AspectMode } from './aspect-mode';
import { priorityOf, reportFinding } from './findings';

/** Props for `CorsDefaults`. */
export interface CorsDefaultsProps extends ApiCorsPreflightProps {
  /**
   * Whether to add CORS to HTTP APIs without it, or only report them.
   * @default AspectMode.APPLY
   */
  readonly mode?: AspectMode;
}

/**
 * Gives every HTTP API without a CORS configuration the one in props (apply mode), or reports it (audit mode).
 * APIs that already configure CORS are kept as they are; audit mode also reports `*` with credentials.
 */
export class CorsDefaults implements IAspect {
  /** The `AspectPriority` to add this aspect with. */
  public readonly priority: number;
  private readonly mode: AspectMode;
  private readonly mixin: ApiCorsPreflight;

  constructor(props: CorsDefaultsProps) {
    this.mixin = new ApiCorsPreflight(props);
    this.mode = props.mode ?? AspectMode.APPLY;
    this.priority = priorityOf(this.mode);
  }

  public visit(node: IConstruct): void {
    if (!this.mixin.supports(node)) return;
    const cors = node.corsConfiguration;
    if (cors === undefined) {
      if (this.mode === AspectMode.APPLY) {
        this.mixin.applyTo(node);
      } else {
        reportFinding(node, 'cors', 'HTTP API has no CORS configuration, so browsers on other origins cannot call it. Set corsPreflight, or add the CorsDefaults aspect in apply mode.');
      }
    } else if (this.mode === AspectMode.AUDIT && !Token.isUnresolved(cors)) {
      const { allowOrigins, allowCredentials } = cors as CfnApi.CorsProperty;
      if (allowCredentials === true && (allowOrigins ?? []).includes('*')) {
        reportFinding(node, 'cors', 'HTTP API allows origin "*" with credentials, which browsers refuse. List the exact origins instead.');
      }
    }
  }
}
