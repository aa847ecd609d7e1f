import { parseArgs, ParseArgsConfig } from 'util';

/** Parsed options and the cloud assembly directory (default `cdk.out`) of a command line. */
export interface CommandLine<T> {
  readonly values: T;
  readonly assemblyDir: string;
}

/**
 * Parses a command line of options in any order (`--port 4000` or `--port=4000`) and at most one positional, the
 * cloud assembly directory; a bad option or a second directory is one error that ends with the usage.
 */
export function parseCommandLine<T>(args: string[], options: ParseArgsConfig['options'], usage: string): CommandLine<T> {
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (e) {
    // Node's messages go on with hints about `--`; the first sentence names the bad option.
    throw new Error(`${(e as Error).message.split(/\.\s/)[0].replace(/\.$/, '')}. ${usage}`);
  }
  if (parsed.positionals.length > 1) {
    throw new Error(`One cloud assembly directory expected, got ${parsed.positionals.map(p => `'${p}'`).join(' and ')}. ${usage}`);
  }
  return { values: parsed.values as T, assemblyDir: parsed.positionals[0] ?? 'cdk.out' };
}
