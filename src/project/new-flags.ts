/**
 * Flags given to `projen new` that match no option. projen 0.103 hands a project type only the options it knows
 * (`__new__.args`) and silently drops the rest, so the project type reads the command line itself.
 */
import * as path from 'path';
import { closest, distance } from 'fastest-levenshtein';
// projen's own reader of project types and their options (the one `projen new` uses); not re-exported by its index.
import { readManifest, toProjectType } from 'projen/lib/inventory';

/** Flags of the `projen new` command itself and of the projen CLI, which are not project options. */
const PROJEN_FLAGS = ['from', 'f', 'synth', 'comments', 'git', 'post', 'watch', 'w', 'debug', 'help', 'h', 'version', 'projen-version'];

/** A flag no option answers to, with the option switch closest to it (when one is close). */
export interface UnknownFlag {
  readonly flag: string;
  readonly closest?: string;
}

/**
 * The flags in `argv` (the `projen new` command line) that are neither a `projen new` flag nor one of `switches`.
 * Accepts what yargs accepts: `--name value`, `--name=value`, `--no-name`, and camelCase names.
 * @param switches the option switches of the project type, e.g. `http-routes`
 */
export function unknownFlags(argv: string[], switches: string[]): UnknownFlag[] {
  const known = new Set([...switches, ...PROJEN_FLAGS]);
  const end = argv.indexOf('--');
  const result: UnknownFlag[] = [];
  for (const arg of end === -1 ? argv : argv.slice(0, end)) {
    if (!/^--?[A-Za-z]/.test(arg)) continue;
    const name = arg.replace(/^-+/, '').split('=')[0].replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    if (known.has(name) || (name.startsWith('no-') && known.has(name.slice(3)))) continue;
    const candidate = closest(name, switches);
    // A typo, not another word: at most a third of the name differs.
    const near = candidate !== undefined && distance(name, candidate) <= Math.max(2, Math.floor(name.length / 3));
    result.push({ flag: arg.split('=')[0], closest: near ? candidate : undefined });
  }
  return result;
}

/** The switches (`http-routes`, ...) of the options of a project type of this package, as `projen new` lists them. */
export function optionSwitches(projectFqn: string): string[] {
  const types = {
    ...readManifest(path.dirname(require.resolve('projen/package.json')))?.types,
    ...readManifest(path.join(__dirname, '..', '..'))?.types,
  };
  return toProjectType(types as never, projectFqn).options.map((o) => o.switch);
}

/** The warning for one unknown flag. */
export function unknownFlagWarning({ flag, closest: near }: UnknownFlag): string {
  return `Unknown flag ${flag} ignored by projen new${near ? `: did you mean --${near}?` : '.'} Set the option in .projenrc.ts and run npx projen.`;
}
