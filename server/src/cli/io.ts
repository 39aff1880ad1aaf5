// What a CLI command gets: its argv, the streams and the environment (so tests can run commands in-process).
import { OpenClawSecretsError } from '../../../shared/src/errors';

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdin and stdout are a terminal (asked only by configure: node:tty costs every other command a module load) */
  isTty: () => boolean;
  /** interactive prompts read lines from here (configure's TTY flow); opened only then, as Node's stdin costs start-up time */
  openStdin: () => NodeJS.ReadableStream;
}

export type CliCommand = (io: CliIo) => Promise<number>;

/** A user-facing error: printed as one line, no stack, with this exit code. */
export class CliError extends OpenClawSecretsError {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message, 'CLI_USAGE');
    this.name = 'CliError';
  }
}

/** Tiny flag parser: `--flag`, `--key value`, `--key=value`; unknown flags are errors. */
export function parseFlags(
  argv: readonly string[],
  spec: Record<string, 'boolean' | 'string'>,
): { flags: Record<string, string | boolean | undefined>; positionals: string[] } {
  // argv is input: no prototype, and only the spec's own names count (not '--constructor').
  const flags: Record<string, string | boolean | undefined> = Object.create(null);
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!kind) throw new CliError(`unknown option '--${name}'`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new CliError(`option '--${name}' takes no value`);
      flags[name] = true;
    } else {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new CliError(`option '--${name} <value>' argument missing`);
      flags[name] = value;
    }
  }
  return { flags, positionals };
}
