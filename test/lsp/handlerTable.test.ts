// One handler table: every request answers the same through its typed method and through
// workspace/executeCommand, and a malformed argument is refused by its schema before any handler runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver-protocol';
import { SERVER_COMMANDS, toResponseError } from '../../server/src/lsp/handlerTable';
import { OpenClawSecretsError } from '../../shared/src/errors';
import { tempFixture } from '../helpers/tempDir';
import { startSession, uriOf } from './lspHarness';

test('typed request and executeCommand give the same answer; bad arguments get the schema message', async (t) => {
  const f = tempFixture(t, 'ocs-table-');
  const text = JSON.stringify({
    models: { providers: { openai: { apiKey: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' } } } },
  });
  const configPath = f.write('openclaw.json', text);
  const s = await startSession({ env: { OPENAI_API_KEY: 'sk-test-CANARY-table-0001' }, autoResolve: false });
  t.after(() => s.close());
  await s.open(configPath, text);
  const uri = uriOf(configPath);

  const viaRequest = (await s.client.sendRequest('openclawSecrets/resolve', { uri, allowExec: false })) as {
    results: { elapsedMs: number }[];
  };
  const viaCommand = (await s.client.sendRequest('workspace/executeCommand', {
    command: SERVER_COMMANDS.resolve,
    arguments: [{ uri, allowExec: false }],
  })) as typeof viaRequest;
  const strip = (r: typeof viaRequest) => ({ ...r, results: r.results.map((x) => ({ ...x, elapsedMs: 0 })) });
  assert.deepEqual(strip(viaCommand), strip(viaRequest));

  for (const send of [
    () => s.client.sendRequest('openclawSecrets/resolve', { uri: 42 }),
    () =>
      s.client.sendRequest('workspace/executeCommand', { command: SERVER_COMMANDS.resolve, arguments: [{ uri: 42 }] }),
  ]) {
    await assert.rejects(send(), (err: ResponseError<unknown>) => {
      assert.equal(err.code, -32602);
      assert.equal(err.message, 'invalid parameters: uri: Invalid input: expected string, received number');
      return true;
    });
  }
  await assert.rejects(
    s.client.sendRequest('workspace/executeCommand', { command: 'openclawSecrets.nope', arguments: [] }),
    /unknown command openclawSecrets\.nope/,
  );
  assert.ok(!s.serverOutput().includes('sk-test-CANARY'), 'no value on the wire');
});

test('toResponseError shows our messages with their code and anything else by class only', () => {
  const ours = toResponseError(new OpenClawSecretsError('Secrets plan file not found: /x', 'PLAN_NOT_FOUND'));
  assert.equal(ours.message, 'Secrets plan file not found: /x');
  assert.deepEqual(ours.data, { code: 'PLAN_NOT_FOUND' });
  const foreign = toResponseError(new TypeError('cannot read sk-test-CANARY-foreign'));
  assert.equal(foreign.message, 'request failed (TypeError)');
  const hidden = toResponseError(new OpenClawSecretsError('has input text', 'X_UNSAFE', { safeToShow: false }));
  assert.equal(hidden.message, 'request failed (X_UNSAFE)');
});
