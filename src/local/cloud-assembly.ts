import * as fs from 'fs';
import * as path from 'path';

/** One resource of a CloudFormation template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

/** A synthesized stack: its template and where it was found. */
export interface StackTemplate {
  readonly stackName: string;
  /** Region of the stack's environment, or `us-east-1` when environment-agnostic. */
  readonly region: string;
  /** Account of the stack's environment, or a dummy account when environment-agnostic. */
  readonly account: string;
  /** The cloud assembly directory holding the template (asset paths are relative to it). */
  readonly assemblyDir: string;
  readonly resources: Record<string, TemplateResource>;
  /** File assets of the assembly: S3 object key (`<hash>.zip`) to the absolute path of the asset. */
  readonly assets: Record<string, string>;
}

/** Used where a stack is environment-agnostic. */
export const DEFAULT_REGION = 'us-east-1';
/** Used where a stack is environment-agnostic. */
export const DEFAULT_ACCOUNT = '123456789012';

/**
 * Reads every CloudFormation stack of a cloud assembly (a `cdk.out` directory), including the
 * assemblies of nested `Stage`s.
 */
export function readCloudAssembly(dir: string): StackTemplate[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`No cloud assembly at '${dir}': ${manifestFile} does not exist. Run 'cdk synth' (or 'npx projen synth') first, or pass the cdk.out directory.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  const stacks: StackTemplate[] = [];
  const assets = readAssetManifests(dir, manifest);
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...readCloudAssembly(path.join(dir, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack') {
      const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf-8'));
      const env = parseEnvironment(artifact.environment);
      stacks.push({
        stackName: artifact.properties.stackName ?? artifactId,
        region: env.region,
        account: env.account,
        assemblyDir: dir,
        resources: template.Resources ?? {},
        assets,
      });
    }
  }
  return stacks;
}

function readAssetManifests(dir: string, manifest: any): Record<string, string> {
  const assets: Record<string, string> = {};
  for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:asset-manifest') {
      const files = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.file), 'utf-8')).files ?? {};
      for (const file of Object.values<any>(files)) {
        for (const destination of Object.values<any>(file.destinations ?? {})) {
          assets[destination.objectKey] = path.resolve(dir, file.source.path);
        }
      }
    }
  }
  return assets;
}

function parseEnvironment(environment: string | undefined): { account: string; region: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  const account = match && !match[1].startsWith('unknown-') ? match[1] : DEFAULT_ACCOUNT;
  const region = match && !match[2].startsWith('unknown-') ? match[2] : DEFAULT_REGION;
  return { account, region };
}
