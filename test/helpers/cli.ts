// One way to run the CLI in tests: in process through runCli, with its own env, cwd, stdin and TTY flag.
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd?: string;
  /** pretend stdin is a terminal (interactive prompts) */
  tty?: boolean;
  /** what the user types, line by line; stdin ends after it */
  input?: string;
}

export async function cli(argv: string[], env: NodeJS.ProcessEnv, opts: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end(opts.input ?? '');
  const code = await runCli({
    argv,
    env,
    cwd: opts.cwd ?? process.cwd(),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => opts.tty ?? false,
    openStdin: () => stdin,
  });
  return { code, stdout, stderr };
}
