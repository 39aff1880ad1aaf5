// The secrets block is read once, every provider through the zod schema: a provider of the wrong shape
// reports the schema's message wherever a ref goes through it (CLI resolve, editor resolve), never a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSecretsConfig } from '../../server/src/engine/config/secretsConfig';
import { resolveConfigRefs } from '../../server/src/engine/resolve/resolveConfig';
import { cli } from '../helpers/cli';
import { tempFixture } from '../helpers/tempDir';
import { startSession, uriOf } from '../lsp/lspHarness';

const SCHEMA_MESSAGE = 'secrets.providers.filemain.path: Invalid input: expected string, received number';
const CONFIG = {
  secrets: {
    providers: { filemain: { source: 'file', path: 42 }, envs: { source: 'env' } },
    defaults: { env: 'envs' },
  },
  models: { providers: { openai: { apiKey: { source: 'file', provider: 'filemain', id: '/openai' } } } },
};

test('readSecretsConfig keeps schema-valid providers and the schema message of the others', () => {
  const read = readSecretsConfig(CONFIG.secrets);
  assert.deepEqual(Object.keys(read.providers), ['envs']);
  assert.equal(Object.getPrototypeOf(read.providers), null);
  assert.equal(read.invalidProviders.get('filemain'), SCHEMA_MESSAGE);
  assert.equal(read.defaults.env, 'envs');
  assert.deepEqual(Object.keys(read.declared), ['filemain', 'envs']);
});

test('path: 42 gives the schema message in the engine, the CLI and the editor', async (t) => {
  const engine = await resolveConfigRefs(CONFIG, { env: {}, allowExec: false });
  assert.equal(engine.results.length, 1);
  assert.equal(engine.results[0].code, 'SECRET_PROVIDER_INVALID');
  assert.equal(engine.results[0].message, `Secret provider "filemain" is invalid: ${SCHEMA_MESSAGE}`);

  const f = tempFixture(t, 'ocs-path42-');
  const text = JSON.stringify(CONFIG);
  const configPath = f.write('openclaw.json', text);
  const run = await cli(['resolve', '--json'], { OPENCLAW_CONFIG_PATH: configPath, HOME: f.dir }, { cwd: f.dir });
  const fromCli = JSON.parse(run.stdout) as { results: { message: string }[] };
  assert.equal(fromCli.results[0].message, engine.results[0].message);
  assert.doesNotMatch(run.stdout + run.stderr, /TypeError|unexpectedly/);

  const s = await startSession({ env: {}, autoResolve: false });
  t.after(() => s.close());
  await s.open(configPath, text);
  const fromEditor = (await s.client.sendRequest('openclawSecrets/resolve', {
    uri: uriOf(configPath),
    allowExec: false,
  })) as { results: { message: string }[] };
  assert.equal(fromEditor.results[0].message, engine.results[0].message);
});
