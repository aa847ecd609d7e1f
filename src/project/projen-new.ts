/**
 * The `projen new` command line, as a project type sees it: flags that match no option (projen 0.103 hands a
 * project type only the options it knows, in `__new__.args`, and silently drops the rest, so the project type reads
 * the command line itself), and errors the CLI prints without a stack trace.
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

/**
 * `error` as a `CliError` of the running projen CLI, when the process is `projen new` (whose `main` is projen's
 * bin); else undefined. The CLI prints a `CliError` as its message (`👾 <message>`) and any other error with its
 * stack; it recognizes only its own class (projen 0.103: `lib/cli/util`), not the copy this package imports.
 */
export function asProjenCliError(error: Error, argv: string[], main: Pick<NodeJS.Module, 'require'> | undefined): Error | undefined {
  if (argv[2] !== 'new' || !main) return undefined;
  try {
    const { CliError } = main.require('../lib/cli/util') as { CliError: new (...lines: string[]) => Error };
    return new CliError(error.message);
  } catch {
    return undefined;
  }
}
