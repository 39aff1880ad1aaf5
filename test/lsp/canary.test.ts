// The canary: a config full of fake secrets, every feature exercised, and not one byte the server sends
// (diagnostics, hovers, completions, code actions, logs, command results) contains a secret value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditRequest, ReloadRequest, ResolveRequest } from '../../server/src/protocol';
import { startSession, tempDir, uriOf } from './lspHarness';

const CANARY = 'sk-test-CANARY-';

test('no LSP message from the server contains a secret value', async () => {
  const dir = tempDir();
  const payload = path.join(dir, 'secrets.json');
  fs.writeFileSync(payload, JSON.stringify({ talk: `${CANARY}FILE-0001` }));
  fs.chmodSync(payload, 0o600);
  const script = path.join(dir, 'resolver.sh');
  fs.writeFileSync(
    script,
    `#!/bin/sh\n/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"k":"${CANARY}EXEC-0001"},"errors":{"bad":{"message":"${CANARY}IN-ERROR"}}}'\n`,
  );
  fs.chmodSync(script, 0o700);
  fs.writeFileSync(path.join(dir, '.env'), `OPENAI_API_KEY=${CANARY}DOTENV-0001\nDOTENV_REF=${CANARY}DOTENV-0002\n`);
  const text = `{
  // every kind of place a secret can sit
  secrets: { providers: { f: { source: 'file', path: ${JSON.stringify(payload)} }, x: { source: 'exec', command: ${JSON.stringify(script)} } } },
  models: { providers: {
    openai: { baseUrl: 'https://api.openai.com/v1', apiKey: '${CANARY}PLAIN-0001abcdefghij', headers: { Authorization: 'Bearer ${CANARY}HDR-0001abcdef' } },
    f: { apiKey: { source: 'file', provider: 'f', id: '/talk' } },
    x: { apiKey: { source: 'exec', provider: 'x', id: 'k' } },
    y: { apiKey: { source: 'exec', provider: 'x', id: 'bad' } },
    e: { apiKey: '\${DOTENV_REF}' },
  } },
  notes: { old: '${CANARY}NOTE-0001abcdefghijklmnop' },
  gateway: { auth: { token: '${CANARY}GW-0001' } },
}
`;
  const s = await startSession({ env: { HOME: dir } });
  try {
    const file = path.join(dir, 'openclaw.json');
    const uri = uriOf(file);
    await s.open(file, text);
    await s.open(path.join(dir, '.env'), fs.readFileSync(path.join(dir, '.env'), 'utf8'));
    const everyOffset = [...text.matchAll(/CANARY|source|provider|id:|'\//g)].map((m) => m.index!);
    for (const at of everyOffset) {
      const before = text.slice(0, at);
      const position = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
      await s.client.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      await s.client.sendRequest('textDocument/completion', { textDocument: { uri }, position });
      await s.client.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: position, end: position },
        context: { diagnostics: [] },
      });
      await s.client.sendRequest('textDocument/definition', { textDocument: { uri }, position });
    }
    await s.client.sendRequest('textDocument/documentLink', { textDocument: { uri } });
    await s.client.sendRequest(ResolveRequest, { uri, allowExec: true });
    await s.client.sendRequest(AuditRequest, { uri, allowExec: true });
    await s.client.sendRequest(ReloadRequest, { uri, allowExec: true });
    await s.client.sendRequest('workspace/executeCommand', {
      command: 'openclawSecrets.convertAllPlaintext',
      arguments: [{ uri, version: s.version(file) }],
    });
    await s.client
      .sendRequest('workspace/executeCommand', {
        command: 'openclawSecrets.resolve',
        arguments: [{ uri: 'file:///nonexistent/openclaw.json', allowExec: true }],
      })
      .catch(() => undefined);
    const out = s.serverOutput();
    assert.ok(out.length > 10_000, 'the server said a lot');
    assert.ok(out.includes('hmac:'), 'fingerprints are shown instead');
    const leaks = [...out.matchAll(/CANARY[A-Z0-9-]*/g)].map((m) => m[0]);
    assert.deepEqual(leaks, []);
    const plan = fs.readFileSync(path.join(dir, 'openclaw.secrets-plan.json'), 'utf8');
    assert.ok(!plan.includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
