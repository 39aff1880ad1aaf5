import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildConfigurePlan,
  listConfigureCandidates,
  parseMappingSpec,
  parseProviderSpec,
  planHasChanges,
  suggestedEnvId,
  suggestedProviderAlias,
} from '../../server/src/engine/plan/configure';
import { validateSecretsPlan } from '../../server/src/engine/plan/plan';

const config = {
  models: {
    providers: { openai: { apiKey: 'sk-test-CANARY-conf-1' }, 'openai.dev': { apiKey: 'sk-test-CANARY-conf-2' } },
  },
  gateway: { auth: { token: { source: 'env', provider: 'default', id: 'GATEWAY_TOKEN' } } },
  secrets: { providers: { default: { source: 'env' }, files: { source: 'file', path: '/etc/openclaw/secrets.json' } } },
};

test('buildConfigurePlan: OpenClaw plan format, only changed providers upserted, deletes sorted', () => {
  const plan = buildConfigurePlan({
    config,
    providers: { default: { source: 'env' }, vault: { source: 'exec', command: '/usr/local/bin/vault-resolver' } },
    deletes: ['files', 'unknown'],
    mappings: [
      { path: 'models.providers.openai.apiKey', ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' } },
      {
        path: ['models', 'providers', 'openai.dev', 'apiKey'],
        ref: { source: 'exec', provider: 'vault', id: 'openai/dev' },
      },
    ],
    generatedAt: '2026-01-01T00:00:00.000Z',
  });
  assert.equal(plan.version, 1);
  assert.equal(plan.protocolVersion, 1);
  assert.match(plan.generatedBy ?? '', /openclaw-secrets/);
  assert.deepEqual(Object.keys(plan.providerUpserts ?? {}), ['vault']);
  assert.deepEqual(plan.providerDeletes, ['files']);
  assert.deepEqual(plan.options, {
    scrubEnv: true,
    scrubAuthProfilesForProviderTargets: true,
    scrubLegacyAuthJson: false,
  });
  assert.deepEqual(plan.targets[1], {
    type: 'models.providers.apiKey',
    path: 'models.providers.openai.dev.apiKey',
    pathSegments: ['models', 'providers', 'openai.dev', 'apiKey'],
    ref: { source: 'exec', provider: 'vault', id: 'openai/dev' },
    providerId: 'openai.dev',
  });
  assert.ok(validateSecretsPlan(plan).ok);
  assert.ok(!JSON.stringify(plan).includes('CANARY'));
});

test('buildConfigurePlan refuses non-credential paths, bad refs and bad providers', () => {
  assert.throws(
    () =>
      buildConfigurePlan({
        config,
        mappings: [{ path: 'models.providers.openai.baseUrl', ref: { source: 'env', provider: 'default', id: 'X' } }],
      }),
    /not a credential path/,
  );
  assert.throws(
    () =>
      buildConfigurePlan({
        config,
        mappings: [{ path: 'gateway.auth.token', ref: { source: 'env', provider: 'default', id: 'lower' } }],
      }),
    /Env secret reference id/,
  );
  assert.throws(
    () => buildConfigurePlan({ config, providers: { vault: { source: 'exec', command: 'vault' } as never } }),
    /secrets\.providers\.vault\.command.*absolute/,
  );
  assert.equal(
    planHasChanges(buildConfigurePlan({ config, providers: { default: { source: 'env' } } })),
    false,
    'an unchanged provider is no change',
  );
});

test('--provider and --map flag syntax', () => {
  assert.deepEqual(
    parseProviderSpec(
      'vault=exec,command=/opt/bin/resolver,args=["--json","a,b"],passEnv=PATH,passEnv=HOME,timeoutMs=3000,jsonOnly=false,env.MODE=ci',
    ),
    {
      alias: 'vault',
      provider: {
        source: 'exec',
        command: '/opt/bin/resolver',
        args: ['--json', 'a,b'],
        passEnv: ['PATH', 'HOME'],
        timeoutMs: 3000,
        jsonOnly: false,
        env: { MODE: 'ci' },
      },
    },
  );
  assert.deepEqual(parseProviderSpec('files=file,path=/etc/s.json,mode=singleValue'), {
    alias: 'files',
    provider: { source: 'file', path: '/etc/s.json', mode: 'singleValue' },
  });
  assert.throws(() => parseProviderSpec('vault=vault'), /source must be env, file or exec/);
  assert.throws(() => parseProviderSpec('vault=exec,timeoutMs=soon'), /integer/);
  assert.deepEqual(parseMappingSpec('gateway.auth.token=env:default:GATEWAY_TOKEN', config), {
    path: 'gateway.auth.token',
    ref: { source: 'env', provider: 'default', id: 'GATEWAY_TOKEN' },
  });
  assert.deepEqual(
    parseMappingSpec('gateway.auth.token=file:/gateway/token', config).ref,
    { source: 'file', provider: 'files', id: '/gateway/token' },
    'two-part form picks the first provider of that source',
  );
  assert.deepEqual(parseMappingSpec('talk.apiKey=exec:vault:aws:secret#key', config).ref, {
    source: 'exec',
    provider: 'vault',
    id: 'aws:secret#key',
  });
  assert.throws(() => parseMappingSpec('talk.apiKey=vault:x', config), /env:, file: or exec:/);
});

test('candidates and suggestions never carry values', () => {
  const candidates = listConfigureCandidates(config, {
    agentId: 'main',
    store: {
      version: 1,
      profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: 'sk-test-CANARY-conf-3' } },
    },
  });
  const paths = candidates.map((c) => `${c.configFile}:${c.path.join('.')}:${c.state}`);
  assert.ok(paths.includes('openclaw.json:models.providers.openai.apiKey:plaintext'), paths.join('\n'));
  assert.ok(paths.includes('openclaw.json:gateway.auth.token:ref'));
  assert.ok(paths.includes('auth-profiles.json:profiles.openai:default.key:plaintext'));
  assert.ok(!JSON.stringify(candidates.map((c) => ({ ...c, target: undefined }))).includes('CANARY'));
  assert.equal(
    suggestedEnvId({ path: ['models', 'providers', 'openai', 'apiKey'], providerId: 'openai' }),
    'OPENAI_API_KEY',
  );
  assert.equal(suggestedEnvId({ path: ['channels', 'telegram', 'botToken'] }), 'TELEGRAM_BOT_TOKEN');
  assert.equal(suggestedProviderAlias(config, 'env'), 'default');
  assert.equal(suggestedProviderAlias({ secrets: { defaults: { exec: 'op' } } }, 'exec'), 'op');
});
