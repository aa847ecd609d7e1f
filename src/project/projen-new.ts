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

/** An option of a project type, as `projen new` sees it. */
export interface NewOption {
  /** Its flag name, e.g. `http-routes`. */
  readonly switch: string;
  /** Its name in `.projenrc.ts`, e.g. `httpRoutes`. */
  readonly name: string;
  /** Whether `projen new` takes it as a flag: strings, numbers, booleans, enums and lists of them, not maps. */
  readonly isFlag: boolean;
}

/**
 * A flag `projen new` drops: one no option answers to, with the option switch closest to it (when one is close),
 * or one naming an option that `projen new` cannot take (`option`).
 */
export interface UnknownFlag {
  readonly flag: string;
  readonly closest?: string;
  readonly option?: string;
}

/**
 * The flags in `argv` (the `projen new` command line) that `projen new` drops: neither its own flags nor an option
 * it takes as a flag. Accepts what yargs accepts: `--name value`, `--name=value`, `--no-name`, and camelCase names.
 * @param options the options of the project type
 */
export function unknownFlags(argv: string[], options: NewOption[]): UnknownFlag[] {
  const switches = options.filter((o) => o.isFlag).map((o) => o.switch);
  const known = new Set([...switches, ...PROJEN_FLAGS]);
  const end = argv.indexOf('--');
  const result: UnknownFlag[] = [];
  for (const arg of end === -1 ? argv : argv.slice(0, end)) {
    if (!/^--?[A-Za-z]/.test(arg)) continue;
    const name = arg.replace(/^-+/, '').split('=')[0].replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    if (known.has(name) || (name.startsWith('no-') && known.has(name.slice(3)))) continue;
    const flag = arg.split('=')[0];
    const option = options.find((o) => o.switch === name);
    if (option) {
      result.push({ flag, option: option.name });
      continue;
    }
    const candidate = closest(name, switches);
    // A typo, not another word: at most a third of the name differs.
    const near = candidate !== undefined && distance(name, candidate) <= Math.max(2, Math.floor(name.length / 3));
    result.push({ flag, closest: near ? candidate : undefined });
  }
  return result;
}

/** The options of a project type of this package, and those it inherits from projen, as `projen new` reads them. */
export function newOptions(projectFqn: string): NewOption[] {
  const types = {
    ...readManifest(path.dirname(require.resolve('projen/package.json')))?.types,
    ...readManifest(path.join(__dirname, '..', '..'))?.types,
  };
  return toProjectType(types as never, projectFqn).options.map((o) => ({ switch: o.switch, name: o.name, isFlag: isFlag(o) }));
}

/** What `projen new` (0.103) takes as a flag: primitives, enums and lists of strings or numbers. */
function isFlag(option: ReturnType<typeof toProjectType>['options'][number]): boolean {
  const element = option.type?.collection?.kind === 'array' ? option.type.collection.elementtype.primitive : undefined;
  return ['string', 'number', 'boolean'].includes(option.simpleType) || option.kind === 'enum' || element === 'string' || element === 'number';
}

/** The warning for one flag `projen new` drops. */
export function unknownFlagWarning({ flag, closest: near, option }: UnknownFlag): string {
  if (option) {
    return `Flag ${flag} ignored by projen new, which cannot take ${option} from the command line: set it in .projenrc.ts and run npx projen.`;
  }
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
