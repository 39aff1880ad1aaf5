import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { resolveRefs } from '../../server/src/engine/resolve';
import { readJsonPointer } from '../../server/src/engine/resolve/jsonPointer';
import { checkSecurePath } from '../../server/src/engine/resolve/pathSecurity';
import type { FileProviderConfig, SecretRef } from '../../server/src/engine/refs/secretRef';
import type { RefOutcome } from '../../server/src/engine/resolve/types';
import { CANARY, tempDir, writeSecretFile } from './resolve-kit';

const fileRef = (id: string, provider = 'filemain'): SecretRef => ({ source: 'file', provider, id });

async function runFile(config: Omit<FileProviderConfig, 'source'>, ids: string[], env: NodeJS.ProcessEnv = {}) {
  return resolveRefs(
    ids.map((id) => fileRef(id)),
    { providers: { filemain: { source: 'file', ...config } } },
    { allowExec: false, env },
  );
}

function failure(o: RefOutcome | undefined) {
  assert.ok(o && !o.ok, 'expected a failure');
  if (o.ok) throw new Error('unreachable');
  assert.ok(!o.error.message.includes(CANARY), `message leaks the canary: ${o.error.message}`);
  return o.error;
}

const PAYLOAD = JSON.stringify({
  providers: { openai: { apiKey: `${CANARY}-FILEJSON` } },
  'a~b': { 'c/d': `${CANARY}-ESC` },
  '': 'empty-key',
  list: ['x', 'y'],
  n: 7,
});

test('json mode: pointers with ~0/~1 escapes, "/" addresses the key "", any JSON type comes back', async () => {
  const t = tempDir();
  try {
    const p = writeSecretFile(t.dir, 'secrets.json', PAYLOAD);
    const out = await runFile({ path: p, mode: 'json' }, [
      '/providers/openai/apiKey',
      '/a~0b/c~1d',
      '/',
      '/list/1',
      '/n',
      '/providers',
    ]);
    const value = (id: string) => {
      const o = out.get(`file:filemain:${id}`);
      assert.ok(o?.ok, id);
      return o.value;
    };
    assert.equal(value('/providers/openai/apiKey'), `${CANARY}-FILEJSON`);
    assert.equal(value('/a~0b/c~1d'), `${CANARY}-ESC`);
    assert.equal(value('/'), 'empty-key');
    assert.equal(value('/list/1'), 'y');
    assert.equal(value('/n'), 7);
    assert.deepEqual(value('/providers'), { openai: { apiKey: `${CANARY}-FILEJSON` } });
  } finally {
    t.cleanup();
  }
});

test('json pointer misses are per-ref errors naming the segment', async () => {
  const t = tempDir();
  try {
    const p = writeSecretFile(t.dir, 'secrets.json', PAYLOAD);
    const out = await runFile({ path: p }, [
      '/providers/nope',
      '/list/2',
      '/list/01',
      '/constructor',
      '/providers/openai/apiKey',
    ]);
    assert.equal(
      failure(out.get('file:filemain:/providers/nope')).message,
      'JSON pointer segment "nope" does not exist.',
    );
    assert.equal(failure(out.get('file:filemain:/list/2')).message, 'JSON pointer segment "2" is out of bounds.');
    assert.equal(failure(out.get('file:filemain:/list/01')).message, 'JSON pointer segment "01" is out of bounds.');
    assert.equal(failure(out.get('file:filemain:/constructor')).code, 'SECRET_REF_NOT_FOUND');
    assert.ok(out.get('file:filemain:/providers/openai/apiKey')?.ok);
  } finally {
    t.cleanup();
  }
});

test('readJsonPointer decodes ~1 before ~0 and refuses relative pointers', () => {
  assert.equal(readJsonPointer({ '~1': 'tilde-one', '/': 'slash' }, '/~01'), 'tilde-one');
  assert.equal(readJsonPointer({ '~1': 'tilde-one', '/': 'slash' }, '/~1'), 'slash');
  assert.throws(() => readJsonPointer({}, 'x'), /must be absolute JSON pointers/);
});

test('singleValue mode: one trailing newline and a BOM removed; any other id is invalid', async () => {
  const t = tempDir();
  try {
    const p = writeSecretFile(t.dir, 'single.txt', `\uFEFF${CANARY}-SINGLE\n\n`);
    const out = await runFile({ path: p, mode: 'singleValue' }, ['value', '/x']);
    const o = out.get('file:filemain:value');
    assert.ok(o?.ok);
    assert.equal(o.value, `${CANARY}-SINGLE\n`);
    const err = failure(out.get('file:filemain:/x'));
    assert.equal(err.message, 'singleValue file provider "filemain" expects ref id "value".');
    assert.equal(err.code, 'SECRET_REF_INVALID');
  } finally {
    t.cleanup();
  }
});

test('0600 and 0400 pass; 0644, 0640 and 0660 are too open', async () => {
  const t = tempDir();
  try {
    for (const [mode, ok] of [
      [0o600, true],
      [0o400, true],
      [0o644, false],
      [0o640, false],
      [0o660, false],
      [0o604, false],
    ] as const) {
      const p = writeSecretFile(t.dir, `s-${mode.toString(8)}.json`, PAYLOAD, mode);
      const o = (await runFile({ path: p }, ['/n'])).get('file:filemain:/n');
      if (ok) assert.ok(o?.ok, mode.toString(8));
      else assert.equal(failure(o).message, `secrets.providers.filemain.path permissions are too open: ${p}`);
    }
  } finally {
    t.cleanup();
  }
});

const enoent = (label: string, p: string) =>
  `${label} is not readable: ${p} | ENOENT: no such file or directory, lstat '${p}' | ENOENT | not-found | ENOENT`;

test('symlinked, hardlinked, relative, missing and directory paths are refused', async () => {
  const t = tempDir();
  try {
    const real = writeSecretFile(t.dir, 'real.json', PAYLOAD);
    const link = path.join(t.dir, 'link.json');
    symlinkSync(real, link);
    const hard = writeSecretFile(t.dir, 'hard.json', PAYLOAD);
    linkSync(hard, path.join(t.dir, 'hard2.json'));
    const dir = path.join(t.dir, 'sub');
    mkdirSync(dir);
    const label = 'secrets.providers.filemain.path';
    const cases: Array<[string, string]> = [
      [link, `${label} must not be a symlink: ${link}`],
      [hard, `${label} must not be hardlinked: ${hard}`],
      // 9.6 (checked with the real CLI): a relative path is resolved against the working directory, and fs
      // errors end in ` | ENOENT: ... | ENOENT | not-found | ENOENT` / ` | not-file`.
      [
        `nonexistent-${path.basename(t.dir)}.json`,
        enoent(label, path.resolve(`nonexistent-${path.basename(t.dir)}.json`)),
      ],
      [t.file('missing.json'), enoent(label, t.file('missing.json'))],
      [dir, `${label} must be a file: ${dir} | not-file`],
    ];
    for (const [p, message] of cases) {
      const err = failure((await runFile({ path: p }, ['/n'])).get('file:filemain:/n'));
      assert.equal(err.message, message);
      assert.equal(err.scope, 'provider');
      assert.equal(err.code, 'SECRET_PROVIDER_UNAVAILABLE');
    }
  } finally {
    t.cleanup();
  }
});

test('~ expands from OPENCLAW_HOME / HOME of the given env', async () => {
  const t = tempDir();
  try {
    writeSecretFile(t.dir, 'secrets.json', PAYLOAD);
    const o = (await runFile({ path: '~/secrets.json' }, ['/n'], { HOME: t.dir })).get('file:filemain:/n');
    assert.ok(o?.ok);
  } finally {
    t.cleanup();
  }
});

test('maxBytes: over the cap fails with limit=maxBytes, at the cap passes', async () => {
  const t = tempDir();
  try {
    const p = writeSecretFile(t.dir, 'secrets.json', PAYLOAD);
    const size = Buffer.byteLength(PAYLOAD);
    const err = failure((await runFile({ path: p, maxBytes: size - 1 }, ['/n'])).get('file:filemain:/n'));
    assert.equal(err.message, `secrets.providers.filemain.path exceeded maxBytes (${size - 1}).`);
    assert.equal(err.limit, 'maxBytes');
    assert.ok((await runFile({ path: p, maxBytes: size }, ['/n'])).get('file:filemain:/n')?.ok);
  } finally {
    t.cleanup();
  }
});

test('a payload that is not JSON or not an object fails without quoting the file', async () => {
  const t = tempDir();
  try {
    const notJson = writeSecretFile(t.dir, 'bad.json', `${CANARY}-NOTJSON`);
    assert.equal(
      failure((await runFile({ path: notJson }, ['/n'])).get('file:filemain:/n')).message,
      'File provider "filemain" payload is not valid JSON.',
    );
    const arr = writeSecretFile(t.dir, 'arr.json', `["${CANARY}"]`);
    assert.equal(
      failure((await runFile({ path: arr }, ['/0'])).get('file:filemain:/0')).message,
      'File provider "filemain" payload is not a JSON object.',
    );
  } finally {
    t.cleanup();
  }
});

test('checkSecurePath reports a reason the language server can act on', async () => {
  const t = tempDir();
  try {
    const open = writeSecretFile(t.dir, 'open.json', '{}', 0o644);
    const r = await checkSecurePath('secrets.providers.f.path', open, 'file', {});
    assert.ok(!r.ok);
    assert.equal(r.reason, 'permissions');
    const ok = writeSecretFile(t.dir, 'ok.json', '{}', 0o600);
    const r2 = await checkSecurePath('secrets.providers.f.path', ok, 'file', {});
    assert.deepEqual(r2, { ok: true, path: ok });
    // exec allows others to read the command
    const r3 = await checkSecurePath('secrets.providers.x.command', open, 'exec', {});
    assert.ok(r3.ok);
    const r4 = await checkSecurePath('secrets.providers.x.command', 'rel/cmd', 'exec', {});
    assert.ok(!r4.ok);
    assert.equal(r4.reason, 'relative');
  } finally {
    t.cleanup();
  }
});

test('a read that outlasts timeoutMs: the provider fails at once with its limit; the descriptor closes after the read in flight', async (t) => {
  if (process.platform !== 'linux') return t.skip('counts descriptors in /proc');
  const dir = tempDir();
  try {
    // 20 MB is read 64 KB at a time through the thread pool: hundreds of reads, far past a 1 ms timeout.
    const p = writeSecretFile(dir.dir, 'big.json', JSON.stringify({ k: `${CANARY}-${'x'.repeat(20_000_000)}` }));
    const openOnIt = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === p;
        } catch {
          return false;
        }
      }).length;
    const outcomes = await runFile({ path: p, mode: 'json', timeoutMs: 1, maxBytes: 20_971_520 }, ['/k']);
    const err = failure(outcomes.get(`file:filemain:/k`));
    assert.equal(err.limit, 'timeoutMs');
    assert.match(err.message, /timed out after 1ms/);
    // Closed once the read that was in flight returns (never under it, where the number could be reused).
    const deadline = Date.now() + 10_000;
    while (openOnIt() > 0) {
      assert.ok(Date.now() < deadline, 'the provider file is still open 10 s after the timeout');
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    dir.cleanup();
  }
});
