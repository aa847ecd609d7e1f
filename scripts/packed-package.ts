/**
 * The freshly packed package, for the tools that run the real `projen new --from` with it (demo, e2e, benchmark).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A copy of the packed tarball under a plain file name: jsii-pacmak names it `name@version.jsii.tgz`, and
 * projen 0.103 splits a `--from` spec on `@`. The tarball is `given`, else $API_SERVICE_TARBALL, else dist/js/*.tgz.
 */
export function packedTarball(given = process.env.API_SERVICE_TARBALL): string {
  const distDir = path.join(__dirname, '..', 'dist', 'js');
  const found = fs.existsSync(distDir) ? fs.readdirSync(distDir).find((f) => f.endsWith('.tgz')) : undefined;
  const tarball = given ?? (found && path.join(distDir, found));
  if (!tarball) throw new Error(`No package tarball in ${distDir}: run \`npx projen package:js\` first.`);
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-service-pkg-')), 'projen-api-service.tgz');
  fs.copyFileSync(tarball, copy);
  return copy;
}

/** The `projen new --from` spec of the packed package. */
export function packedFromSpec(given?: string): string {
  return fromSpec(packedTarball(given));
}

/**
 * The `projen new --from` spec of a package tarball (`name@file:/abs/path.tgz`: projen 0.103 cannot take the path
 * alone). The package is this one unless `packageName` says otherwise.
 */
export function fromSpec(tarball: string, packageName = 'projen-api-service'): string {
  return `${packageName}@file:${tarball}`;
}
