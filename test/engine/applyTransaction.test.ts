// apply's transaction edges: symlinked files are written through (the link stays), a plaintext whose new
// ref resolves to a different value is never replaced without force (a changed base is refused), and the
// lock: a dead holder is taken over, a live one makes the apply wait and then give up with its pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applySecretsPlan, ValueLossError } from '../../server/src/engine/plan/apply';
import {
  describeLockHolder,
  JOURNAL_NAME,
  LOCK_NAME,
  recoverInterruptedApply,
} from '../../server/src/engine/plan/applyTransaction';
import { fingerprint } from '../../server/src/engine/runtime/fingerprint';
import type { ConfigLocation } from '../../server/src/engine/config/configLocation';
import type { SecretsPlan } from '../../server/src/engine/plan/plan';

const KEY = 'sk-test-CANARY-txn-edge-0001';
const OTHER = 'sk-test-CANARY-txn-edge-other';
const plan: SecretsPlan = {
  version: 1,
  protocolVersion: 1,
  targets: [
    {
      type: 'models.providers.apiKey',
      path: 'models.providers.openai.apiKey',
      pathSegments: ['models', 'providers', 'openai', 'apiKey'],
      providerId: 'openai',
      ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
    },
  ],
};
const configText = (value: string) =>
  `${JSON.stringify({ models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: value } } } }, null, 2)}\n`;

function sandbox(): { dir: string; location: ConfigLocation } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-txn-edge-'));
  return { dir, location: { configPath: path.join(dir, 'openclaw.json'), stateDir: dir, configDir: dir } };
}

test('a symlinked openclaw.json is written through to its target; the link stays a link', async () => {
  const { dir, location } = sandbox();
  try {
    mkdirSync(path.join(dir, 'dotfiles'));
    writeFileSync(path.join(dir, 'dotfiles/openclaw.json'), configText(KEY), { mode: 0o600 });
    symlinkSync('dotfiles/openclaw.json', location.configPath);
    const result = await applySecretsPlan({
      plan,
      planPath: 'plan.json',
      location,
      env: { OPENAI_API_KEY: KEY },
      dryRun: false,
      allowExec: false,
    });
    assert.equal(result.changed, true);
    assert.ok(lstatSync(location.configPath).isSymbolicLink(), 'the link is still a link');
    assert.equal(readlinkSync(location.configPath), 'dotfiles/openclaw.json');
    const written = readFileSync(path.join(dir, 'dotfiles/openclaw.json'), 'utf8');
    assert.ok(!written.includes('CANARY'), 'the target no longer holds the plaintext');
    assert.deepEqual(JSON.parse(written).models.providers.openai.apiKey, plan.targets[0].ref);
    assert.deepEqual(
      readdirSync(path.join(dir, 'dotfiles')),
      ['openclaw.json'],
      'no staged file left beside the target',
    );
    assert.deepEqual(readdirSync(dir).sort(), ['dotfiles', 'openclaw.json'], 'no journal or lock left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a plaintext whose ref resolves to a different value is not replaced (both fingerprints named) unless forced', async () => {
  const { dir, location } = sandbox();
  try {
    writeFileSync(location.configPath, configText(KEY), { mode: 0o600 });
    const notices: string[] = [];
    const run = (dryRun: boolean, force = false) =>
      applySecretsPlan({
        plan,
        planPath: 'plan.json',
        location,
        env: { OPENAI_API_KEY: OTHER },
        dryRun,
        allowExec: false,
        force,
        onNotice: (l) => notices.push(l),
      });
    // The dry-run keeps OpenClaw's answer and says the write would be refused.
    const dry = await run(true);
    assert.equal(dry.changed, true);
    assert.equal(notices.length, 1);
    assert.match(notices[0], /a write would be refused/);
    await assert.rejects(run(false), (err: Error) => {
      assert.ok(err instanceof ValueLossError, String(err));
      assert.ok(
        err.message.includes(
          `models.providers.openai.apiKey holds ${fingerprint(KEY)} but env:default:OPENAI_API_KEY resolves to ${fingerprint(OTHER)}`,
        ),
        err.message,
      );
      assert.match(err.message, /--force/);
      assert.ok(!err.message.includes('CANARY'));
      return true;
    });
    assert.equal(readFileSync(location.configPath, 'utf8'), configText(KEY), 'nothing written');
    const forced = await run(false, true);
    assert.equal(forced.changed, true);
    assert.ok(!readFileSync(location.configPath, 'utf8').includes('CANARY'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a base changed since the dry-run (the field now holds another value) is refused, not merged', async () => {
  const { dir, location } = sandbox();
  try {
    writeFileSync(location.configPath, configText(KEY), { mode: 0o600 });
    const env = { OPENAI_API_KEY: KEY };
    const dry = await applySecretsPlan({ plan, planPath: 'plan.json', location, env, dryRun: true, allowExec: false });
    assert.equal(dry.changed, true);
    writeFileSync(location.configPath, configText(OTHER), { mode: 0o600 });
    await assert.rejects(
      applySecretsPlan({ plan, planPath: 'plan.json', location, env, dryRun: false, allowExec: false }),
      ValueLossError,
    );
    assert.equal(readFileSync(location.configPath, 'utf8'), configText(OTHER));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the lock: a dead holder is taken over; a live holder makes apply give up naming its pid', async () => {
  const { dir, location } = sandbox();
  try {
    writeFileSync(location.configPath, configText(KEY), { mode: 0o600 });
    const env = { OPENAI_API_KEY: KEY };
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: gone, start: '1' }));
    const live = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      const taken = await applySecretsPlan({
        plan,
        planPath: 'plan.json',
        location,
        env,
        dryRun: false,
        allowExec: false,
        lockWaitMs: 0,
      });
      assert.equal(taken.changed, true, 'the stale lock of a dead process did not block');
      assert.deepEqual(readdirSync(dir), ['openclaw.json']);
      writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: live.pid }));
      writeFileSync(location.configPath, configText(KEY), { mode: 0o600 });
      await assert.rejects(
        applySecretsPlan({
          plan,
          planPath: 'plan.json',
          location,
          env,
          dryRun: false,
          allowExec: false,
          lockWaitMs: 50,
        }),
        new RegExp(`Another secrets apply \\(pid ${live.pid}\\) is still running`),
      );
      assert.equal(readFileSync(location.configPath, 'utf8'), configText(KEY));
    } finally {
      live.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a FIFO at the journal or lock path is refused at once, never waited on', async () => {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'ocs-txn-fifo-')));
  try {
    spawnSync('mkfifo', [path.join(dir, JOURNAL_NAME), path.join(dir, LOCK_NAME)]);
    await assert.rejects(recoverInterruptedApply(dir), /Cannot read the apply journal .* \(not-regular\)/);
    assert.equal(describeLockHolder(dir), 'another process');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
