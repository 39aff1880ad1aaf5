import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { resolveRefs } from '../../server/src/engine/resolve';
import type { ExecProviderConfig, SecretRef } from '../../server/src/engine/refs/secretRef';
import type { RefOutcome } from '../../server/src/engine/resolve/types';
import { CANARY, processGone, readLines, tempDir, waitUntil, writeScript } from './resolve-kit';

const execRef = (id: string, provider = 'vault'): SecretRef => ({ source: 'exec', provider, id });

async function runExec(
  config: Omit<ExecProviderConfig, 'source'>,
  ids: string[],
  extra: { env?: NodeJS.ProcessEnv; spawns?: string[][] } = {},
) {
  const outcomes = await resolveRefs(
    ids.map((id) => execRef(id)),
    { providers: { vault: { source: 'exec', ...config } } },
    { allowExec: true, env: extra.env ?? {}, onExecSpawn: (_alias, spawnedIds) => extra.spawns?.push([...spawnedIds]) },
  );
  return outcomes;
}

function failure(o: RefOutcome | undefined) {
  assert.ok(o, 'an outcome');
  assert.equal(o.ok, false, 'expected a failure');
  if (o.ok) throw new Error('unreachable');
  assert.ok(!o.error.message.includes(CANARY), `message leaks the canary: ${o.error.message}`);
  return o.error;
}

test('protocol v1: ids deduplicated, one process, exact request on stdin, fixed argv, values returned raw', async () => {
  const t = tempDir();
  try {
    const log = t.file('requests.log');
    const cmd = writeScript(
      t.dir,
      'resolver.sh',
      `req=$(/bin/cat)\nprintf 'argv=[%s] stdin=%s\\n' "$*" "$req" >> ${log}\nprintf '{"protocolVersion":1,"values":{"openai/apiKey":"${CANARY}-EXEC","n":42}}'`,
    );
    const spawns: string[][] = [];
    const outcomes = await runExec(
      { command: cmd, args: ['--profile', 'a b;c'] },
      ['openai/apiKey', 'n', 'openai/apiKey'],
      { spawns },
    );
    assert.deepEqual(spawns, [['openai/apiKey', 'n']]);
    assert.deepEqual(readLines(log), [
      'argv=[--profile a b;c] stdin={"protocolVersion":1,"provider":"vault","ids":["openai/apiKey","n"]}',
    ]);
    const ok = outcomes.get('exec:vault:openai/apiKey');
    assert.ok(ok?.ok);
    assert.equal(ok.value, `${CANARY}-EXEC`);
    const n = outcomes.get('exec:vault:n');
    assert.ok(n?.ok);
    assert.equal(n.value, 42);
    assert.equal(outcomes.size, 2);
  } finally {
    t.cleanup();
  }
});

test('the child gets only passEnv names present in env, the literal env map and OPENCLAW_CLI; cwd is the command folder', async () => {
  const t = tempDir();
  try {
    const dump = t.file('env.log');
    const sub = path.join(t.dir, 'bin');
    mkdirSync(sub, { mode: 0o700 });
    const cmd = writeScript(
      sub,
      'resolver.sh',
      `/bin/cat >/dev/null\n/usr/bin/env > ${dump}\nprintf 'cwd=%s\\n' "$(/bin/pwd)" >> ${dump}\nprintf '{"protocolVersion":1,"values":{"k":"v"}}'`,
    );
    const outcomes = await runExec(
      { command: cmd, passEnv: ['PASSED', 'ABSENT', 'OVERRIDDEN'], env: { LIT: 'x', OVERRIDDEN: 'from-config' } },
      ['k'],
      { env: { PASSED: 'yes', OVERRIDDEN: 'from-env', NOT_PASSED: CANARY, PATH: '/usr/bin:/bin', HOME: '/root' } },
    );
    assert.ok(outcomes.get('exec:vault:k')?.ok);
    const lines = readLines(dump);
    assert.ok(lines.includes(`cwd=${sub}`), lines.join('\n'));
    const vars = Object.fromEntries(
      lines.filter((l) => !l.startsWith('cwd=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    delete vars.PWD; // set by /bin/sh itself
    assert.deepEqual(vars, { PASSED: 'yes', OVERRIDDEN: 'from-config', LIT: 'x', OPENCLAW_CLI: '1' });
  } finally {
    t.cleanup();
  }
});

test('overall timeout kills a chatty resolver: timed out after <ms>ms, limit=timeoutMs', async () => {
  const t = tempDir();
  try {
    const cmd = writeScript(t.dir, 'slow.sh', `/bin/cat >/dev/null\nwhile :; do printf . >&2; /bin/sleep 0.05; done`);
    const started = Date.now();
    const outcomes = await runExec({ command: cmd, timeoutMs: 300, noOutputTimeoutMs: 5000 }, ['k']);
    const err = failure(outcomes.get('exec:vault:k'));
    assert.equal(err.message, 'Exec provider "vault" timed out after 300ms.');
    assert.equal(err.limit, 'timeoutMs');
    assert.equal(err.code, 'SECRET_PROVIDER_UNAVAILABLE');
    assert.equal(err.refKey, 'exec:vault:k');
    assert.ok(Date.now() - started < 4000);
  } finally {
    t.cleanup();
  }
});

test('no-output timeout kills a silent resolver and its whole process tree', async () => {
  const t = tempDir();
  try {
    const pidFile = t.file('child.pid');
    const cmd = writeScript(t.dir, 'silent.sh', `/bin/cat >/dev/null\n/bin/sleep 30 &\necho $! > ${pidFile}\nwait`);
    const started = Date.now();
    const outcomes = await runExec({ command: cmd, timeoutMs: 10000, noOutputTimeoutMs: 250 }, ['k']);
    const err = failure(outcomes.get('exec:vault:k'));
    assert.equal(err.message, 'Exec provider "vault" produced no output for 250ms.');
    assert.equal(err.limit, 'noOutputTimeoutMs');
    const o = outcomes.get('exec:vault:k')!;
    assert.ok(o.elapsedMs >= 250 && o.elapsedMs < 5000, `elapsed ${o.elapsedMs}`);
    assert.ok(Date.now() - started < 5000);
    const childPid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(childPid > 0);
    await waitUntil(() => processGone(childPid), 3000, `sleep child ${childPid} to die`);
  } finally {
    t.cleanup();
  }
});

test('noOutputTimeoutMs defaults to timeoutMs (9.6), so a resolver silent for a while within timeoutMs passes', async () => {
  const t = tempDir();
  try {
    // silent for 400ms, then answers: with timeoutMs 1500 and no noOutputTimeoutMs the silence budget is 1500ms
    const cmd = writeScript(
      t.dir,
      'late.sh',
      `/bin/cat >/dev/null\n/bin/sleep 0.4\nprintf '{"protocolVersion":1,"values":{"k":"v"}}'`,
    );
    const outcomes = await runExec({ command: cmd, timeoutMs: 1500 }, ['k']);
    assert.ok(outcomes.get('exec:vault:k')?.ok);
  } finally {
    t.cleanup();
  }
});

test('output flood past maxOutputBytes is killed, the message names the cap, never the output', async () => {
  const t = tempDir();
  try {
    const cmd = writeScript(t.dir, 'flood.sh', `exec /usr/bin/yes ${CANARY}-FLOOD`);
    const outcomes = await runExec({ command: cmd, maxOutputBytes: 1000 }, ['k']);
    const err = failure(outcomes.get('exec:vault:k'));
    assert.equal(err.message, 'Exec provider "vault" output exceeded maxOutputBytes (1000).');
    assert.equal(err.limit, 'maxOutputBytes');
  } finally {
    t.cleanup();
  }
});

test('stderr counts toward maxOutputBytes too', async () => {
  const t = tempDir();
  try {
    const cmd = writeScript(t.dir, 'errflood.sh', `exec /usr/bin/yes ${CANARY} 1>&2`);
    const err = failure((await runExec({ command: cmd, maxOutputBytes: 500 }, ['k'])).get('exec:vault:k'));
    assert.equal(err.limit, 'maxOutputBytes');
  } finally {
    t.cleanup();
  }
});

const responseCases: Array<{
  name: string;
  body: string;
  ids?: string[];
  jsonOnly?: boolean;
  message: string;
  code: string;
}> = [
  {
    name: 'bad JSON',
    body: `printf 'not json ${CANARY}'`,
    message: 'Exec provider "vault" returned invalid JSON.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'empty stdout',
    body: `printf '  \\n'`,
    message: 'Exec provider "vault" returned empty stdout.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'protocolVersion 2',
    body: `printf '{"protocolVersion":2,"values":{"k":"${CANARY}"}}'`,
    message: 'Exec provider "vault" protocolVersion must be 1.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'non-object JSON',
    body: `printf '[1]'`,
    message: 'Exec provider "vault" response must be an object.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'values missing',
    body: `printf '{"protocolVersion":1}'`,
    message: 'Exec provider "vault" response missing "values".',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'missing id',
    body: `printf '{"protocolVersion":1,"values":{}}'`,
    message: 'Exec provider "vault" response missing id "k".',
    code: 'SECRET_REF_NOT_FOUND',
  },
  {
    name: 'inherited key is not an own value',
    body: `printf '{"protocolVersion":1,"values":{}}'`,
    ids: ['constructor'],
    message: 'Exec provider "vault" response missing id "constructor".',
    code: 'SECRET_REF_NOT_FOUND',
  },
  {
    name: 'per-id error with free text is not echoed',
    body: `printf '{"protocolVersion":1,"values":{},"errors":{"k":{"code":"DENIED","message":"${CANARY}-LEAK"}}}'`,
    message: 'Exec provider "vault" failed for id "k".',
    code: 'SECRET_REF_PROVIDER_ERROR',
  },
  {
    name: 'per-id NOT_FOUND is echoed',
    body: `printf '{"protocolVersion":1,"values":{"k":"x"},"errors":{"k":{"code":"NOT_FOUND"}}}'`,
    message: 'Exec provider "vault" failed for id "k" (NOT_FOUND).',
    code: 'SECRET_REF_NOT_FOUND',
  },
  {
    name: 'non-zero exit',
    body: `echo ${CANARY} >&2; exit 3`,
    message: 'Exec provider "vault" exited with code 3.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'plain text with jsonOnly (default)',
    body: `printf '${CANARY}-PLAIN'`,
    message: 'Exec provider "vault" returned invalid JSON.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
  {
    name: 'plain text with jsonOnly:false but two ids',
    body: `printf '${CANARY}-PLAIN'`,
    ids: ['a', 'b'],
    jsonOnly: false,
    message: 'Exec provider "vault" returned invalid JSON.',
    code: 'SECRET_PROVIDER_UNAVAILABLE',
  },
];

for (const c of responseCases) {
  test(`response: ${c.name}`, async () => {
    const t = tempDir();
    try {
      const cmd = writeScript(t.dir, 'r.sh', `/bin/cat >/dev/null\n${c.body}`);
      const ids = c.ids ?? ['k'];
      const outcomes = await runExec(
        { command: cmd, ...(c.jsonOnly === undefined ? {} : { jsonOnly: c.jsonOnly }) },
        ids,
      );
      const err = failure(outcomes.get(`exec:vault:${ids[0]}`));
      assert.equal(err.message, c.message);
      assert.equal(err.code, c.code);
      assert.equal(err.refKey, `exec:vault:${ids[0]}`);
    } finally {
      t.cleanup();
    }
  });
}

test('jsonOnly:false with one id: plain text and a JSON string are the value', async () => {
  const t = tempDir();
  try {
    const plain = writeScript(t.dir, 'plain.sh', `/bin/cat >/dev/null\nprintf '  ${CANARY}-PLAIN\\n'`);
    const o1 = (await runExec({ command: plain, jsonOnly: false }, ['k'])).get('exec:vault:k');
    assert.ok(o1?.ok);
    assert.equal(o1.value, `${CANARY}-PLAIN`);
    const str = writeScript(t.dir, 'str.sh', `/bin/cat >/dev/null\nprintf '"${CANARY}-STR"'`);
    const o2 = (await runExec({ command: str, jsonOnly: false }, ['k'])).get('exec:vault:k');
    assert.ok(o2?.ok);
    assert.equal(o2.value, `${CANARY}-STR`);
  } finally {
    t.cleanup();
  }
});

test('a resolver that never reads stdin still answers (EPIPE on stdin is ignored)', async () => {
  const t = tempDir();
  try {
    const cmd = writeScript(t.dir, 'noread.sh', `printf '{"protocolVersion":1,"values":{"k":"v"}}'`);
    const ids = Array.from({ length: 300 }, (_, i) => `id-${i}-${'x'.repeat(200)}`);
    const outcomes = await runExec({ command: cmd }, ['k', ...ids]);
    assert.ok(outcomes.get('exec:vault:k')?.ok);
  } finally {
    t.cleanup();
  }
});

test('command path checks: symlink, group-writable, world-writable, directory, missing, outside trustedDirs', async () => {
  const t = tempDir();
  try {
    const real = writeScript(
      t.dir,
      'real.sh',
      `/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"k":"v"}}'`,
    );
    const link = path.join(t.dir, 'link.sh');
    symlinkSync(real, link);
    const groupWritable = writeScript(t.dir, 'gw.sh', 'exit 0', 0o770);
    const worldWritable = writeScript(t.dir, 'ww.sh', 'exit 0', 0o702);
    const readableByOthers = writeScript(
      t.dir,
      'ro.sh',
      `/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"k":"v"}}'`,
      0o755,
    );
    const label = 'secrets.providers.vault.command';
    const cases: Array<[Omit<ExecProviderConfig, 'source'>, string | null]> = [
      [{ command: link }, `${label} must not be a symlink: ${link}`],
      [{ command: groupWritable }, `${label} permissions are too open: ${groupWritable}`],
      [{ command: worldWritable }, `${label} permissions are too open: ${worldWritable}`],
      [{ command: t.dir }, `${label} must be a file: ${t.dir}`],
      [{ command: t.file('nope.sh') }, `${label} is not readable: ${t.file('nope.sh')}`],
      [{ command: real, trustedDirs: ['/usr/local/bin'] }, `${label} is outside trustedDirs: ${real}`],
      [{ command: real, trustedDirs: ['/usr/local/bin', t.dir] }, null],
      [{ command: readableByOthers }, null],
    ];
    for (const [config, expected] of cases) {
      const spawns: string[][] = [];
      const o = (await runExec(config, ['k'], { spawns })).get('exec:vault:k');
      if (expected === null) {
        assert.ok(o?.ok, `${config.command} should resolve`);
        continue;
      }
      const err = failure(o);
      assert.equal(err.message, expected);
      assert.equal(err.scope, 'provider');
      assert.deepEqual(spawns, [], 'nothing is spawned after a failed path check');
    }
  } finally {
    t.cleanup();
  }
});

test(
  'a command owned by another user is refused',
  { skip: process.getuid?.() === 0 ? false : 'needs root to own /bin/sh differently' },
  async () => {
    // As root, /bin/sh is owned by root = us; use a file chowned to nobody instead.
    const t = tempDir();
    try {
      const cmd = writeScript(t.dir, 'foreign.sh', 'exit 0', 0o755);
      chownSync(cmd, 65534, 65534);
      const err = failure((await runExec({ command: cmd }, ['k'])).get('exec:vault:k'));
      assert.equal(
        err.message,
        `secrets.providers.vault.command must be owned by the current user (uid=${process.getuid!()}): ${cmd}`,
      );
    } finally {
      t.cleanup();
    }
  },
);
