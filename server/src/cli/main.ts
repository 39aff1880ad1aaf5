// `openclaw-secrets`: the provider engine as a command-line tool, a drop-in for `openclaw secrets`.
import { CliError, type CliCommand, type CliIo } from './io';
import { describeError } from '../../../shared/src/errors';
import { recoverIfIdle } from '../engine/plan/applyTransaction';
import { locateConfig } from '../engine/config/configLocation';

// Asked by the launcher (launcher.ts) when the process exits, before it keeps a V8 code cache of this run.
export { codeCacheWorthKeeping } from '../engine/runtime/coldWork';

// Each command's module is imported when it runs: start-up then initialises only what that command needs (the
// bundle defers every other module's set-up, e.g. the gateway client's for an audit).
const runAudit: CliCommand = async (io) => (await import('./commands/audit.js')).runAudit(io);
const runApply: CliCommand = async (io) => (await import('./commands/apply.js')).runApply(io);
const runConfigure: CliCommand = async (io) => (await import('./commands/configure.js')).runConfigure(io);
const runResolve: CliCommand = async (io) => (await import('./commands/resolve.js')).runResolve(io);
const runReload: CliCommand = async (io) => (await import('./commands/reload.js')).runReload(io);

/** Commands that first finish or roll back an apply a kill interrupted (applies themselves also do it under their lock). */
const RECOVERING_COMMANDS = new Set(['apply', 'audit', 'resolve', 'configure']);

const COMMANDS: Record<string, { summary: string; run: CliCommand }> = {
  audit: { summary: 'Audit plaintext secrets, unresolved refs, and precedence drift', run: runAudit },
  apply: { summary: 'Apply a previously generated secrets plan', run: runApply },
  configure: {
    summary: 'Declare providers and map credential fields to SecretRefs, writing a plan',
    run: runConfigure,
  },
  resolve: {
    summary: 'Resolve every SecretRef (dry-run): status, timing and fingerprint, never the value',
    run: runResolve,
  },
  reload: { summary: 'Ask the running OpenClaw gateway to re-resolve secrets (atomic swap)', run: runReload },
};

export function usage(): string {
  const lines = ['Usage: openclaw-secrets <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', "Run 'openclaw-secrets <command> --help' for a command's options.");
  return lines.join('\n') + '\n';
}

export async function runCli(io: CliIo): Promise<number> {
  const [name, ...rest] = io.argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 1;
  }
  if (name === '--version') {
    io.stdout('0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`error: unknown command '${name}'\n`);
    return 1;
  }
  try {
    if (RECOVERING_COMMANDS.has(name)) {
      const notice = await recoverIfIdle(locateConfig(io.env).stateDir);
      if (notice) io.stderr(`${notice}\n`);
    }
    return await command.run({ ...io, argv: rest });
  } catch (err) {
    // One line, no stack: the message never carries a secret value (errors are built from codes and paths).
    io.stderr(`openclaw-secrets ${name}: ${describeError(err, name).message}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

/** A reader that stops early (`audit --json | head`) closes our stdout: end quietly, as Unix tools do, not with a stack. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

if (require.main === module) {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  runCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    // isatty, not process.stdin.isTTY: touching process.stdin builds the stream, which only configure reads.
    isTty: () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by the command that asks
      const tty = require('node:tty') as typeof import('node:tty');
      return tty.isatty(0) && tty.isatty(1);
    },
    openStdin: () => process.stdin,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`openclaw-secrets: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
