import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listExecCommands, resolveRefs } from '../../server/src/engine/resolve';
import type { ProviderConfig, SecretRef } from '../../server/src/engine/refs/secretRef';
import { CANARY, readLines, tempDir, writeScript, writeSecretFile } from './resolve-kit';

const execRef = (id: string, provider = 'vault'): SecretRef => ({ source: 'exec', provider, id });

/** A resolver that logs each request and answers every id except `missing/*`, which gets NOT_FOUND. */
function loggingResolver(dir: string, log: string): string {
  return writeScript(
    dir,
    'resolver.sh',
    [
      'req=$(/bin/cat)',
      `printf '%s\\n' "$req" >> ${log}`,
      // answer with values for the two known ids and an error for missing/key, like the oracle's e-exec case
      `printf '{"protocolVersion":1,"values":{"openai/apiKey":"${CANARY}-A","anthropic/apiKey":"${CANARY}-B"},"errors":{"missing/key":{"code":"NOT_FOUND"}}}'`,
    ].join('\n'),
  );
}

test('per-id errors in a batch: 9.6 re-runs one process per id (batch, then one each)', async () => {
  const t = tempDir();
  try {
    const log = t.file('requests.log');
    const cmd = loggingResolver(t.dir, log);
    const spawns: string[][] = [];
    const refs = ['openai/apiKey', 'anthropic/apiKey', 'missing/key'].map((id) => execRef(id));
    const out = await resolveRefs(
      refs,
      { providers: { vault: { source: 'exec', command: cmd } } },
      { allowExec: true, env: {}, onExecSpawn: (_a, ids) => spawns.push([...ids]) },
    );
    assert.deepEqual(spawns[0], ['openai/apiKey', 'anthropic/apiKey', 'missing/key']);
    assert.deepEqual(
      spawns
        .slice(1)
        .map((s) => s.join())
        .sort(),
      ['anthropic/apiKey', 'missing/key', 'openai/apiKey'],
    );
    const lines = readLines(log);
    assert.equal(
      lines[0],
      '{"protocolVersion":1,"provider":"vault","ids":["openai/apiKey","anthropic/apiKey","missing/key"]}',
    );
    assert.deepEqual(lines.slice(1).sort(), [
      '{"protocolVersion":1,"provider":"vault","ids":["anthropic/apiKey"]}',
      '{"protocolVersion":1,"provider":"vault","ids":["missing/key"]}',
      '{"protocolVersion":1,"provider":"vault","ids":["openai/apiKey"]}',
    ]);
    assert.ok(out.get('exec:vault:openai/apiKey')?.ok);
    assert.ok(out.get('exec:vault:anthropic/apiKey')?.ok);
    const missing = out.get('exec:vault:missing/key');
    assert.ok(missing && !missing.ok);
    assert.equal(missing.error.message, 'Exec provider "vault" failed for id "missing/key" (NOT_FOUND).');
  } finally {
    t.cleanup();
  }
});

test('a provider-wide failure is never re-run: one process, every ref gets the error', async () => {
  const t = tempDir();
  try {
    const cmd = writeScript(t.dir, 'exit3.sh', '/bin/cat >/dev/null\nexit 3');
    const spawns: string[][] = [];
    const out = await resolveRefs(
      [execRef('a'), execRef('b')],
      { providers: { vault: { source: 'exec', command: cmd } } },
      { allowExec: true, env: {}, onExecSpawn: (_a, ids) => spawns.push([...ids]) },
    );
    assert.deepEqual(spawns, [['a', 'b']]);
    for (const k of ['exec:vault:a', 'exec:vault:b']) {
      const o = out.get(k);
      assert.ok(o && !o.ok);
      assert.equal(o.error.message, 'Exec provider "vault" exited with code 3.');
      assert.equal(o.error.refKey, k);
    }
  } finally {
    t.cleanup();
  }
});

test('traversal ids are refused before anything runs; the valid ids then run one process each', async () => {
  const t = tempDir();
  try {
    const log = t.file('requests.log');
    const cmd = loggingResolver(t.dir, log);
    const spawns: string[][] = [];
    const refs = [execRef('a/../b'), execRef('./b'), execRef('openai/apiKey'), execRef('anthropic/apiKey')];
    const out = await resolveRefs(
      refs,
      { providers: { vault: { source: 'exec', command: cmd } } },
      { allowExec: true, env: {}, onExecSpawn: (_a, ids) => spawns.push([...ids]) },
    );
    assert.deepEqual(spawns.map((s) => s.join()).sort(), ['anthropic/apiKey', 'openai/apiKey']);
    for (const id of ['a/../b', './b']) {
      const o = out.get(`exec:vault:${id}`);
      assert.ok(o && !o.ok);
      assert.equal(o.error.code, 'SECRET_REF_INVALID');
      assert.match(o.error.message, /must not include "\." or "\.\." path segments/);
      assert.ok(o.error.message.endsWith(`(ref: exec:vault:${id}).`));
    }
    assert.ok(out.get('exec:vault:openai/apiKey')?.ok);
  } finally {
    t.cleanup();
  }
});

test('without allowExec nothing runs: exec refs are skipped, static errors still reported', async () => {
  const t = tempDir();
  try {
    const log = t.file('requests.log');
    const cmd = loggingResolver(t.dir, log);
    const spawns: string[][] = [];
    const providers: Record<string, ProviderConfig> = {
      vault: { source: 'exec', command: cmd },
      envp: { source: 'env' },
    };
    const out = await resolveRefs(
      [execRef('openai/apiKey'), execRef('k', 'nosuchexec'), execRef('k', 'envp')],
      { providers },
      { allowExec: false, env: {}, onExecSpawn: (_a, ids) => spawns.push([...ids]) },
    );
    assert.deepEqual(spawns, []);
    assert.deepEqual(readLines(log), []);
    const skipped = out.get('exec:vault:openai/apiKey');
    assert.ok(skipped && !skipped.ok && skipped.skipped);
    assert.equal(skipped.error.code, 'SECRET_EXEC_SKIPPED');
    const unknown = out.get('exec:nosuchexec:k');
    assert.ok(unknown && !unknown.ok && unknown.skipped);
    assert.equal(unknown.error.message, 'Secret provider "nosuchexec" is not configured (ref: exec:nosuchexec:k).');
    const mismatch = out.get('exec:envp:k');
    assert.ok(mismatch && !mismatch.ok && mismatch.skipped);
    assert.equal(mismatch.error.message, 'Secret provider "envp" has source "env" but ref requests "exec".');
  } finally {
    t.cleanup();
  }
});

test('maxRefsPerProvider and maxBatchBytes stop a batch before it runs', async () => {
  const t = tempDir();
  try {
    const cmd = loggingResolver(t.dir, t.file('requests.log'));
    const spawns: string[][] = [];
    const input = { providers: { vault: { source: 'exec', command: cmd } as ProviderConfig } };
    const onExecSpawn = (_a: string, ids: readonly string[]) => spawns.push([...ids]);
    const tooMany = await resolveRefs([execRef('a'), execRef('b')], input, {
      allowExec: true,
      env: {},
      limits: { maxRefsPerProvider: 1 },
      onExecSpawn,
    });
    const a = tooMany.get('exec:vault:a');
    assert.ok(a && !a.ok);
    assert.equal(a.error.message, 'Secret provider "vault" exceeded maxRefsPerProvider (1).');
    assert.equal(a.error.limit, 'maxRefsPerProvider');
    const tooBig = await resolveRefs([execRef('a'), execRef('b')], input, {
      allowExec: true,
      env: {},
      limits: { maxBatchBytes: 40 },
      onExecSpawn,
    });
    const b = tooBig.get('exec:vault:b');
    assert.ok(b && !b.ok);
    assert.equal(b.error.message, 'Exec provider "vault" request exceeded maxBatchBytes (40).');
    assert.equal(b.error.limit, 'maxBatchBytes');
    assert.deepEqual(spawns, []);
  } finally {
    t.cleanup();
  }
});

test('at most 4 providers resolve at once', async () => {
  const t = tempDir();
  try {
    const log = t.file('concurrency.log');
    const providers: Record<string, ProviderConfig> = {};
    const refs: SecretRef[] = [];
    for (let i = 0; i < 7; i++) {
      // each resolver holds its slot for a moment so overlaps are visible in the shared log
      const cmd = writeScript(
        t.dir,
        `r${i}.sh`,
        `/bin/cat >/dev/null\necho start >> ${log}\n/bin/sleep 0.3\necho end >> ${log}\nprintf '{"protocolVersion":1,"values":{"k":"v"}}'`,
      );
      providers[`p${i}`] = { source: 'exec', command: cmd };
      refs.push(execRef('k', `p${i}`));
    }
    const out = await resolveRefs(refs, { providers }, { allowExec: true, env: {} });
    assert.equal([...out.values()].filter((o) => o.ok).length, 7);
    let running = 0;
    let peak = 0;
    for (const line of readLines(log)) {
      running += line === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    assert.equal(peak, 4);
  } finally {
    t.cleanup();
  }
});

test('mixed sources in one call; duplicates answered once; listExecCommands names the commands', async () => {
  const t = tempDir();
  try {
    const cmd = loggingResolver(t.dir, t.file('requests.log'));
    const file = writeSecretFile(t.dir, 'secrets.json', JSON.stringify({ k: `${CANARY}-F` }));
    const input = {
      providers: {
        vault: { source: 'exec', command: cmd } as ProviderConfig,
        filemain: { source: 'file', path: file } as ProviderConfig,
      },
    };
    const refs: SecretRef[] = [
      { source: 'env', provider: 'default', id: 'K' },
      { source: 'file', provider: 'filemain', id: '/k' },
      execRef('openai/apiKey'),
      { source: 'file', provider: 'nosuch', id: '/x' },
      { source: 'env', provider: 'default', id: 'K' },
    ];
    const out = await resolveRefs(refs, input, { allowExec: true, env: { K: `${CANARY}-E` } });
    assert.deepEqual([...out.keys()].sort(), [
      'env:default:K',
      'exec:vault:openai/apiKey',
      'file:filemain:/k',
      'file:nosuch:/x',
    ]);
    assert.ok(out.get('env:default:K')?.ok);
    assert.ok(out.get('file:filemain:/k')?.ok);
    assert.ok(out.get('exec:vault:openai/apiKey')?.ok);
    assert.equal(out.get('file:nosuch:/x')?.ok, false);
    assert.deepEqual(listExecCommands(refs, input), [cmd]);
  } finally {
    t.cleanup();
  }
});
