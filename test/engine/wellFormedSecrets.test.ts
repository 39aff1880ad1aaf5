// The audit's zod-free checks of providers and `secrets` blocks (wellFormedSecrets.ts) against the zod schemas
// they stand in for: on generated values, near-valid and broken, both say yes or both say no; and an audit of a
// well-formed config never loads zod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { ENV_ID_PATTERN, LIMITS, PROVIDER_ALIAS_PATTERN } from '../../server/src/engine/refs/secretRef';
import { providerSchema, secretsConfigSchema } from '../../server/src/engine/refs/secretRefSchemas';
import { isWellFormedProvider, isWellFormedSecretsBlock } from '../../server/src/engine/refs/wellFormedSecrets';

/** A null-prototype record, as every parsed config value is (so `__proto__` can be an own key). */
const nullProto = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
};

const text = fc.oneof(
  fc.constantFrom('', ' ', 'x', 'json', 'singleValue', 'env', 'file', 'exec', 'store', 'vault', 'plugin-a'),
  fc.constantFrom('/usr/bin/op', '~/bin/pass', 'C:\\tools\\op.exe', '\\\\host\\share\\op', 'bin/op', '/bin/a;b'),
  fc.constantFrom('/bin/a|b', '/bin/$HOME', '/bin/a\nb', ' /usr/bin/op', 'a'.repeat(129), 'b'.repeat(1025)),
  fc.stringMatching(ENV_ID_PATTERN),
  fc.stringMatching(PROVIDER_ALIAS_PATTERN),
  fc.string({ maxLength: 8 }),
);
const number = fc.oneof(
  fc.constantFrom(0, 1, -1, 1.5, 120_000, 120_001, LIMITS.maxBytesMax, LIMITS.maxBytesMax + 1),
  fc.integer(),
  fc.double(),
);
const scalar = fc.oneof(text, text, number, fc.boolean(), fc.constant(null));
const list = (item: fc.Arbitrary<unknown>) =>
  fc.oneof(fc.array(item, { maxLength: 4 }), fc.constant(Array.from({ length: 257 }, () => 'HOST')));
const member: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalar, weight: 4 },
  { arbitrary: list(scalar), weight: 1 },
  { arbitrary: fc.array(fc.tuple(text, scalar), { maxLength: 3 }).map(nullProto), weight: 1 },
);

// In range but not integers: only the integer rule refuses these.
const fractional = fc.constantFrom(0.5, 1.5, 119_999.5);
// Each known key with values that are often right, plus keys no provider takes.
const providerMember: Record<string, fc.Arbitrary<unknown>> = {
  source: fc.oneof(fc.constantFrom('env', 'file', 'exec', 'store'), member),
  allowlist: fc.oneof(list(fc.stringMatching(ENV_ID_PATTERN)), member),
  path: fc.oneof(fc.constantFrom('/run/secrets.json', 'secrets.json'), member),
  mode: fc.oneof(fc.constantFrom('json', 'singleValue'), member),
  timeoutMs: fc.oneof(fc.integer({ min: 1, max: 120_000 }), fractional, member),
  maxBytes: fc.oneof(fc.integer({ min: 1, max: 4096 }), fractional, member),
  pluginIntegration: fc.oneof(
    fc
      .record({ pluginId: text, integrationId: text, extra: fc.option(member, { nil: undefined }) })
      .map((r) => nullProto(Object.entries(r).filter(([, v]) => v !== undefined))),
    member,
  ),
  command: fc.oneof(fc.constantFrom('/usr/bin/op', '/bin/sh'), member),
  args: fc.oneof(list(text), member),
  noOutputTimeoutMs: fc.oneof(fc.integer({ min: 1, max: 120_000 }), fractional, member),
  maxOutputBytes: fc.oneof(fc.integer({ min: 1, max: 4096 }), fractional, member),
  jsonOnly: fc.oneof(fc.boolean(), member),
  env: fc.oneof(fc.array(fc.tuple(text, text), { maxLength: 3 }).map(nullProto), member),
  passEnv: fc.oneof(list(fc.stringMatching(ENV_ID_PATTERN)), member),
  trustedDirs: fc.oneof(list(fc.constantFrom('/usr/bin', '/opt', 'bin', '')), member),
  allowSymlinkCommand: fc.boolean(),
  __proto__: member,
  extra: member,
};
const knownKeys = Object.keys(providerMember).filter((k) => !['allowSymlinkCommand', '__proto__', 'extra'].includes(k));

/** One source's keys (exec: any known ones), mostly well-typed, sometimes with a stray key. */
const OWN_KEYS: Record<string, string[]> = {
  env: ['allowlist'],
  file: ['path', 'mode', 'timeoutMs', 'maxBytes'],
  store: [],
};
const provider: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom('env', 'file', 'exec', 'exec', 'store'),
    fc.subarray(
      knownKeys.filter((k) => k !== 'source'),
      { maxLength: 4 },
    ),
    fc.option(fc.constantFrom('allowSymlinkCommand', '__proto__', 'extra', 'source', 'command'), { nil: undefined }),
  )
  .chain(([source, execKeys, stray]) => {
    const keys = OWN_KEYS[source] ?? execKeys;
    return fc
      .tuple(
        fc.subarray(keys),
        ...[...keys, ...(stray ? [stray] : [])].map((k) => providerMember[k].map((v) => [k, v] as const)),
      )
      .map(([chosen, ...entries]) =>
        nullProto([['source', source], ...entries.filter(([k]) => chosen.includes(k) || k === stray)]),
      );
  });

/** On 20,000 values, mostly near-valid ones from `near`: predicate and schema agree, and both answers come up. */
function assertAgrees(
  near: fc.Arbitrary<unknown>,
  schema: { safeParse: (value: unknown) => { success: boolean } },
  predicate: (value: unknown) => boolean,
): void {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.oneof({ arbitrary: near, weight: 4 }, { arbitrary: member, weight: 1 }), (value) => {
      const expected = schema.safeParse(value).success;
      if (expected) accepted++;
      else refused++;
      assert.equal(predicate(value), expected, JSON.stringify(value));
    }),
    { numRuns: 20000 },
  );
  assert.ok(accepted > 1000 && refused > 1000, `${accepted} accepted, ${refused} refused`);
}

test('isWellFormedProvider says yes exactly where providerSchema accepts', () => {
  assertAgrees(provider, providerSchema, isWellFormedProvider);
});

test('isWellFormedSecretsBlock says yes exactly where secretsConfigSchema accepts', () => {
  const alias = fc.oneof(
    { arbitrary: fc.stringMatching(PROVIDER_ALIAS_PATTERN), weight: 4 },
    { arbitrary: text, weight: 1 },
  );
  const block = fc
    .record(
      {
        providers: fc.oneof(
          { arbitrary: fc.array(fc.tuple(text, provider), { maxLength: 2 }).map(nullProto), weight: 2 },
          {
            arbitrary: fc
              .array(fc.tuple(text, fc.constantFrom({ source: 'env' }, { source: 'store' })), { maxLength: 3 })
              .map(nullProto),
            weight: 3,
          },
          { arbitrary: member, weight: 1 },
        ),
        defaults: fc.oneof(
          fc
            .array(fc.tuple(fc.constantFrom('env', 'file', 'exec', 'store', 'vault'), alias), { maxLength: 3 })
            .map(nullProto),
          member,
        ),
        egressProxy: fc.oneof(
          fc
            .record(
              {
                enabled: fc.oneof(fc.boolean(), member),
                allowedHosts: fc.oneof(list(fc.constantFrom('api.openai.com', '')), member),
                bypassHosts: fc.oneof(list(fc.constantFrom('localhost')), member),
                extra: member,
              },
              { requiredKeys: [] },
            )
            .chain((r) => fc.nat(7).map((n) => nullProto(Object.entries(r).filter(([k]) => k !== 'extra' || n === 0)))),
          member,
        ),
        resolution: member,
      },
      { requiredKeys: [] },
    )
    // A removed key such as `resolution` now and then, not in most blocks.
    .chain((r) => fc.nat(7).map((n) => nullProto(Object.entries(r).filter(([k]) => k !== 'resolution' || n === 0))));
  assertAgrees(block, secretsConfigSchema, isWellFormedSecretsBlock);
});

test('reading and validating a well-formed secrets block loads no zod; a broken provider still gets its message', () => {
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `
      const { validateSecretsSections } = require(${JSON.stringify(require.resolve('../../server/src/engine/audit/auditConfigValidity'))});
      const { readSecretsConfig } = require(${JSON.stringify(require.resolve('../../server/src/engine/config/secretsConfig'))});
      const zodLoaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/zod/'));
      const providers = { envmain: { source: 'env' }, vault: { source: 'exec', command: '/usr/bin/op', args: ['read'] } };
      const config = { secrets: { providers, defaults: { env: 'envmain' } } };
      const clean = validateSecretsSections(config).length === 0 && readSecretsConfig(config.secrets).invalidProviders.size === 0;
      const before = zodLoaded();
      const broken = readSecretsConfig({ providers: { bad: { source: 'exec', command: 'op' } } }).invalidProviders.get('bad');
      process.stdout.write(JSON.stringify({ clean, before, after: zodLoaded(), broken }));`,
    ],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(out) as { clean: boolean; before: boolean; after: boolean; broken: string };
  assert.equal(r.clean, true);
  assert.equal(r.before, false, 'zod stays unloaded for a well-formed block');
  assert.equal(r.after, true);
  assert.equal(r.broken, 'secrets.providers.bad.command: secrets.providers.*.command must be an absolute path.');
});
