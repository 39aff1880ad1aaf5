// One id suggestion for a plaintext field wherever it is offered: the quick fix, the CLI's `configure`
// and the editor's configure flow (which takes the server's suggestion).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { cli } from '../helpers/cli';
import { tempFixture } from '../helpers/tempDir';
import { rangeOf, startSession, uriOf } from './lspHarness';

const FIELDS: { path: string; value: string }[] = [
  { path: 'gateway.auth.token', value: 'sk-test-CANARY-gateway-token-0001' },
  { path: 'models.providers.openai.apiKey', value: 'sk-test-CANARY-openai-key-0002' },
  { path: 'channels.telegram.botToken', value: '123456:sk-test-CANARY-telegram-0003' },
];

function configText(): string {
  return JSON.stringify(
    {
      gateway: { auth: { mode: 'token', token: FIELDS[0].value } },
      models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', models: [], apiKey: FIELDS[1].value } } },
      channels: { telegram: { botToken: FIELDS[2].value } },
    },
    null,
    2,
  );
}

/** The env id `configure` offers as the default answer for this field in its TTY flow. */
async function configureSuggestion(env: NodeJS.ProcessEnv, dir: string, field: string): Promise<string> {
  const listing = await cli(['configure'], env, { cwd: dir, tty: true, input: 'continue\n' });
  const line = listing.stdout.split('\n').find((l) => l.includes(`) ${field} (plaintext)`));
  assert.ok(line, `configure lists ${field}:\n${listing.stdout}`);
  const index = /(\d+)\)/.exec(line)![1];
  const asked = await cli(['configure'], env, { cwd: dir, tty: true, input: `continue\n${index}\nenv\ndefault\n` });
  const suggested = /Env var name \[([A-Z0-9_]+)\]/.exec(asked.stdout);
  assert.ok(suggested, asked.stdout);
  return suggested[1];
}

test('the quick fix, configure and the editor configure flow suggest the same env id', async (t) => {
  const f = tempFixture(t, 'ocs-suggest-');
  const text = configText();
  const configPath = f.write('openclaw.json', text);
  const env = { OPENCLAW_CONFIG_PATH: configPath, OPENCLAW_STATE_DIR: f.dir, HOME: f.dir };

  const s = await startSession({ env: {}, autoResolve: false });
  t.after(() => s.close());
  await s.open(configPath, text);
  const fields = (await s.client.sendRequest('openclawSecrets/configureFields', { uri: uriOf(configPath) })) as {
    fields: { path: string; suggestedIds: Record<string, string> }[];
  };

  for (const field of FIELDS) {
    const range = rangeOf(text, field.value);
    const actions = (await s.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(configPath) },
      range,
      context: { diagnostics: [], only: ['quickfix'] },
    })) as CodeAction[];
    const envFix = actions.find((a) => a.title.startsWith('Convert to SecretRef: env '));
    assert.ok(envFix, `a quick fix for ${field.path}`);
    const fromQuickFix = /^Convert to SecretRef: env ([A-Z0-9_]+)/.exec(envFix.title)![1];
    const fromEditorFlow = fields.fields.find((x) => x.path === field.path)?.suggestedIds.env;
    const fromConfigure = await configureSuggestion(env, f.dir, field.path);
    assert.deepEqual(
      { fromConfigure, fromEditorFlow },
      { fromConfigure: fromQuickFix, fromEditorFlow: fromQuickFix },
      field.path,
    );
  }
  assert.equal(fields.fields.find((x) => x.path === 'gateway.auth.token')?.suggestedIds.env, 'GATEWAY_AUTH_TOKEN');
  assert.ok(!JSON.stringify(fields).includes('CANARY'), 'the field list carries no value');
});
