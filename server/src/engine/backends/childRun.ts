// Run a backend CLI with the value on stdin: absolute command, fixed argv, no shell, own process group
// killed when we answer (helpers such as gpg-agent spawned by it included), capped output, a deadline.
// Output is kept for error messages only after every occurrence of the value is cut out.
import { spawn } from 'node:child_process';

const MAX_OUTPUT_BYTES = 256 * 1024;

export interface ChildRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** the spawn itself failed (ENOENT, EACCES): the errno code */
  spawnError?: string;
}

export interface ChildRunOptions {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** written to stdin, then stdin is closed */
  stdin?: string;
  /**
   * stdin is /dev/null instead of a pipe: for a CLI that takes its input from a file named in argv and
   * treats a piped stdin as a second input (`op item create --template` refuses both, or waits on stdin)
   */
  stdinNull?: boolean;
  timeoutMs: number;
  /** strings cut out of stdout/stderr before anyone sees them (the value being moved) */
  redact?: readonly string[];
  /** keep the process group alive after exit (a daemon the caller manages); default false */
  keepGroup?: boolean;
}

function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[value]');
  return out;
}

export function runChild(opts: ChildRunOptions): Promise<ChildRunResult> {
  return new Promise((resolve) => {
    const child = spawn(opts.command, [...opts.args], {
      env: opts.env,
      cwd: opts.cwd,
      stdio: [opts.stdinNull ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let done = false;
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const collect = (into: Buffer[]) => (d: Buffer) => {
      size += d.length;
      if (size <= MAX_OUTPUT_BYTES) into.push(d);
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    const finish = (result: Omit<ChildRunResult, 'stdout' | 'stderr' | 'timedOut'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!opts.keepGroup) killGroup();
      const redact = opts.redact ?? [];
      resolve({
        ...result,
        timedOut,
        stdout: redactText(Buffer.concat(out).toString('utf8'), redact),
        stderr: redactText(Buffer.concat(err).toString('utf8'), redact),
      });
    };
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish({ exitCode: null, signal: null, spawnError: e.code ?? e.name }),
    );
    child.on('close', (code, signal) => finish({ exitCode: code, signal }));
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a CLI that exits before reading stdin must not crash us
      child.stdin.end(opts.stdin ?? '');
    }
  });
}

/** One line for an error message: the last non-empty stderr line (already redacted), trimmed. */
export function lastLine(text: string, max = 200): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines[lines.length - 1] ?? '';
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
