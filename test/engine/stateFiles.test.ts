import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  dotEnvPaths,
  listAgentDirs,
  listLegacyAuthSources,
  loadAuthProfileStores,
  loadConfigFile,
  parseDotEnv,
} from '../../server/src/engine/config/stateFiles';

test('parseDotEnv reads export, spaces and quotes, with exact offsets of keys and values', () => {
  const text = 'export A_KEY=one\r\nB = "two words"\n# C=no\nbad line\n  D=\'q\'\nE=';
  const entries = parseDotEnv(text);
  assert.deepEqual(
    entries.map((e) => [e.key, e.value, e.line]),
    [
      ['A_KEY', 'one', 0],
      ['B', 'two words', 1],
      ['D', 'q', 4],
      ['E', '', 5],
    ],
  );
  for (const e of entries) {
    assert.equal(text.slice(e.keyStart, e.keyEnd), e.key);
    assert.equal(text.slice(e.valueStart, e.valueEnd), e.value);
  }
});

test('state files: config syntax errors keep their position; agent dirs, auth stores and retired sources are found', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-state-'));
  try {
    const cfg = path.join(dir, 'openclaw.json');
    fs.writeFileSync(cfg, '{\n  a: 1,\n  b: }\n');
    const loaded = loadConfigFile(cfg);
    assert.equal(loaded.exists, true);
    assert.equal(loaded.document?.syntaxError?.line, 3);
    assert.equal(loadConfigFile(path.join(dir, 'missing.json')).exists, false);

    const ops = path.join(dir, 'agents', 'ops', 'agent');
    const main = path.join(dir, 'agents', 'main', 'agent');
    fs.mkdirSync(ops, { recursive: true });
    fs.mkdirSync(main, { recursive: true });
    fs.writeFileSync(
      path.join(ops, 'auth-profiles.json'),
      '{ "profiles": { "p": { "type": "api_key", "key": "sk-test-CANARY-1" } } }',
    );
    fs.writeFileSync(path.join(main, 'auth.json'), '{}');
    fs.writeFileSync(path.join(ops, 'auth-profiles.json.migrated-1'), '{}');
    assert.deepEqual(listAgentDirs(dir), [main, ops]);
    const stores = loadAuthProfileStores(dir);
    assert.deepEqual(
      stores.map((s) => s.agentDir),
      [ops],
    );
    assert.deepEqual(
      listLegacyAuthSources(dir, {}).map((s) => [path.relative(dir, s.path), s.kind, s.archive]),
      [
        ['agents/main/agent/auth.json', 'legacy-auth', false],
        ['agents/ops/agent/auth-profiles.json', 'auth-profiles', false],
        ['agents/ops/agent/auth-profiles.json.migrated-1', 'auth-profiles', true],
      ],
    );
    assert.deepEqual(dotEnvPaths({ configPath: cfg, configDir: dir, stateDir: dir }), [path.join(dir, '.env')]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
