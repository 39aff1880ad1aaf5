import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  prepareSecretsSnapshot,
  RELOAD_MESSAGES,
  SecretsRuntime,
  type PrepareResult,
  type SecretAssignment,
} from '../../server/src/engine/runtime/runtimeSnapshot';
import type { ProviderConfig } from '../../server/src/engine/refs/secretRef';
import { CANARY, tempDir, writeSecretFile } from './resolve-kit';

function fixture() {
  const t = tempDir('ocs-runtime-');
  const secretsFile = writeSecretFile(
    t.dir,
    'secrets.json',
    JSON.stringify({ openai: `${CANARY}-FILE-1`, sa: { type: 'service_account' }, n: 5 }),
  );
  const input = { providers: { filemain: { source: 'file', path: secretsFile } as ProviderConfig } };
  const assignments: SecretAssignment[] = [
    {
      path: 'models.providers.openai.apiKey',
      ref: { source: 'file', provider: 'filemain', id: '/openai' },
      expected: 'string',
    },
    {
      path: 'channels.telegram.botToken',
      ref: { source: 'env', provider: 'default', id: 'TG_TOKEN' },
      expected: 'string',
    },
    {
      path: 'channels.googlechat.serviceAccount',
      ref: { source: 'file', provider: 'filemain', id: '/sa' },
      expected: 'string-or-object',
    },
  ];
  const env = { TG_TOKEN: `${CANARY}-TG` };
  return { t, secretsFile, input, assignments, env };
}

test('prepare resolves every assignment; the snapshot shows only masked views', async () => {
  const f = fixture();
  try {
    const r = await prepareSecretsSnapshot(f.assignments, f.input, { allowExec: false, env: f.env });
    assert.ok(r.ok);
    const s = r.snapshot;
    assert.equal(s.valueAt('models.providers.openai.apiKey'), `${CANARY}-FILE-1`);
    assert.deepEqual(s.valueAt('channels.googlechat.serviceAccount'), { type: 'service_account' });
    const shown = JSON.stringify(s) + inspect(s) + String(s) + JSON.stringify(s.masked());
    assert.ok(!shown.includes(CANARY), shown);
    const masked = s.masked().find((m) => m.path === 'channels.telegram.botToken');
    assert.equal(masked?.refKey, 'env:default:TG_TOKEN');
    assert.equal(masked?.masked.type, 'string');
    assert.match(masked?.masked.fingerprint ?? '', /^hmac:[0-9a-f]{8}$/);
  } finally {
    f.t.cleanup();
  }
});

test('prepare lists every error (not just the first) and activates nothing', async () => {
  const f = fixture();
  try {
    const assignments: SecretAssignment[] = [
      ...f.assignments,
      {
        path: 'skills.entries.foo.apiKey',
        ref: { source: 'file', provider: 'filemain', id: '/n' },
        expected: 'string',
      },
      { path: 'talk.apiKey', ref: { source: 'file', provider: 'filemain', id: '/n' }, expected: 'string-or-object' },
      { path: 'cron.webhookToken', ref: { source: 'exec', provider: 'vault', id: 'k' }, expected: 'string' },
    ];
    const r = await prepareSecretsSnapshot(assignments, f.input, { allowExec: false, env: {} });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((e) => [e.path, e.code, e.message]),
      [
        ['channels.telegram.botToken', 'SECRET_REF_NOT_FOUND', 'Environment variable "TG_TOKEN" is missing or empty.'],
        [
          'skills.entries.foo.apiKey',
          'SECRET_VALUE_TYPE_MISMATCH',
          'skills.entries.foo.apiKey resolved to a non-string or empty value.',
        ],
        ['talk.apiKey', 'SECRET_VALUE_TYPE_MISMATCH', 'talk.apiKey resolved to an unsupported value type.'],
        [
          'cron.webhookToken',
          'SECRET_PROVIDER_NOT_CONFIGURED',
          'Secret provider "vault" is not configured (ref: exec:vault:k).',
        ],
      ],
    );
    assert.ok(!JSON.stringify(r.errors).includes(CANARY));
  } finally {
    f.t.cleanup();
  }
});

test('reload: not active -> failed; ok; degraded keeps last-known-good; repeated failure raises no new event; recovered', async () => {
  const f = fixture();
  try {
    const runtime = new SecretsRuntime();
    const prepare = (active: { assignments: readonly SecretAssignment[] }): Promise<PrepareResult> =>
      prepareSecretsSnapshot(active.assignments, f.input, { allowExec: false, env: f.env });

    let calls = 0;
    const notActive = await runtime.reload(async (a) => {
      calls++;
      return prepare(a);
    });
    assert.deepEqual(notActive, { state: 'failed', message: RELOAD_MESSAGES.notActive, warningCount: 0 });
    assert.equal(calls, 0);

    const first = await prepareSecretsSnapshot(f.assignments, f.input, { allowExec: false, env: f.env });
    assert.ok(first.ok);
    runtime.activate(first.snapshot);
    const ok = await runtime.reload(prepare);
    assert.deepEqual(ok, { state: 'ok', message: 'Secrets reloaded.', warningCount: 0 });
    const healthy = runtime.active();

    chmodSync(f.secretsFile, 0o644); // the provider now refuses the file
    const degraded = await runtime.reload(prepare);
    assert.equal(degraded.state, 'degraded');
    assert.equal(degraded.event, 'SECRETS_RELOADER_DEGRADED');
    assert.equal(
      degraded.message,
      `Secret resolution failed; runtime remains on last-known-good snapshot. models.providers.openai.apiKey: secrets.providers.filemain.path permissions are too open: ${f.secretsFile}; channels.googlechat.serviceAccount: secrets.providers.filemain.path permissions are too open: ${f.secretsFile}`,
    );
    assert.equal(runtime.active(), healthy);
    assert.equal(runtime.active()?.valueAt('models.providers.openai.apiKey'), `${CANARY}-FILE-1`);

    const again = await runtime.reload(prepare);
    assert.equal(again.state, 'degraded');
    assert.equal(again.event, undefined);

    writeFileSync(f.secretsFile, JSON.stringify({ openai: `${CANARY}-FILE-2`, sa: { type: 'service_account' } }));
    chmodSync(f.secretsFile, 0o600);
    const recovered = await runtime.reload(prepare);
    assert.deepEqual(recovered, {
      state: 'recovered',
      message: 'Secret resolution recovered; runtime remained on last-known-good during the outage.',
      warningCount: 0,
      event: 'SECRETS_RELOADER_RECOVERED',
    });
    assert.equal(runtime.active()?.valueAt('models.providers.openai.apiKey'), `${CANARY}-FILE-2`);
    assert.ok(!JSON.stringify([degraded, again, recovered]).includes(CANARY));
  } finally {
    f.t.cleanup();
  }
});

test('reloads run one at a time and a warning count is reported', async () => {
  const f = fixture();
  try {
    const runtime = new SecretsRuntime();
    const base = await prepareSecretsSnapshot(f.assignments, f.input, { allowExec: false, env: f.env });
    assert.ok(base.ok);
    runtime.activate(base.snapshot);
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstGate = new Promise<void>((r) => (releaseFirst = r));
    const withWarning = () =>
      prepareSecretsSnapshot(
        f.assignments,
        f.input,
        { allowExec: false, env: f.env },
        {
          warnings: [
            {
              code: 'SECRETS_REF_OVERRIDES_PLAINTEXT',
              path: 'auth-profiles.x',
              message: 'auth-profiles x: keyRef is set; runtime will ignore plaintext key.',
            },
          ],
        },
      );
    const one = runtime.reload(async () => {
      order.push('one:start');
      await firstGate;
      order.push('one:end');
      return withWarning();
    });
    const two = runtime.reload(async () => {
      order.push('two:start');
      return withWarning();
    });
    // the second reload must not start while the first is still preparing
    await new Promise<void>((r) => setImmediate(r));
    assert.deepEqual(order, ['one:start']);
    releaseFirst();
    const [r1, r2] = await Promise.all([one, two]);
    assert.deepEqual(order, ['one:start', 'one:end', 'two:start']);
    assert.equal(r1.message, 'Secrets reloaded with 1 warning(s).');
    assert.equal(r2.warningCount, 1);
  } finally {
    f.t.cleanup();
  }
});
