// The editor's Reload keeps states and fingerprints, never the resolved values, and still reports
// ok / degraded (last-known-good kept) / recovered as the gateway does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  prepareSecretsSnapshot,
  reloadWithoutValues,
  SecretsRuntime,
  type SecretAssignment,
} from '../../server/src/engine/runtime/runtimeSnapshot';

const CANARY = 'sk-test-CANARY-reload-masked';
const assignments: SecretAssignment[] = [
  {
    path: 'models.providers.openai.apiKey',
    ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
    expected: 'string',
  },
];
const prepareWith = (env: NodeJS.ProcessEnv) => () =>
  prepareSecretsSnapshot(assignments, { providers: {} }, { env, allowExec: false });

test('reloads keep no value, only masks, through ok, degraded and recovered', async () => {
  const runtime = new SecretsRuntime();
  const first = await reloadWithoutValues(runtime, prepareWith({ OPENAI_API_KEY: `${CANARY}-1` }));
  assert.equal(first.state, 'ok');
  const active = runtime.active()!;
  assert.deepEqual(active.paths(), [], 'the active snapshot holds no value');
  assert.equal(active.valueAt('models.providers.openai.apiKey'), undefined);
  const [mask] = active.masked();
  assert.match(mask.masked.fingerprint ?? '', /\S/, 'the fingerprint is kept');
  const everything =
    JSON.stringify(active) +
    inspect(active, { showHidden: true, depth: 10 }) +
    inspect(runtime, { showHidden: true, depth: 10 });
  assert.ok(!everything.includes(CANARY));

  const degraded = await reloadWithoutValues(runtime, prepareWith({}));
  assert.equal(degraded.state, 'degraded');
  assert.equal(runtime.active(), active, 'last-known-good kept');

  const recovered = await reloadWithoutValues(runtime, prepareWith({ OPENAI_API_KEY: `${CANARY}-2` }));
  assert.equal(recovered.state, 'recovered');
  assert.deepEqual(runtime.active()!.paths(), []);
  assert.notEqual(
    runtime.active()!.masked()[0].masked.fingerprint,
    mask.masked.fingerprint,
    'a changed value shows as a changed fingerprint',
  );
});

test('a first reload that fails activates nothing', async () => {
  const runtime = new SecretsRuntime();
  const failed = await reloadWithoutValues(runtime, prepareWith({}));
  assert.equal(failed.state, 'failed');
  assert.match(
    failed.message,
    /^Secret resolution failed; no snapshot is active\. models\.providers\.openai\.apiKey: /,
  );
  assert.equal(runtime.active(), undefined);
});
