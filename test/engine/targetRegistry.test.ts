import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREDENTIAL_TARGETS,
  collectCredentialFields,
  formatConfigPath,
  matchCredentialPath,
  matchCredentialRefPath,
  materializeTargetPath,
  targetsForPlanType,
} from '../../server/src/engine/targets/targetRegistry';

test('registry holds the 41 runtime entries first and the rest of the 118-path docs matrix', () => {
  assert.equal(CREDENTIAL_TARGETS.length, 118);
  assert.equal(CREDENTIAL_TARGETS.filter((t) => t.reportedByLatestAudit).length, 41);
  assert.ok(CREDENTIAL_TARGETS.slice(0, 41).every((t) => t.reportedByLatestAudit));
  assert.equal(new Set(CREDENTIAL_TARGETS.map((t) => `${t.configFile}:${t.pathPattern}`)).size, 118);
  for (const t of CREDENTIAL_TARGETS) {
    if (t.secretShape === 'sibling_ref') assert.ok(t.refPathPattern, t.id);
    if (t.providerIdPathSegmentIndex !== undefined)
      assert.equal(t.pathPattern.split('.')[t.providerIdPathSegmentIndex], '*', t.id);
  }
});

test('`*` matches exactly one key and captures it', () => {
  const m = matchCredentialPath('openclaw.json', ['models', 'providers', 'openai', 'apiKey']);
  assert.equal(m?.target.id, 'models.providers.*.apiKey');
  assert.deepEqual(m?.captures, ['openai']);
  assert.equal(matchCredentialPath('openclaw.json', ['models', 'providers', 'apiKey']), undefined);
  assert.equal(matchCredentialPath('openclaw.json', ['models', 'providers', 'a', 'b', 'apiKey']), undefined);
  assert.equal(matchCredentialPath('openclaw.json', ['models', 'providers', '', 'apiKey']), undefined);
  const h = matchCredentialPath('openclaw.json', ['models', 'providers', 'openai', 'headers', 'Authorization']);
  assert.equal(h?.target.id, 'models.providers.*.headers.*');
  assert.deepEqual(h?.captures, ['openai', 'Authorization']);
});

test('literal segments must match exactly; a longer or shorter path does not match', () => {
  assert.equal(matchCredentialPath('openclaw.json', ['gateway', 'auth', 'token'])?.target.id, 'gateway.auth.token');
  assert.equal(matchCredentialPath('openclaw.json', ['gateway', 'auth']), undefined);
  assert.equal(matchCredentialPath('openclaw.json', ['gateway', 'auth', 'token', 'x']), undefined);
  assert.equal(matchCredentialPath('openclaw.json', ['gateway', 'auth', 'mode']), undefined);
});

test('docs-only channel paths match but are flagged as not reported by the 9.6 audit', () => {
  const m = matchCredentialPath('openclaw.json', ['channels', 'discord', 'token']);
  assert.equal(m?.target.reportedByLatestAudit, false);
  assert.equal(
    matchCredentialPath('openclaw.json', ['channels', 'telegram', 'botToken'])?.target.reportedByLatestAudit,
    true,
  );
});

test('auth-profiles targets live in their own file and have sibling ref paths', () => {
  assert.equal(matchCredentialPath('openclaw.json', ['profiles', 'p', 'key']), undefined);
  const m = matchCredentialPath('auth-profiles.json', ['profiles', 'openai:default', 'key']);
  assert.equal(m?.target.authProfileType, 'api_key');
  assert.deepEqual(materializeTargetPath(m!.target, m!.captures), {
    path: ['profiles', 'openai:default', 'key'],
    refPath: ['profiles', 'openai:default', 'keyRef'],
  });
  assert.equal(
    matchCredentialRefPath('auth-profiles.json', ['profiles', 'x', 'tokenRef'])?.target.id,
    'auth-profiles.token.token',
  );
});

test('plan types resolve by targetType and by alias', () => {
  assert.deepEqual(
    targetsForPlanType('models.providers.apiKey').map((t) => t.id),
    ['models.providers.*.apiKey'],
  );
  assert.deepEqual(
    targetsForPlanType('models.providers.*.apiKey').map((t) => t.id),
    ['models.providers.*.apiKey'],
  );
  assert.deepEqual(
    targetsForPlanType('skills.entries.apiKey').map((t) => t.id),
    ['skills.entries.*.apiKey'],
  );
  assert.deepEqual(
    targetsForPlanType('channels.discord.token').map((t) => t.id),
    ['channels.discord.token'],
  );
  assert.deepEqual(targetsForPlanType('nope'), []);
});

test('collectCredentialFields finds every present instance with provider ids and OpenClaw-style paths', () => {
  const config = {
    gateway: { auth: { mode: 'token', token: 'sk-test-CANARY-1' } },
    models: {
      providers: {
        openai: { apiKey: 'x', headers: { Authorization: 'y', 'X-Trace': 'z' } },
        'a.b': { apiKey: 'w' },
        empty: {},
      },
    },
    agents: { entries: { main: { tts: { providers: { el: { apiKey: 'k' } } } } } },
  };
  const fields = collectCredentialFields('openclaw.json', config);
  assert.deepEqual(
    fields.map((f) => [f.jsonPath, f.providerId]),
    [
      ['gateway.auth.token', undefined],
      ['agents.entries.main.tts.providers.el.apiKey', 'el'],
      ['models.providers.openai.apiKey', 'openai'],
      ['models.providers["a.b"].apiKey', 'a.b'],
      ['models.providers.openai.headers.Authorization', 'openai'],
      ['models.providers.openai.headers.X-Trace', 'openai'],
    ],
  );
  assert.deepEqual(fields[3].path, ['models', 'providers', 'a.b', 'apiKey']);
});

test('collectCredentialFields on an auth store finds a profile that only has a sibling ref', () => {
  const store = {
    profiles: {
      a: { type: 'api_key', key: 'k' },
      b: { type: 'api_key', keyRef: { source: 'env', provider: 'default', id: 'K' } },
    },
  };
  const fields = collectCredentialFields('auth-profiles.json', store);
  assert.deepEqual(
    fields.map((f) => [f.jsonPath, f.value === undefined, f.refValue === undefined]),
    [
      ['profiles.a.key', false, true],
      ['profiles.b.key', true, false],
    ],
  );
});

test('formatConfigPath prints array indexes in brackets and quotes odd keys', () => {
  const root = { list: [{ x: 1 }] };
  assert.equal(formatConfigPath(['list', '0', 'x'], root), 'list[0].x');
  assert.equal(formatConfigPath(['a', 'b c', 'd']), 'a["b c"].d');
  assert.equal(formatConfigPath(['a', 'openai:default']), 'a.openai:default');
});
