// The built CLI as a real process against config, .env and auth stores that are not regular files or
// nest too deep: each answers promptly with "cannot read <path>: it is ..." or the nesting limit, never hangs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
/** A hang shows up as this deadline passing (the child is then killed), not as a stuck test run. */
const DEADLINE_MS = 20_000;

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

function state() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-cli-unreadable-'));
  const stateDir = path.join(home, '.openclaw');
  fs.mkdirSync(stateDir, { recursive: true });
  const configPath = path.join(stateDir, 'openclaw.json');
  const env = { HOME: home, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath, PATH: process.env.PATH };
  return { home, stateDir, configPath, env, dispose: () => fs.rmSync(home, { recursive: true, force: true }) };
}

test('config that is a FIFO, a directory or a link to /dev/zero: resolve says cannot read and what it is; audit answers', async () => {
  const kinds: Array<[string, (p: string) => void, RegExp]> = [
    ['FIFO', (p) => execFileSync('mkfifo', [p]), /it is a FIFO\.$/],
    ['directory', (p) => fs.mkdirSync(p), /it is a directory\.$/],
    ['/dev/zero link', (p) => fs.symlinkSync('/dev/zero', p), /it is a character device\.$/],
  ];
  for (const [name, make, what] of kinds) {
    const s = state();
    try {
      make(s.configPath);
      const r = await run(['resolve'], s.env);
      assert.equal(r.hung, false, `${name}: resolve hung`);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr.trim(), new RegExp(`cannot read ${s.configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      assert.match(r.stderr.trim(), what);
      assert.doesNotMatch(r.stderr, /Config is invalid/);
      const a = await run(['audit', '--json'], s.env);
      assert.equal(a.hung, false, `${name}: audit hung`);
      assert.equal(a.code, 2, a.stderr);
      // stdout stays OpenClaw's report; the reason goes to stderr
      assert.equal(
        JSON.parse(a.stdout).findings[0].message,
        'Config is invalid; cannot validate secret references reliably.',
      );
      assert.match(a.stderr.trim(), what);
    } finally {
      s.dispose();
    }
  }
});

test('resolve --config /dev/zero answers at once', async () => {
  const s = state();
  try {
    const r = await run(['resolve', '--config', '/dev/zero'], s.env);
    assert.equal(r.hung, false);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read \/dev\/zero: it is a character device\./);
  } finally {
    s.dispose();
  }
});

test('a FIFO .env and a FIFO auth-profiles.json do not hang audit or resolve', async () => {
  const s = state();
  try {
    fs.writeFileSync(
      s.configPath,
      '{ "models": { "providers": { "p": { "apiKey": { "source": "env", "provider": "default", "id": "OPENAI_API_KEY" } } } } }',
    );
    execFileSync('mkfifo', [path.join(s.stateDir, '.env')]);
    const agentDir = path.join(s.stateDir, 'agents', 'main', 'agent');
    fs.mkdirSync(agentDir, { recursive: true });
    execFileSync('mkfifo', [path.join(agentDir, 'auth-profiles.json')]);
    const env = { ...s.env, OPENAI_API_KEY: 'sk-test-CANARY-FIFO' };
    for (const args of [
      ['audit', '--json'],
      ['resolve', '--json'],
    ]) {
      const r = await run(args, env);
      assert.equal(r.hung, false, `${args[0]} hung`);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!(r.stdout + r.stderr).includes('CANARY'));
    }
  } finally {
    s.dispose();
  }
});

test('a config nested 10,000 levels deep: a message naming the limit, not a stack overflow', async () => {
  const s = state();
  try {
    fs.writeFileSync(s.configPath, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    const r = await run(['resolve'], s.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Nesting is deeper than 512 levels/);
    const a = await run(['audit'], s.env);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /Nesting is deeper than 512 levels/);
    for (const out of [r.stderr, a.stdout, a.stderr]) assert.doesNotMatch(out, /Maximum call stack/);
  } finally {
    s.dispose();
  }
});

test("audit --check of a missing config fails with a clear stderr line; stdout is OpenClaw's clean report", async () => {
  const s = state();
  try {
    const r = await run(['audit', '--check'], s.env);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'Secrets audit: clean. plaintext=0, unresolved=0, shadowed=0, storeResidue=0, legacy=0.\n');
    assert.match(
      r.stderr,
      new RegExp(`config not found: ${s.configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; nothing was audited\\.`),
    );
    const plain = await run(['audit'], s.env);
    assert.equal(plain.code, 0, "without --check it stays OpenClaw's exit 0");
  } finally {
    s.dispose();
  }
});
