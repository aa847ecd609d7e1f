/**
 * Files written once by an earlier version of the project type that an option of this version outgrows. They
 * belong to the user, so the project type says what to change rather than changing them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ServiceSpec } from './service-spec';
import { Authorization } from '../auth/authorization';

/** What the stack of earlier versions passes to `ApiServiceDefaults`: the props without the user pool. */
const MODULE_PROPS = 'new ApiServiceDefaults(apiServiceDefaultsProps)';
/** The assertion of the stack test of earlier versions: every route needs an API key or none. */
const API_KEY_ASSERTION = 'API_KEY_REQUIRED && !PUBLIC_ROUTES.includes(routeKey)';

/**
 * The warnings for the stack and its test, when earlier versions wrote them and the options now need more.
 * @param stackFile the stack, relative to `outdir`
 * @param stackTestFile its test, relative to `outdir`
 */
export function outgrownFileWarnings(outdir: string, stackFile: string, stackTestFile: string, spec: ServiceSpec): string[] {
  const read = (file: string) => (fs.existsSync(path.join(outdir, file)) ? fs.readFileSync(path.join(outdir, file), 'utf-8') : '');
  const warnings: string[] = [];
  if (spec.authorization.userPool && read(stackFile).includes(MODULE_PROPS)) {
    warnings.push(`${stackFile} (written by an earlier version) passes apiServiceDefaultsProps to ApiServiceDefaults, which has no user pool (userPool: true): write new ApiServiceDefaults(this.api.apiServiceDefaultsProps) instead.`);
  }
  const kinds = new Set(Object.values(spec.authorization.routeAuthorization).map((text) => Authorization.parse(text).kind));
  const outgrown = ['jwt', 'iam'].filter((kind) => kinds.has(kind));
  if (outgrown.length > 0 && read(stackTestFile).includes(API_KEY_ASSERTION)) {
    warnings.push(`${stackTestFile} (written by an earlier version) expects every HTTP route to need an API key or nothing, but routes are now authorized with ${outgrown.join(' and ')}: delete it and run npx projen for one that reads ROUTE_AUTHORIZATION, or change that test.`);
  }
  return warnings;
}
