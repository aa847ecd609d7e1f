import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'projen-api-service',
  description:
    'A projen project type and CDK construct library for production-grade API Gateway v2 (HTTP and WebSocket) services.',
  author: 'projen-api-service developers',
  authorAddress: 'dev@example.com',
  repositoryUrl: 'https://example.com/projen-api-service.git',
  keywords: ['cdk', 'projen', 'apigatewayv2', 'websocket', 'http-api', 'mixins', 'aspects'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: '2.276.0',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',

  // projen is a peer: the project type (issue 3) extends its classes.
  peerDeps: ['projen@^0.103.25'],
  // jose: the local emulator's token issuer (signs and verifies test tokens); v5 is CommonJS, which jest loads.
  bundledDeps: ['handlebars@^4.7.8', 'ws@^8.18.0', 'fastest-levenshtein@^1.0.16', 'jose@^5.0.0'],
  devDeps: [
    // jsii 6 bundles TypeScript 6.0; TypeScript 7 breaks ts-jest.
    'typescript@~6.0.0',
    '@types/node@^20',
    'cdk-nag@^3.0.0',
    '@types/aws-lambda@^8.10.0',
    '@aws-sdk/client-secrets-manager@^3.0.0', // bundled into the authorizer's asset by esbuild
    'aws-sdk-client-mock@^4.0.0',
    'esbuild',
    '@types/ws@^8',
    'autocannon@^8',
    'playwright-core@^1.50.0',
    '@aws-sdk/client-apigatewaymanagementapi@^3.0.0',
    'aws-jwt-verify@^5.0.0', // bundled into the WebSocket token authorizer's asset by esbuild
    '@smithy/signature-v4@^5.0.0', // signs requests for real in the emulator's IAM tests
    '@aws-sdk/client-api-gateway@^3.0.0', // types only: the CloudWatch-role handler uses the Lambda runtime's client
    // The contract runtime (templates/api-service/src/contract/), copied into generated repos, tested here.
    'zod@^4.0.0',
    '@seriousme/openapi-schema-validator@^2.0.0', // validates the OpenAPI 3.1 documents the tests build
    '@asyncapi/specs@^6.0.0', // the AsyncAPI 3.0 JSON Schema, to validate the AsyncAPI documents with ajv
    'ajv@^8.0.0',
    'ajv-formats@^3.0.0',
    'openapi-typescript@^7.0.0', // the typed client: types from the OpenAPI document
    'openapi-fetch@^0.17.0', // the typed client: its runtime
  ],

  // The local emulator behind `npx projen dev` in generated repos.
  bin: { 'projen-api-service-dev': 'lib/local/cli.js' },

  // Lambda handlers shipped with the library (*.lambda.ts) are bundled into assets/ by esbuild.
  lambdaAutoDiscover: true,
  // The handler carries its own (pinned) AWS SDK client instead of the runtime's, so it also runs in the local
  // emulator of a repo that does not install that client.
  lambdaOptions: { bundlingOptions: { externals: [] } },

  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,

  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60_000,
      // Every core: jest's default (cores - 1) runs the suites one at a time on a 2-core machine (909 s against
      // 375 s with two workers, measured 2026-12-01).
      maxWorkers: '100%',
      // Every temporary file of a run goes in one folder, removed after the run (test/setup/temp-root.ts).
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  },
  gitignore: ['/bench-results/'],
});

// openapi-typescript 7 declares a peer typescript@^5 but works with the TypeScript 6 that jsii 6 needs.
project.package.addField('overrides', { 'openapi-typescript': { typescript: '$typescript' } });

// Minify the library's bundled handlers: they carry their own AWS SDK client. The custom resource handler that
// sets API Gateway's CloudWatch role runs only in AWS (never in the local emulator), so it uses the client of the
// Lambda Node.js runtime, which keeps the package small.
const RUNTIME_SDK_HANDLERS = ['bundle:websocket/cloudwatch-role-setter.lambda'];
for (const task of project.tasks.all.filter((t) => /^bundle:.*\.lambda$/.test(t.name))) {
  const [{ execArgs }] = task.steps;
  task.reset();
  task.execArgs([...execArgs!, '--minify', ...(RUNTIME_SDK_HANDLERS.includes(task.name) ? ['--external:@aws-sdk/*'] : [])]);
}

// Shipped with the package: handlebars templates of the generated repo (issue 3).
project.addPackageIgnore('!/templates/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/scripts/');
project.addPackageIgnore('/.ci/');

// End to end, with the packed tarball: the last step of `package`, so of `npx projen build`.
const e2e = project.addTask('test:e2e', {
  description: 'projen new --from the packed tarball, then build the generated repos',
  exec: "jest --testMatch '<rootDir>/test/e2e/**/*.e2e-test.ts' --coverage=false --runInBand",
  receiveArgs: true,
});
project.packageTask.spawn(e2e);

// ts-jest compiles each test file alone (isolatedModules) and so reports no type errors: check the suite as a whole,
// with the benchmarks and scripts, which ts-node runs without a type check (--transpile-only).
project.tsconfigDev.addInclude('../bench/**/*.ts');
project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json', { name: 'Type-check the test suite, benchmarks and scripts' });

// Benchmarks print figures; they are not tests (shared, noisy machines).
project.addTask('bench:local', {
  description: 'Local emulator vs a bare node server: req/s, p50/p99 at 50 connections; 1000 WebSocket echoes',
  exec: 'ts-node --transpile-only --project tsconfig.json bench/local-throughput.ts',
});
project.addTask('bench:projen', {
  description: 'projen new --from the packed tarball vs projen new awscdk-app-ts (median of 3, by phase); npx projen re-synthesis',
  exec: 'ts-node --transpile-only --project tsconfig.json bench/projen-synth.ts',
  receiveArgs: true,
});
project.addTask('bench:contract', {
  description: 'Time contract validation adds to the demo\'s POST /books (body and response): p50/p99 vs a plain handler',
  exec: 'ts-node --transpile-only --project tsconfig.json bench/contract-validation.ts',
});
project.addTask('bench:synth', {
  description: 'Synth time with and without ApiServiceDefaults at 100 and 1000 routes; most routes per stack',
  exec: 'ts-node --transpile-only --project tsconfig.json bench/synth-routes.ts',
});

// The main job: build and pack this package, generate a demo service from the tarball, build it and call it.
const demo = project.addTask('demo', {
  description: 'Generate a demo API service from the freshly built package, build it and show it working',
});
demo.spawn(project.preCompileTask);
demo.spawn(project.compileTask);
demo.spawn(project.tasks.tryFind('package:js')!);
demo.exec('ts-node --transpile-only --project tsconfig.json scripts/demo.ts');

project.synth();
