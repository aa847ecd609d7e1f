import { awscdk, javascript } from "projen";
const project = new awscdk.AwsCdkConstructLibrary({
  author: "projen-api-service developers",
  authorAddress: "dev@example.com",
  cdkVersion: "2.189.1",
  defaultReleaseBranch: "main",
  jsiiVersion: "~6.0.0",
  name: "projen-api-service",
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  repositoryUrl: "https://example.com/projen-api-service.git",

  // deps: [],                /* Runtime dependencies of this module. */
  // description: undefined,  /* The description is just a string that helps people understand the purpose of the package. */
  // devDeps: [],             /* Build dependencies for this module. */
  // packageName: undefined,  /* The "name" in package.json. */
});
project.synth();