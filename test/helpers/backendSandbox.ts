// One throwaway OpenClaw home for the move-to-backend tests: a state dir with openclaw.json, a bin folder
// whose `openclaw` is the real 2026.9.6 CLI (a symlink to openclaw.mjs, as a global npm install makes it),
// the environment both our engine and the real CLI run with, and the real `secrets audit` to finish with.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { ensureOracle, type Oracle } from '../compat/oracle';
import { run } from './runProcess';
import { MoveError } from '../../server/src/engine/backends/backendTypes';
import { locateConfig, type ConfigLocation } from '../../server/src/engine/config/configLocation';

export interface BackendSandbox {
  root: string;
  home: string;
  stateDir: string;
  configPath: string;
  binDir: string;
  oracle: Oracle;
  /** the env our engine and the real openclaw run with (openclaw on PATH) */
  env: NodeJS.ProcessEnv;
  /** the same without openclaw on PATH (the "CLI absent" case) */
  envWithoutOpenClaw: NodeJS.ProcessEnv;
  location: ConfigLocation;
  writeConfig(value: unknown): string;
  readConfig(): string;
  dispose(): void;
}

export function backendSandbox(prefix: string, extraEnv: NodeJS.ProcessEnv = {}): BackendSandbox {
  const oracle = ensureOracle();
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  fs.chmodSync(root, 0o700);
  const home = path.join(root, 'home');
  const stateDir = path.join(home, '.openclaw');
  const binDir = path.join(root, 'bin');
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(home, 0o700);
  fs.mkdirSync(binDir, { mode: 0o755 });
  fs.symlinkSync(oracle.openclawMjs, path.join(binDir, 'openclaw'));
  const configPath = path.join(stateDir, 'openclaw.json');
  const base: NodeJS.ProcessEnv = {
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    TMPDIR: os.tmpdir(),
    ...extraEnv,
  };
  const nodeDir = path.dirname(oracle.nodeBin);
  const env = { ...base, PATH: `${nodeDir}:${binDir}:/usr/bin:/bin` };
  const envWithoutOpenClaw = { ...base, PATH: `${nodeDir}:/usr/bin:/bin` };
  return {
    root,
    home,
    stateDir,
    configPath,
    binDir,
    oracle,
    env,
    envWithoutOpenClaw,
    location: locateConfig(env),
    writeConfig(value) {
      const text = JSON.stringify(value, null, 2) + '\n';
      fs.writeFileSync(configPath, text, { mode: 0o600 });
      return text;
    },
    readConfig: () => fs.readFileSync(configPath, 'utf8'),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** A model provider entry OpenClaw's schema accepts, holding `apiKey`. */
export function modelProvider(apiKey: unknown, baseUrl = 'https://api.openai.example/v1'): Record<string, unknown> {
  return { baseUrl, api: 'openai-responses', models: [{ id: 'gpt-test', name: 'GPT Test' }], apiKey };
}

export interface OracleAudit {
  exitCode: number;
  stdout: string;
  stderr: string;
  report?: {
    summary: Record<string, number>;
    findings: Array<{ code: string; jsonPath?: string; file?: string; message?: string }>;
  };
}

/** The real `openclaw secrets audit --allow-exec --json` in the sandbox; a deadline kills it. */
export async function oracleAudit(sbx: BackendSandbox, timeoutMs = 180_000): Promise<OracleAudit> {
  const r = await run(
    sbx.oracle.nodeBin,
    [sbx.oracle.openclawMjs, 'secrets', 'audit', '--allow-exec', '--json'],
    sbx.env,
    '',
    timeoutMs,
    sbx.root,
  );
  let report: OracleAudit['report'];
  try {
    report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as OracleAudit['report'];
  } catch {
    report = undefined;
  }
  return { exitCode: r.code ?? 1, stdout: r.stdout, stderr: r.stderr, report };
}

/** A move that must be refused: its MoveError, whose message holds no value. */
export async function moveRefusal(promise: Promise<unknown>): Promise<MoveError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof MoveError, `expected a MoveError, got ${String(err)}`);
    assert.ok(!err.message.includes('CANARY'), `a value leaked into the message: ${err.message}`);
    return err;
  }
  assert.fail('the move succeeded but should have been refused');
}
