import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRefId,
  coerceSecretRef,
  isSecretRef,
  isValidFileId,
  MESSAGES,
  parseEnvShorthand,
  providerSchema,
  schemaProblems,
  secretRefKey,
  secretRefSchema,
  validateExecId,
} from '../../server/src/engine/refs/secretRef';

test('exec id vectors (OpenClaw test vectors, 9.6 rules)', () => {
  for (const ok of [
    'vault/openai/api-key',
    'vault:secret/mykey',
    'providers/openai/apiKey',
    'a..b/c',
    'a/.../b',
    'a/.well-known/key',
    'a/' + 'b'.repeat(254),
    'aws/secret#json_key',
  ]) {
    assert.deepEqual(validateExecId(ok), { ok: true }, ok);
  }
  for (const bad of ['', ' ', '/absolute/path', 'bad id', 'a\\b', 'a' + 'b'.repeat(256)]) {
    assert.deepEqual(validateExecId(bad), { ok: false, reason: 'pattern' }, bad);
  }
  for (const trav of ['a/../b', 'a/./b', 'a/..', 'a/.'])
    assert.deepEqual(validateExecId(trav), { ok: false, reason: 'traversal-segment' }, trav);
  // ../b and ./b start with a dot, which the pattern already refuses
  assert.equal(validateExecId('../b').ok, false);
});

test('file ids are RFC 6901 pointers or "value"', () => {
  for (const ok of ['value', '/providers/openai/apiKey', '/a~0b/c~1d', '/', '/x/'])
    assert.equal(isValidFileId(ok), true, ok);
  for (const bad of ['providers/openai', '/a~b', '/a~2', 'Value']) assert.equal(isValidFileId(bad), false, bad);
});

test("per-source id messages are OpenClaw's", () => {
  assert.equal(checkRefId('env', 'openai_api_key'), MESSAGES.envId);
  assert.equal(checkRefId('file', 'x'), MESSAGES.fileId);
  assert.equal(checkRefId('exec', 'a/../b'), MESSAGES.execId);
  assert.equal(checkRefId('env', '  '), 'Secret reference id is empty.');
  assert.equal(checkRefId('env', 'OPENAI_API_KEY'), undefined);
});

test('isSecretRef needs exactly three keys, a known source and non-empty provider and id', () => {
  assert.equal(isSecretRef({ source: 'env', provider: 'default', id: 'X' }), true);
  assert.equal(isSecretRef({ source: 'env', provider: 'default', id: 'X', extra: 1 }), false);
  assert.equal(isSecretRef({ source: 'vault', provider: 'default', id: 'X' }), false);
  assert.equal(isSecretRef({ source: 'env', provider: ' ', id: 'X' }), false);
  assert.equal(secretRefKey({ source: 'exec', provider: 'vault', id: 'a/b' }), 'exec:vault:a/b');
});

test('coerceSecretRef: legacy {source,id} takes the default alias; shorthands become env refs', () => {
  assert.deepEqual(coerceSecretRef({ source: 'file', id: '/x' }, { file: 'filemain' }), {
    source: 'file',
    provider: 'filemain',
    id: '/x',
  });
  assert.deepEqual(coerceSecretRef({ source: 'exec', id: 'k' }), { source: 'exec', provider: 'default', id: 'k' });
  assert.deepEqual(coerceSecretRef('${OPENAI_API_KEY}', { env: 'myenv' }), {
    source: 'env',
    provider: 'myenv',
    id: 'OPENAI_API_KEY',
  });
  assert.deepEqual(coerceSecretRef(' $FOO_KEY '), { source: 'env', provider: 'default', id: 'FOO_KEY' });
  assert.equal(coerceSecretRef('sk-test-CANARY-1'), undefined);
  assert.equal(coerceSecretRef('${lower}'), undefined);
  assert.equal(parseEnvShorthand('$FOO')?.form, 'bare');
  assert.equal(parseEnvShorthand('${FOO}')?.form, 'braced');
});

test('zod schemas: unknown source is "Invalid input"; id and command rules give OpenClaw\'s messages', () => {
  const unknown = secretRefSchema.safeParse({ source: 'vault', provider: 'default', id: 'X' });
  assert.equal(unknown.success, false);
  assert.deepEqual(schemaProblems(unknown.error!, ['models', 'providers', 'p3', 'apiKey']), [
    { path: ['models', 'providers', 'p3', 'apiKey'], message: 'Invalid input' },
  ]);
  const envBad = secretRefSchema.safeParse({ source: 'env', provider: 'default', id: 'lower' });
  assert.equal(envBad.error!.issues[0].message, MESSAGES.envId);
  const rel = providerSchema.safeParse({ source: 'exec', command: 'bin/resolver' });
  assert.deepEqual(
    rel.error!.issues.map((i) => i.message),
    [MESSAGES.commandRelative],
  );
  const unsafe = providerSchema.safeParse({ source: 'exec', command: '/bin/x;rm' });
  assert.ok(unsafe.error!.issues.some((i) => i.message === MESSAGES.commandUnsafe));
  const removed = providerSchema.safeParse({ source: 'exec', command: '/bin/x', allowSymlinkCommand: true });
  assert.equal(removed.success, false, '9.6 rejects allowSymlinkCommand');
  const big = providerSchema.safeParse({ source: 'file', path: '/x', maxBytes: 20971521 });
  assert.equal(big.success, false);
  assert.equal(
    providerSchema.safeParse({ source: 'file', path: '/x', mode: 'singleValue', timeoutMs: 120000 }).success,
    true,
  );
});
