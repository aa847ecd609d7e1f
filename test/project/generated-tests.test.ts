/**
 * The generated repos at work, in this process (no npm install, no build; test/e2e builds real ones): for a set of
 * option combinations, each repo's own tests run against its wiring, and its app synthesizes with AWS's
 * CloudFormation validation and cdk-nag as errors, as `npx projen build` does. The tests a repo is given are the
 * same text whatever the options (api-service-project.test.ts checks it), so this shows that every option can
 * change after `projen new` with the build staying green.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Testing } from 'projen';
import { JWT_CUSTOM_DOMAINS, USER_POOL_CERTIFICATE } from './fixtures/service-options';
import { InProcessRepo } from './in-process-repo';
import { ApiServiceProject, ApiServiceProjectOptions } from '../../src/project';

const PREVIOUS_VERSION = path.join(__dirname, 'fixtures', 'previous-version');

const REPOS: Record<string, Partial<ApiServiceProjectOptions>> = {
  'the demo (API keys)': {},
  'JWT from an OIDC issuer, per-route IAM and scopes, both custom domains, mutual TLS': { ...JWT_CUSTOM_DOMAINS, stageName: 'live' },
  'a Cognito user pool with scopes, HTTP only, on a domain with a certificate ARN': USER_POOL_CERTIFICATE,
  'a Cognito user pool, WebSocket only, on its own domain': {
    websocketRoutes: ['chat'],
    userPool: true,
    webSocketDomainName: 'ws.example.com',
    hostedZoneId: 'Z0123456789ABC',
    hostedZoneName: 'example.com',
  },
  'IAM everywhere, one public route': {
    httpRoutes: JWT_CUSTOM_DOMAINS.httpRoutes,
    websocketRoutes: ['sendmessage'],
    publicRoutes: ['GET /health'],
    authorization: 'iam',
  },
  'no authorization (apiKeyRequired: false, as earlier versions wrote it)': {
    apiKeyRequired: false,
  },
};

/** The repo made from these options; `files` replace generated ones (e.g. files of an earlier version). */
function repoOf(options: Partial<ApiServiceProjectOptions>, files: Record<string, string> = {}): InProcessRepo {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-service-'));
  const generated = Testing.synth(new ApiServiceProject({ name: 'books-api', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', outdir, ...options }));
  return new InProcessRepo({ ...generated, ...files });
}

/** Registers the tests of a repo: its own test files, and the synthesis of its app. */
function testRepo(repo: InProcessRepo): void {
  for (const file of repo.files('test', /\.test\.ts$/)) {
    describe(file, () => {
      repo.load(file);
    });
  }
  test('src/main.ts synthesizes, with CloudFormation validation and cdk-nag findings as errors', () => {
    // What the cdk CLI passes the app: cdk.json's context (feature flags, validation as errors) and cdk.out.
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
    process.env.CDK_CONTEXT_JSON = JSON.stringify(JSON.parse(fs.readFileSync(path.join(repo.dir, 'cdk.json'), 'utf-8')).context);
    process.env.CDK_OUTDIR = outdir;
    try {
      repo.load('src/main.ts');
    } finally {
      delete process.env.CDK_CONTEXT_JSON;
      delete process.env.CDK_OUTDIR;
    }
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8')).artifacts)).toContain('BooksApi');
  });
}

describe.each(Object.entries(REPOS))('%s', (_, options) => {
  testRepo(repoOf(options));
});

describe('a repo made by the previous version (apiKeyRequired), upgraded, with its stack and tests unchanged', () => {
  const previous = {
    'src/service-stack.ts': fs.readFileSync(path.join(PREVIOUS_VERSION, 'service-stack.ts.txt'), 'utf-8'),
    'test/service-stack.test.ts': fs.readFileSync(path.join(PREVIOUS_VERSION, 'service-stack.test.ts.txt'), 'utf-8'),
  };

  describe.each([true, false])('apiKeyRequired: %s', (apiKeyRequired) => {
    const repo = repoOf({ apiKeyRequired }, previous);
    testRepo(repo);

    test('authorizes its routes as before: the API key everywhere but the public routes, or nowhere', () => {
      const { ServiceStack } = repo.load('src/service-stack.ts') as { ServiceStack: new (scope: App, id: string) => Stack };
      const template = Template.fromStack(new ServiceStack(new App(), 'Upgraded'));
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
      const typeOf = (routeKey: string) => routes.find((r) => r.RouteKey === routeKey)?.AuthorizationType;
      expect([typeOf('GET /health'), typeOf('GET /books'), typeOf('POST /books'), typeOf('$connect')])
        .toEqual(apiKeyRequired ? ['NONE', 'CUSTOM', 'CUSTOM', 'CUSTOM'] : ['NONE', 'NONE', 'NONE', 'NONE']);
      expect(routes.find((r) => r.RouteKey === '$connect')?.ApiKeyRequired ?? false).toBe(apiKeyRequired);
    });
  });
});
