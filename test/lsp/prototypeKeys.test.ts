// No prototype keys, ever: `__proto__` in a config path or a ref id is an ordinary key that OpenClaw refuses
// in plans, so our quick fix refuses it too, before storing anything; and every request argument is checked
// against its schema. The server runs in this process, so a polluted Object.prototype would show here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startSession, tempDir, uriOf, type LspSession } from './lspHarness';
import { mergePlans } from '../../server/src/engine/plan/plan';

const CANARY = 'sk-test-CANARY-PROTO-0001';

function configWith(providerKey: string, secretsPath: string): string {
  return `{ "secrets": { "providers": { "vault": { "source": "file", "path": ${JSON.stringify(secretsPath)}, "mode": "json" } } },
  "models": { "providers": { ${JSON.stringify(providerKey)}: { "baseUrl": "https://api.openai.com/v1", "apiKey": "${CANARY}" } } } }`;
}

async function actionsAt(s: LspSession, file: string, snippet: string): Promise<CodeAction[]> {
  const text = s.text(file);
  const at = text.indexOf(snippet);
  const before = text.slice(0, at);
  const pos = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) + 1 };
  return (await s.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uriOf(file) },
    range: { start: pos, end: pos },
    context: { diagnostics: [] },
  })) as CodeAction[];
}

function execute(s: LspSession, command: string, args: unknown): Promise<unknown> {
  return s.client.sendRequest('workspace/executeCommand', { command, arguments: [args] });
}

function assertNotPolluted(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.apiKey, undefined, 'Object.prototype.apiKey was set');
  assert.equal(probe.polluted, undefined, 'Object.prototype.polluted was set');
}

test('models.providers["__proto__"].apiKey: the file quick fix is refused up front, nothing stored, no prototype touched', async () => {
  const dir = tempDir();
  const secrets = path.join(dir, 'secrets.json');
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const text = configWith('__proto__', secrets);
    const { diagnostics } = await s.open(file, text);
    assert.ok(
      diagnostics.some((d) => d.code === 'PLAINTEXT_FOUND'),
      JSON.stringify(diagnostics),
    );
    const actions = await actionsAt(s, file, `"${CANARY}"`);
    const fileFix = actions.find((a) => a.title.startsWith('Convert to SecretRef: file vault'));
    assert.ok(fileFix?.command, actions.map((a) => a.title).join('\n'));
    await assert.rejects(execute(s, fileFix.command.command, fileFix.command.arguments?.[0]), (err: Error) => {
      assert.match(err.message, /path segment "__proto__" is not allowed/);
      assert.doesNotMatch(err.message, /Invalid secrets plan file/);
      return true;
    });
    assertNotPolluted();
    assert.equal(fs.existsSync(secrets), false, 'nothing stored for a conversion OpenClaw would refuse');
    assert.equal(fs.existsSync(path.join(dir, 'openclaw.secrets-plan.json')), false);
    assert.equal(s.text(file), text);
    // a later, ordinary conversion of an apiKey still works (no leftover prototype key blocks it)
    const file2 = path.join(dir, 'b', 'openclaw.json');
    fs.mkdirSync(path.dirname(file2));
    const secrets2 = path.join(dir, 'b', 'secrets.json');
    await s.open(file2, configWith('openai', secrets2));
    const ok = (await actionsAt(s, file2, `"${CANARY}"`)).find((a) =>
      a.title.startsWith('Convert to SecretRef: file vault'),
    );
    assert.ok(ok?.command);
    const result = (await execute(s, ok.command.command, ok.command.arguments?.[0])) as { rewritten: boolean };
    assert.equal(result.rewritten, true);
    assert.equal(JSON.parse(fs.readFileSync(secrets2, 'utf8')).models.providers.openai.apiKey, CANARY);
    assert.ok(!s.serverOutput().includes(CANARY), 'the value never crosses the wire');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('crafted executeCommand: ref id /__proto__/polluted is refused before anything is stored or edited', async () => {
  const dir = tempDir();
  const secrets = path.join(dir, 'secrets.json');
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const text = configWith('openai', secrets);
    await s.open(file, text);
    for (const id of ['/__proto__/polluted', '/constructor/prototype/polluted', '/a/__proto__']) {
      const args = {
        uri: uriOf(file),
        version: s.version(file),
        path: ['models', 'providers', 'openai', 'apiKey'],
        ref: { source: 'file', provider: 'vault', id },
      };
      await assert.rejects(execute(s, 'openclawSecrets.convertToSecretRef', args), (err: Error) => {
        assert.match(err.message, /"(__proto__|constructor)"/);
        return true;
      });
      assertNotPolluted();
    }
    assert.equal(fs.existsSync(secrets), false);
    assert.deepEqual(s.appliedEdits, [], 'no edit was sent');
    assert.equal(s.text(file), text, 'the plaintext stays until its new home holds it');
    assert.ok(!s.serverOutput().includes(CANARY), 'the value never crosses the wire');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every request argument is schema-checked: bad shapes are InvalidParams naming the field', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, configWith('openai', path.join(dir, 'secrets.json')));
    const bad: Array<[string, unknown, RegExp]> = [
      [
        'openclawSecrets.convertToSecretRef',
        { uri: uriOf(file), version: 'x', path: ['a'], ref: { source: 'env', provider: 'default', id: 'A' } },
        /version/,
      ],
      [
        'openclawSecrets.convertToSecretRef',
        {
          uri: uriOf(file),
          version: 1,
          path: 'models.providers',
          ref: { source: 'env', provider: 'default', id: 'A' },
        },
        /path/,
      ],
      [
        'openclawSecrets.convertToSecretRef',
        { uri: uriOf(file), version: 1, path: ['a'], ref: { source: 'file', provider: 'vault', id: 'relative' } },
        /ref\.id/,
      ],
      [
        'openclawSecrets.convertToSecretRef',
        { uri: uriOf(file), version: 1, path: ['a'], ref: { source: 'vault', provider: 'x', id: 'A' } },
        /\bref\b/,
      ],
      [
        'openclawSecrets.convertToSecretRef',
        { uri: uriOf(file), version: 1, path: ['a'], ref: { source: 'env', provider: '__proto__', id: 'A' } },
        /ref\.provider/,
      ],
      ['openclawSecrets.resolve', { uri: 42 }, /uri/],
      ['openclawSecrets.applyPlan', { uri: uriOf(file) }, /planUri/],
      ['openclawSecrets.restrictFilePermissions', { uri: uriOf(file), filePath: ['x'] }, /filePath/],
      ['openclawSecrets.convertAllPlaintext', JSON.parse('{"__proto__": {"uri": "x", "version": 1}}'), /uri/],
    ];
    for (const [command, args, field] of bad) {
      await assert.rejects(execute(s, command, args), (err: Error & { code?: number }) => {
        assert.equal(err.code, -32602, `${command}: ${err.message}`);
        assert.match(err.message, field);
        return true;
      });
    }
    await assert.rejects(
      s.client.sendRequest('openclawSecrets/audit', { uri: null, allowExec: 'yes' }),
      (err: Error & { code?: number }) => err.code === -32602,
    );
    assertNotPolluted();
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('plan merging keeps provider aliases as plain keys (no prototype setter)', () => {
  const addition = JSON.parse('{"providerUpserts": {"__proto__": {"source": "env"}}}');
  const plan = mergePlans(undefined, addition);
  assert.ok(plan.providerUpserts && Object.hasOwn(plan.providerUpserts, '__proto__'));
  assert.equal(Object.getPrototypeOf(plan.providerUpserts), null);
  assertNotPolluted();
});
