import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveProviderFor, resolveRefs } from '../../server/src/engine/resolve';
import type { SecretRef, ProviderConfig } from '../../server/src/engine/refs/secretRef';
import { CANARY } from './resolve-kit';

const envRef = (id: string, provider = 'default'): SecretRef => ({ source: 'env', provider, id });

test('implicit default env provider reads the given env, untrimmed', async () => {
  const env = { OPENAI_API_KEY: `  ${CANARY}-ENV \n` };
  const out = await resolveRefs([envRef('OPENAI_API_KEY')], { providers: {} }, { allowExec: false, env });
  const o = out.get('env:default:OPENAI_API_KEY');
  assert.ok(o?.ok);
  assert.equal(o.value, `  ${CANARY}-ENV \n`);
  assert.ok(o.elapsedMs >= 0);
});

test('the given env is used, never process.env', async () => {
  process.env.OCS_TEST_ONLY_IN_PROCESS = `${CANARY}-PROC`;
  try {
    const out = await resolveRefs(
      [envRef('OCS_TEST_ONLY_IN_PROCESS')],
      { providers: {} },
      { allowExec: false, env: {} },
    );
    const o = out.get('env:default:OCS_TEST_ONLY_IN_PROCESS');
    assert.ok(o && !o.ok);
    assert.equal(o.error.message, 'Environment variable "OCS_TEST_ONLY_IN_PROCESS" is missing or empty.');
  } finally {
    delete process.env.OCS_TEST_ONLY_IN_PROCESS;
  }
});

test('empty and whitespace values are missing', async () => {
  const out = await resolveRefs(
    [envRef('EMPTY'), envRef('BLANK')],
    { providers: {} },
    { allowExec: false, env: { EMPTY: '', BLANK: ' \t\n' } },
  );
  for (const key of ['env:default:EMPTY', 'env:default:BLANK']) {
    const o = out.get(key);
    assert.ok(o && !o.ok);
    assert.equal(o.error.code, 'SECRET_REF_NOT_FOUND');
    assert.equal(o.error.scope, 'ref');
    assert.equal(o.error.refKey, key);
  }
});

test('allowlist: exact names only; an empty allowlist denies everything', async () => {
  const env = { A_KEY: 'a', B_KEY: 'b' };
  const providers: Record<string, ProviderConfig> = {
    envp: { source: 'env', allowlist: ['A_KEY'] },
    none: { source: 'env', allowlist: [] },
  };
  const out = await resolveRefs(
    [envRef('A_KEY', 'envp'), envRef('B_KEY', 'envp'), envRef('A_KEY', 'none')],
    { providers },
    { allowExec: false, env },
  );
  assert.ok(out.get('env:envp:A_KEY')?.ok);
  const denied = out.get('env:envp:B_KEY');
  assert.ok(denied && !denied.ok);
  assert.equal(
    denied.error.message,
    'Environment variable "B_KEY" is not allowlisted in secrets.providers.envp.allowlist.',
  );
  assert.equal(denied.error.code, 'SECRET_REF_POLICY_DENIED');
  const none = out.get('env:none:A_KEY');
  assert.ok(none && !none.ok);
  assert.equal(none.error.code, 'SECRET_REF_POLICY_DENIED');
});

test('secrets.defaults.env renames the implicit provider; other unconfigured aliases are not configured', async () => {
  const input = { providers: {}, defaults: { env: 'myenv' } };
  const env = { K: 'v' };
  const out = await resolveRefs([envRef('K', 'myenv'), envRef('K', 'default')], input, { allowExec: false, env });
  assert.ok(out.get('env:myenv:K')?.ok);
  const o = out.get('env:default:K');
  assert.ok(o && !o.ok);
  assert.equal(o.error.message, 'Secret provider "default" is not configured (ref: env:default:K).');
  assert.equal(o.error.code, 'SECRET_PROVIDER_NOT_CONFIGURED');
});

test('source mismatch, and 9.6: the default env alias stays implicit even when a non-env provider has that name', () => {
  const input = {
    providers: { envp: { source: 'env' } as ProviderConfig, default: { source: 'file', path: '/x' } as ProviderConfig },
  };
  const mismatch = resolveProviderFor({ source: 'exec', provider: 'envp', id: 'k' }, input);
  assert.ok(!mismatch.ok);
  assert.equal(mismatch.error.message, 'Secret provider "envp" has source "env" but ref requests "exec".');
  assert.equal(mismatch.error.code, 'SECRET_PROVIDER_INVALID');
  const implicit = resolveProviderFor(envRef('K'), input);
  assert.ok(implicit.ok);
  assert.deepEqual(implicit.config, { source: 'env' });
  const notConfigured = resolveProviderFor({ source: 'file', provider: 'nosuch', id: '/x' }, input);
  assert.ok(!notConfigured.ok);
  assert.equal(notConfigured.error.message, 'Secret provider "nosuch" is not configured (ref: file:nosuch:/x).');
});

test('provider lookup uses own keys only', () => {
  const r = resolveProviderFor({ source: 'file', provider: 'constructor', id: '/x' }, { providers: {} });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'SECRET_PROVIDER_NOT_CONFIGURED');
});

test('invalid env ids and aliases are per-ref errors that name the ref key', async () => {
  const out = await resolveRefs(
    [envRef('lower'), envRef('OK', 'Bad')],
    { providers: {} },
    { allowExec: false, env: { OK: 'x', lower: 'y' } },
  );
  const lower = out.get('env:default:lower');
  assert.ok(lower && !lower.ok);
  assert.equal(
    lower.error.message,
    'Env secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (ref: env:default:lower).',
  );
  assert.equal(lower.error.code, 'SECRET_REF_INVALID');
  const bad = out.get('env:Bad:OK');
  assert.ok(bad && !bad.ok);
  assert.equal(bad.error.message, 'Secret reference provider must match /^[a-z][a-z0-9_-]{0,63}$/ (ref: env:Bad:OK).');
});

test('a redaction placeholder is not a credential', async () => {
  const out = await resolveRefs([envRef('K')], { providers: {} }, { allowExec: false, env: { K: '***' } });
  const o = out.get('env:default:K');
  assert.ok(o && !o.ok);
  assert.equal(o.error.code, 'SECRET_REF_REDACTED_VALUE');
});
