// A child process run to its end in tests: exactly the env given, input on stdin, output collected, a deadline.
import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command with exactly `env` (no inherited PATH or HOME), `input` on stdin; a deadline kills it. */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  timeoutMs = 60_000,
  cwd = '/',
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A child that exits without reading its stdin (EPIPE) is judged by its exit code, not by a crash here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
