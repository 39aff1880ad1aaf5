import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  mergePlans,
  parsePlanPath,
  planTargetForPath,
  PLAN_MAX_BYTES,
  readPlanFile,
  resolvePlanTarget,
  validateSecretsPlan,
  writePlanFile,
  type SecretsPlan,
} from '../../server/src/engine/plan/plan';

const envRef = { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' } as const;

function plan(targets: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { version: 1, protocolVersion: 1, targets, ...extra };
}
function valid(p: unknown): boolean {
  return validateSecretsPlan(p).ok;
}
function reason(p: unknown): string {
  const r = validateSecretsPlan(p);
  assert.equal(r.ok, false);
  return (r as { reason: string }).reason;
}

test('legacy types and their aliases are accepted', () => {
  assert.ok(
    valid(
      plan([
        { type: 'models.providers.apiKey', path: 'models.providers.openai.apiKey', providerId: 'openai', ref: envRef },
      ]),
    ),
  );
  assert.ok(valid(plan([{ type: 'models.providers.*.apiKey', path: 'models.providers.openai.apiKey', ref: envRef }])));
  assert.ok(valid(plan([{ type: 'skills.entries.apiKey', path: 'skills.entries.web.apiKey', ref: envRef }])));
  assert.ok(valid(plan([])), 'an empty target list is a valid plan');
});

test('expanded types: telegram bot token, header wildcards, talk providers, array paths', () => {
  assert.ok(valid(plan([{ type: 'channels.telegram.botToken', path: 'channels.telegram.botToken', ref: envRef }])));
  assert.ok(
    valid(
      plan([
        {
          type: 'models.providers.headers',
          path: 'models.providers.openai.headers.Authorization',
          providerId: 'openai',
          ref: envRef,
        },
      ]),
    ),
  );
  assert.ok(valid(plan([{ type: 'talk.providers.*.apiKey', path: 'talk.providers.elevenlabs.apiKey', ref: envRef }])));
  assert.ok(valid(plan([{ type: 'gateway.auth.token', path: 'gateway.auth.token', ref: envRef }])));
});

test('wrong shape is rejected with a reason naming the target and the expected shape', () => {
  const r = reason(
    plan([
      { type: 'models.providers.apiKey', path: 'models.providers.openai.baseUrl', providerId: 'openai', ref: envRef },
    ]),
  );
  assert.match(r, /targets\[0\]/);
  assert.match(r, /models\.providers\.\*\.apiKey/);
  assert.match(reason(plan([{ type: 'no.such.type', path: 'a.b', ref: envRef }])), /not a known plan target type/);
  assert.match(
    reason(
      plan([
        {
          type: 'models.providers.apiKey',
          path: 'models.providers.openai.apiKey',
          providerId: 'anthropic',
          ref: envRef,
        },
      ]),
    ),
    /providerId "anthropic"/,
  );
});

test('a path-like channel id is rejected', () => {
  assert.match(
    reason(plan([{ type: 'channels.telegram.botToken', path: 'channels.tele/gram.botToken', ref: envRef }])),
    /channel id/,
  );
  assert.match(
    reason(
      plan([
        { type: 'channels.telegram.accounts.*.botToken', path: 'channels.telegram:x.accounts.a.botToken', ref: envRef },
      ]),
    ),
    /channel id/,
  );
});

test('a dotted key needs pathSegments, which must join to the path', () => {
  const segments = ['models', 'providers', 'openai.dev', 'apiKey'];
  assert.ok(
    valid(
      plan([
        {
          type: 'models.providers.apiKey',
          path: 'models.providers.openai.dev.apiKey',
          pathSegments: segments,
          providerId: 'openai.dev',
          ref: envRef,
        },
      ]),
    ),
  );
  // Without pathSegments the dotted path has 5 segments and no longer matches the shape.
  assert.equal(
    valid(plan([{ type: 'models.providers.apiKey', path: 'models.providers.openai.dev.apiKey', ref: envRef }])),
    false,
  );
  assert.match(
    reason(
      plan([
        {
          type: 'models.providers.apiKey',
          path: 'models.providers.openai.apiKey',
          pathSegments: ['models', 'providers', 'other', 'apiKey'],
          ref: envRef,
        },
      ]),
    ),
    /does not equal/,
  );
  assert.match(
    reason(
      plan([
        {
          type: 'models.providers.apiKey',
          path: 'models.providers.openai.apiKey',
          pathSegments: 'models',
          ref: envRef,
        },
      ]),
    ),
    /pathSegments must be an array/,
  );
});

test('__proto__, prototype and constructor segments are rejected', () => {
  for (const bad of ['__proto__', 'prototype', 'constructor']) {
    assert.match(
      reason(plan([{ type: 'models.providers.apiKey', path: `models.providers.${bad}.apiKey`, ref: envRef }])),
      new RegExp(bad),
    );
  }
});

test('auth-profile targets need agentId; authProfileProvider must be non-empty when given', () => {
  const t = {
    type: 'auth-profiles.api_key.key',
    path: 'profiles.openai:default.key',
    pathSegments: ['profiles', 'openai:default', 'key'],
    ref: envRef,
  };
  assert.match(reason(plan([t])), /agentId/);
  assert.ok(valid(plan([{ ...t, agentId: 'main' }])));
  assert.ok(valid(plan([{ ...t, agentId: 'main', authProfileProvider: 'openai' }])));
  assert.match(reason(plan([{ ...t, agentId: 'main', authProfileProvider: ' ' }])), /authProfileProvider/);
});

test('refs: exec-id vectors, env id rule, alias rule, exactly three keys', () => {
  const execTarget = (id: string) =>
    plan([
      {
        type: 'models.providers.apiKey',
        path: 'models.providers.openai.apiKey',
        ref: { source: 'exec', provider: 'vault', id },
      },
    ]);
  for (const id of [
    'vault/openai/api-key',
    'vault:secret/mykey',
    'providers/openai/apiKey',
    'a..b/c',
    'a/.../b',
    'a/.well-known/key',
    `a/${'b'.repeat(254)}`,
  ]) {
    assert.ok(valid(execTarget(id)), `valid exec id ${id}`);
  }
  for (const id of [
    '',
    ' ',
    'a/../b',
    'a/./b',
    '../b',
    './b',
    'a/..',
    'a/.',
    '/absolute/path',
    'bad id',
    'a\\b',
    `a${'b'.repeat(256)}`,
  ]) {
    assert.equal(valid(execTarget(id)), false, `invalid exec id ${JSON.stringify(id)}`);
  }
  const withRef = (ref: unknown) =>
    plan([{ type: 'models.providers.apiKey', path: 'models.providers.openai.apiKey', ref }]);
  assert.match(reason(withRef({ source: 'env', provider: 'default', id: 'lower' })), /Env secret reference id/);
  assert.match(reason(withRef({ source: 'env', provider: 'Default', id: 'X' })), /ref\.provider/);
  assert.match(reason(withRef({ source: 'env', provider: 'default', id: 'X', extra: 1 })), /exactly the keys/);
  assert.match(reason(withRef({ source: 'vault', provider: 'default', id: 'X' })), /ref\.source/);
});

test('top level: version, protocolVersion 1 only (as OpenClaw 2026.9.6), targets array', () => {
  assert.match(reason({ version: 2, protocolVersion: 1, targets: [] }), /version/);
  assert.match(reason({ version: 1, protocolVersion: 2, targets: [] }), /protocolVersion/);
  assert.match(reason({ version: 1, protocolVersion: 1 }), /targets/);
  assert.match(reason([]), /object/);
});

test('provider upserts must pass the provider schema; deletes must be aliases', () => {
  assert.ok(
    valid(
      plan([], {
        providerUpserts: { vault: { source: 'exec', command: '/usr/local/bin/vault-resolver', args: ['--json'] } },
        providerDeletes: ['old'],
      }),
    ),
  );
  assert.match(
    reason(plan([], { providerUpserts: { vault: { source: 'exec', command: 'relative/resolver' } } })),
    /absolute/,
  );
  assert.match(reason(plan([], { providerUpserts: { Bad: { source: 'env' } } })), /alias "Bad"/);
  assert.match(
    reason(plan([], { providerUpserts: { files: { source: 'file', path: '/x', allowInsecurePath: true } } })),
    /providerUpserts\.files/,
  );
  assert.match(reason(plan([], { providerDeletes: ['ok', 'NOT OK'] })), /providerDeletes/);
  assert.match(reason(plan([], { providerDeletes: 'old' })), /array/);
});

test('parsePlanPath reads dots, escapes and brackets', () => {
  assert.deepEqual(parsePlanPath('agents.list[0].memorySearch'), ['agents', 'list', 0, 'memorySearch']);
  assert.deepEqual(parsePlanPath('models.providers["openai.dev"].apiKey'), [
    'models',
    'providers',
    'openai.dev',
    'apiKey',
  ]);
  assert.deepEqual(parsePlanPath('a\\.b.c'), ['a.b', 'c']);
  assert.throws(() => parsePlanPath('a..b'), /empty segment/);
  assert.throws(() => parsePlanPath('a[0'), /missing/);
});

test('bracket paths are matched as the same target (array index, quoted key)', () => {
  const r = resolvePlanTarget({
    type: 'models.providers.apiKey',
    path: 'models.providers["openai.dev"].apiKey',
    providerId: 'openai.dev',
  });
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.resolved.pathSegments, ['models', 'providers', 'openai.dev', 'apiKey']);
});

test('planTargetForPath fills type, pathSegments and captured ids', () => {
  assert.deepEqual(planTargetForPath(['models', 'providers', 'openai', 'apiKey'], envRef), {
    type: 'models.providers.apiKey',
    path: 'models.providers.openai.apiKey',
    pathSegments: ['models', 'providers', 'openai', 'apiKey'],
    ref: envRef,
    providerId: 'openai',
  });
  const profile = planTargetForPath(['profiles', 'openai:default', 'key'], envRef, {
    agentId: 'main',
    authProfileProvider: 'openai',
  });
  assert.equal(profile?.type, 'auth-profiles.api_key.key');
  assert.equal(profile?.agentId, 'main');
  assert.equal(profile?.authProfileProvider, 'openai');
  assert.equal(planTargetForPath(['models', 'providers', 'openai', 'baseUrl'], envRef), undefined);
  // What planTargetForPath builds is always a valid plan target.
  assert.ok(valid(plan([planTargetForPath(['models', 'providers', 'openai.dev', 'apiKey'], envRef)])));
});

test('mergePlans replaces a target on the same path and merges provider changes', () => {
  const a = planTargetForPath(['models', 'providers', 'openai', 'apiKey'], envRef)!;
  const b = planTargetForPath(['models', 'providers', 'openai', 'apiKey'], {
    source: 'env',
    provider: 'default',
    id: 'OTHER_KEY',
  })!;
  const c = planTargetForPath(['gateway', 'auth', 'token'], {
    source: 'env',
    provider: 'default',
    id: 'GATEWAY_TOKEN',
  })!;
  const first = mergePlans(undefined, { targets: [a], providerDeletes: ['vault'] });
  const merged = mergePlans(first, { targets: [b, c], providerUpserts: { vault: { source: 'env' } } });
  assert.equal(merged.targets.length, 2);
  assert.equal(merged.targets.find((t) => t.path === 'models.providers.openai.apiKey')?.ref.id, 'OTHER_KEY');
  assert.deepEqual({ ...merged.providerUpserts }, { vault: { source: 'env' } }); // a null-prototype map: aliases are plain keys
  assert.equal(merged.providerDeletes, undefined);
  assert.ok(valid(merged));
});

test('writePlanFile writes pretty JSON + newline at 0600 with no temp file; readPlanFile reads it back', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-plan-'));
  try {
    const file = path.join(dir, 'plan.json');
    const p: SecretsPlan = mergePlans(undefined, {
      targets: [planTargetForPath(['models', 'providers', 'openai', 'apiKey'], envRef)!],
    });
    await writePlanFile(file, p);
    const text = readFileSync(file, 'utf8');
    assert.equal(text, `${JSON.stringify(p, null, 2)}\n`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['plan.json']);
    assert.deepEqual(await readPlanFile(file), p);
    await assert.rejects(writePlanFile(file, { ...p, protocolVersion: 2 }), /Invalid secrets plan file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readPlanFile: missing, directory, oversize, malformed, invalid (generic message, precise reason)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-plan-'));
  try {
    await assert.rejects(readPlanFile(path.join(dir, 'nope.json')), /Secrets plan file not found: /);
    mkdirSync(path.join(dir, 'd'));
    await assert.rejects(readPlanFile(path.join(dir, 'd')), /not a regular file/);
    const big = path.join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(PLAN_MAX_BYTES + 1, 0x20));
    await assert.rejects(readPlanFile(big), /exceeds 16777216 bytes/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ version: 1 ');
    await assert.rejects(readPlanFile(bad), /Malformed JSON in secrets plan file/);
    const invalid = path.join(dir, 'invalid.json');
    writeFileSync(
      invalid,
      JSON.stringify(plan([{ type: 'models.providers.apiKey', path: 'models.providers.openai.baseUrl', ref: envRef }])),
    );
    await assert.rejects(readPlanFile(invalid), (err: Error & { reason?: string }) => {
      assert.equal(
        err.message,
        `Invalid secrets plan file: ${invalid}. Generate a fresh plan with openclaw secrets configure --plan-out <path>.`,
      );
      assert.match(err.reason ?? '', /targets\[0\]: path "models\.providers\.openai\.baseUrl"/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
