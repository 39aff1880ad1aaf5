// A state dir for the apply transaction tests: 50 plaintext model keys, an auth store and a .env, plus
// the plan that migrates them (all values obviously fake), and helpers to run the built CLI as a child.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');
export const KEYS = 50;
export const keyValue = (i: number): string => `sk-test-CANARY-txn-${String(i).padStart(3, '0')}-abcdefghij`;
export const OPENAI_VALUE = 'sk-test-CANARY-txn-openai-abcdefghij';
export const PROFILE_VALUE = 'sk-test-CANARY-txn-profile-abcdefghij';
export const UNTOUCHED_VALUE = 'sk-test-CANARY-txn-untouched-abcdefghij';

/** The files apply may write, relative to the state dir. */
export const FILES = ['openclaw.json', '.env', 'agents/main/agent/auth-profiles.json'] as const;

export interface Fixture {
  dir: string;
  env: NodeJS.ProcessEnv;
}

export function writeFixture(parent = tmpdir()): Fixture {
  const dir = mkdtempSync(path.join(parent, 'ocs-txn-'));
  const providers: Record<string, unknown> = { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: OPENAI_VALUE } };
  for (let i = 0; i < KEYS; i++) providers[`p${i}`] = { baseUrl: 'https://example.invalid/v1', apiKey: keyValue(i) };
  writeFileSync(path.join(dir, 'openclaw.json'), `${JSON.stringify({ models: { providers } }, null, 2)}\n`, {
    mode: 0o600,
  });
  writeFileSync(path.join(dir, '.env'), `OPENAI_API_KEY=${OPENAI_VALUE}\nOTHER_SETTING=keep-me\n`, { mode: 0o600 });
  mkdirSync(path.join(dir, 'agents/main/agent'), { recursive: true });
  const profiles = {
    'openai:default': { type: 'api_key', provider: 'openai', key: PROFILE_VALUE },
    'anthropic:default': { type: 'api_key', provider: 'anthropic', key: UNTOUCHED_VALUE },
  };
  writeFileSync(
    path.join(dir, 'agents/main/agent/auth-profiles.json'),
    `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`,
    { mode: 0o600 },
  );
  // The fingerprint key and the user cache dir live outside the state dir (as they do outside any workspace), so
  // file listings stay exact.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CACHE_HOME: path.join(parent, 'cache'),
    OPENCLAW_STATE_DIR: dir,
    NO_COLOR: '1',
    OPENAI_API_KEY: OPENAI_VALUE,
    OPENAI_PROFILE_KEY: PROFILE_VALUE,
    OPENCLAW_SECRETS_FINGERPRINT_KEY: path.join(parent, 'fingerprint.key'),
  };
  for (let i = 0; i < KEYS; i++) env[`TXN_KEY_${i}`] = keyValue(i);
  return { dir, env };
}

/** The plan for model keys [from, to), optionally with the openai key and the auth profile. */
export function writePlan(dir: string, name: string, range: [number, number], withOpenai: boolean): string {
  const targets: unknown[] = [];
  for (let i = range[0]; i < range[1]; i++) {
    targets.push({
      type: 'models.providers.apiKey',
      path: `models.providers.p${i}.apiKey`,
      pathSegments: ['models', 'providers', `p${i}`, 'apiKey'],
      providerId: `p${i}`,
      ref: { source: 'env', provider: 'default', id: `TXN_KEY_${i}` },
    });
  }
  if (withOpenai) {
    targets.push({
      type: 'models.providers.apiKey',
      path: 'models.providers.openai.apiKey',
      pathSegments: ['models', 'providers', 'openai', 'apiKey'],
      providerId: 'openai',
      ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
    });
    // No auth-profile target: 2026.9.6 writes those to the agent's SQLite store, outside this file transaction.
  }
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ version: 1, protocolVersion: 1, targets }));
  return file;
}

export function readFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FILES) out[f] = readFileSync(path.join(dir, f), 'utf8');
  return out;
}

/** Every file under dir, relative and sorted (temp, staged, journal and lock files show up here). */
export function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listTree(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI; `killAfterMs` SIGKILLs it that long after spawn (the crash experiment's variable). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
