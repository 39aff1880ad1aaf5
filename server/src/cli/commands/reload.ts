// `openclaw-secrets reload`: only the running gateway can swap its secrets snapshot, so this hands the
// request to the installed `openclaw secrets reload --json` and relays its answer and exit code.
import { constants as fsc, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CliError, parseFlags, type CliIo } from '../io';

export const RELOAD_HELP = `Usage: openclaw-secrets reload [options]

Re-resolve secret references in the running OpenClaw gateway and atomically swap its runtime snapshot
(runs the installed 'openclaw secrets reload'; the gateway keeps its last good snapshot on failure)

Options:
  --expect-final         Wait for final response (agent) (default: false)
  -h, --help             Display help for command
  --json                 Output JSON (default: false)
  --password <password>  Gateway password (if required)
  --port <port>          Local Gateway port
  --timeout <ms>         Timeout in ms (default: "30000")
  --token <token>        Gateway token (if required)
  --url <url>            Gateway WebSocket URL (defaults to gateway.remote.url when configured)

Exit codes: the gateway CLI's (0 reloaded, 1 failed); 1 when no 'openclaw' is on PATH.
`;

export const NO_GATEWAY_CLI_MESSAGE =
  "No OpenClaw gateway CLI found on PATH: reload needs the 'openclaw' command (npm install -g openclaw) and a running gateway. Add it to PATH and re-run.";

/** The first executable `openclaw` on PATH (as the shell would find it), or undefined. */
export async function findOnPath(name: string, pathVar: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      const st = await fs.stat(candidate);
      if (!st.isFile()) continue;
      await fs.access(candidate, fsc.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function runReload(io: CliIo): Promise<number> {
  const argv = io.argv.map((a) => (a === '-h' ? '--help' : a));
  const { flags, positionals } = parseFlags(argv, {
    json: 'boolean',
    'expect-final': 'boolean',
    help: 'boolean',
    url: 'string',
    token: 'string',
    password: 'string',
    port: 'string',
    timeout: 'string',
  });
  if (flags.help) {
    io.stdout(RELOAD_HELP);
    return 0;
  }
  if (positionals.length) throw new CliError(`too many arguments for 'reload'. Expected 0 arguments but got ${positionals.length}.`);
  const json = flags.json === true;
  const openclaw = await findOnPath('openclaw', io.env.PATH);
  if (!openclaw) {
    if (json) io.stdout(`${JSON.stringify({ ok: false, error: { type: 'cli_error', message: NO_GATEWAY_CLI_MESSAGE } }, null, 2)}\n`);
    else io.stderr(`${NO_GATEWAY_CLI_MESSAGE}\n`);
    return 1;
  }
  const forwarded = ['secrets', 'reload', '--json'];
  if (flags['expect-final']) forwarded.push('--expect-final');
  for (const name of ['url', 'token', 'password', 'port', 'timeout'] as const) {
    const value = flags[name];
    if (typeof value === 'string') forwarded.push(`--${name}`, value);
  }
  const { execa } = await import('execa');
  // No shell, argv as given; the gateway credentials go to the child only, never to our output.
  const child = await execa(openclaw, forwarded, { env: io.env, extendEnv: false, reject: false, stdin: 'ignore', cwd: io.cwd, stripFinalNewline: false });
  const stdout = String(child.stdout ?? '');
  const stderr = String(child.stderr ?? '');
  const exitCode = typeof child.exitCode === 'number' ? child.exitCode : 1;
  if (json) {
    io.stdout(stdout);
    if (stderr) io.stderr(stderr);
    return exitCode;
  }
  if (exitCode !== 0) {
    if (stderr) io.stderr(stderr);
    const reported = parseJson(stdout);
    const message = reported?.error && typeof reported.error === 'object' ? (reported.error as { message?: unknown }).message : undefined;
    if (typeof message === 'string') io.stderr(`Secrets reload failed: ${message}\n`);
    else if (!stderr && stdout) io.stderr(stdout);
    return exitCode;
  }
  const result = parseJson(stdout);
  const warningCount = Number(result?.warningCount ?? 0);
  io.stdout(Number.isFinite(warningCount) && warningCount > 0 ? `Secrets reloaded with ${warningCount} warning(s).\n` : 'Secrets reloaded.\n');
  return 0;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
