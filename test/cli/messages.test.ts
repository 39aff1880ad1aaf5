// CLI error lines end in exactly one period (OpenClaw prints "<path>.. Re-run" when its message already
// ends in one), and exec failures name the provider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli as runCliInProcess } from '../helpers/cli';

const cli = (argv: string[], env: NodeJS.ProcessEnv, cwd: string) => runCliInProcess(argv, env, { cwd });

test('apply of an invalid plan: "Secrets apply failed: ... <path>. Re-run", never ".."', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-cli-messages-'));
  try {
    writeFileSync(path.join(dir, 'openclaw.json'), '{}');
    writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({
        version: 1,
        protocolVersion: 1,
        targets: [
          {
            type: 'models.providers.apiKey',
            path: 'models.providers.__proto__.apiKey',
            ref: { source: 'env', provider: 'default', id: 'X' },
          },
        ],
      }),
    );
    const env = { HOME: dir, OPENCLAW_STATE_DIR: dir, OPENCLAW_CONFIG_PATH: path.join(dir, 'openclaw.json') };
    const r = await cli(['apply', '--from', 'bad.json', '--dry-run'], env, dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--plan-out <path>\. Re-run/);
    assert.doesNotMatch(r.stderr, /\.\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolve: an exec output flood and a signal are reported naming the provider, one period each', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-cli-messages-'));
  try {
    const flood = path.join(dir, 'flood.sh');
    writeFileSync(flood, '#!/bin/sh\nexec /usr/bin/yes sk-test-CANARY-FLOOD\n');
    chmodSync(flood, 0o700);
    const sig = path.join(dir, 'sig.sh');
    writeFileSync(sig, '#!/bin/sh\n/bin/cat >/dev/null\nkill -KILL $$\n');
    chmodSync(sig, 0o700);
    const config = {
      secrets: {
        providers: {
          flood: { source: 'exec', command: flood, maxOutputBytes: 2048 },
          sig: { source: 'exec', command: sig },
        },
      },
      models: {
        providers: {
          a: { apiKey: { source: 'exec', provider: 'flood', id: 'k' } },
          b: { apiKey: { source: 'exec', provider: 'sig', id: 'k' } },
        },
      },
    };
    writeFileSync(path.join(dir, 'openclaw.json'), JSON.stringify(config));
    const env = { HOME: dir, OPENCLAW_STATE_DIR: dir, OPENCLAW_CONFIG_PATH: path.join(dir, 'openclaw.json') };
    const r = await cli(['resolve', '--allow-exec', '--json'], env, dir);
    assert.equal(r.code, 2);
    const messages = (JSON.parse(r.stdout).results as Array<{ refKey: string; message: string }>).map((x) => [
      x.refKey,
      x.message,
    ]);
    assert.deepEqual(messages, [
      ['exec:flood:k', 'Exec provider "flood" output exceeded maxOutputBytes (2048).'],
      ['exec:sig:k', 'Exec provider "sig" was killed by SIGKILL.'],
    ]);
    assert.ok(!(r.stdout + r.stderr).includes('CANARY'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("option names that are Object.prototype members ('--constructor', '--__proto__') are unknown options", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-cli-messages-'));
  try {
    writeFileSync(path.join(dir, 'openclaw.json'), '{}');
    const env = { HOME: dir, OPENCLAW_STATE_DIR: dir, OPENCLAW_CONFIG_PATH: path.join(dir, 'openclaw.json') };
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const r = await cli(['audit', `--${name}`, 'x'], env, dir);
      assert.equal(r.code, 1, `--${name}`);
      assert.match(r.stderr, new RegExp(`unknown option '--${name}'`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
