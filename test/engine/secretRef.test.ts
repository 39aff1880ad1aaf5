import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkRefId,
  coerceSecretRef,
  ENV_ID_PATTERN,
  EXEC_ID_PATTERN,
  isSecretRef,
  isValidFileId,
  isWellFormedRef,
  PROVIDER_ALIAS_PATTERN,
  MESSAGES,
  parseEnvShorthand,
  schemaProblems,
  secretRefKey,
  validateExecId,
} from '../../server/src/engine/refs/secretRef';
import { providerSchema, secretRefSchema } from '../../server/src/engine/refs/secretRefSchemas';

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

test('isWellFormedRef (the audit skips zod for these) says yes exactly where secretRefSchema accepts', () => {
  const text = fc.oneof(
    fc.constantFrom('env', 'file', 'exec', 'store', 'vault', 'ENV', '', ' ', 'value', 'default', '/a', 'a/../b'),
    fc.stringMatching(ENV_ID_PATTERN),
    fc.stringMatching(EXEC_ID_PATTERN),
    fc.stringMatching(PROVIDER_ALIAS_PATTERN),
    fc
      .array(fc.stringMatching(/^(?:[^~/]|~0|~1|~)*$/, { size: 'small' }), { maxLength: 3 })
      .map((s) => '/' + s.join('/')),
    fc.string({ maxLength: 12 }),
  );
  const member = fc.oneof(text, text, text, fc.integer(), fc.constant(null), fc.constant({}), fc.constant(['x']));
  const key = fc.constantFrom('source', 'provider', 'id', 'source', 'provider', 'id', 'extra', '__proto__', 'Source');
  // Null-prototype records, as every config value is; `__proto__` can then be an own key.
  const record = fc.array(fc.tuple(key, member), { maxLength: 5 }).map((entries) => {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of entries) out[k] = v;
    return out;
  });
  // Mostly the three keys with near-valid values, so both answers come up often.
  const refShaped = fc
    .record({
      source: fc.oneof(fc.constantFrom('env', 'file', 'exec', 'store'), member),
      provider: fc.oneof(fc.stringMatching(PROVIDER_ALIAS_PATTERN), member),
      id: fc.oneof(text, member),
      extra: fc.option(fc.tuple(key, member), { nil: undefined }),
    })
    .map(({ extra, ...ref }) => {
      const out: Record<string, unknown> = Object.assign(Object.create(null), ref);
      if (extra) out[extra[0]] = extra[1];
      return out;
    });
  let accepted = 0;
  fc.assert(
    fc.property(fc.oneof({ arbitrary: record, weight: 1 }, { arbitrary: refShaped, weight: 3 }), (value) => {
      const expected = secretRefSchema.safeParse(value).success;
      if (expected) accepted++;
      assert.equal(isWellFormedRef(value), expected, JSON.stringify(value));
    }),
    { numRuns: 20000 },
  );
  assert.ok(accepted > 150, `only ${accepted} of the generated records are refs`);
  for (const [value, ok] of [
    [{ source: 'env', provider: 'default', id: 'OPENAI_API_KEY' }, true],
    [{ source: 'file', provider: 'vault', id: '/providers/openai/apiKey' }, true],
    [{ source: 'exec', provider: 'vault', id: 'a/../b' }, false],
    [{ source: 'env', provider: 'default', id: 'OPENAI_API_KEY', extra: 1 }, false],
    [{ source: 'store', provider: 'Default', id: 'X' }, false],
  ] as const) {
    assert.equal(isWellFormedRef({ ...value }), ok, JSON.stringify(value));
    assert.equal(secretRefSchema.safeParse(value).success, ok, JSON.stringify(value));
  }
});
