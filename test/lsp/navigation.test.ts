// Hover, completion, go to definition and document links over a real LSP connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, DocumentLink, Hover, Location } from 'vscode-languageserver-protocol';
import { ResolveRequest } from '../../server/src/protocol';
import { startSession, tempDir, uriOf, type LspSession } from './lspHarness';

function posOf(text: string, snippet: string, delta = 1) {
  const at = text.indexOf(snippet) + delta;
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
}

async function setup(): Promise<{ s: LspSession; dir: string; file: string; text: string; payload: string }> {
  const dir = tempDir();
  const payload = path.join(dir, 'secrets.json');
  fs.writeFileSync(
    payload,
    JSON.stringify({ providers: { openai: { apiKey: 'sk-test-CANARY-NAV-1' } }, 'a/b': 'sk-test-CANARY-NAV-2' }),
  );
  fs.chmodSync(payload, 0o600);
  const text = `{
  "secrets": { "providers": {
    "filemain": { "source": "file", "path": ${JSON.stringify(payload)}, "mode": "json" },
    "envp": { "source": "env", "allowlist": ["OPENAI_API_KEY", "TALK_KEY"] } } },
  "models": { "providers": {
    "openai": { "apiKey": { "source": "file", "provider": "filemain", "id": "/providers/openai/apiKey" } },
    "other": { "apiKey": { "source": "env", "provider": "envp", "id": "" } } } }
}
`;
  const s = await startSession();
  const file = path.join(dir, 'openclaw.json');
  await s.open(file, text);
  return { s, dir, file, text, payload };
}

test('hover on a ref: provider summary and the last dry-run (fingerprint, length class), never the value', async () => {
  const { s, dir, file, text } = await setup();
  try {
    await s.client.sendRequest(ResolveRequest, { uri: uriOf(file), allowExec: false });
    const hover = (await s.client.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, '"/providers/openai/apiKey"'),
    })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(
      value,
      /^\*\*SecretRef\*\* `file:filemain:\/providers\/openai\/apiKey` at `models\.providers\.openai\.apiKey`/,
    );
    assert.match(
      value,
      /Provider `filemain`: file `.*secrets\.json` \(json mode, maxBytes 1048576, timeout 5000 ms\)\./,
    );
    assert.match(value, /Last dry-run: resolved, medium string hmac:[0-9a-f]{8} in \d+ ms at \d{4}-/);
    assert.ok(!value.includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('hover on a provider declaration is not a SecretRef hover (its `source` member declares, it does not refer)', async () => {
  const { s, dir, file, text } = await setup();
  try {
    for (const snippet of ['"source": "file", "path"', '"source": "env", "allowlist"']) {
      const hover = (await s.client.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(file) },
        position: posOf(text, snippet, 12),
      })) as Hover | null;
      const value = hover ? (hover.contents as { value: string }).value : '';
      assert.doesNotMatch(value, /SecretRef/, snippet);
    }
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("completion: sources, providers of the ref's source, allowlisted env ids, payload pointers (keys only)", async () => {
  const { s, dir, file, text } = await setup();
  try {
    const complete = async (snippet: string, delta = 1) =>
      (
        (await s.client.sendRequest('textDocument/completion', {
          textDocument: { uri: uriOf(file) },
          position: posOf(text, snippet, delta),
        })) as CompletionItem[]
      ).map((i) => i.label);
    assert.deepEqual(await complete('"env", "provider": "envp"'), ['env', 'file', 'exec', 'store']);
    assert.deepEqual(await complete('"filemain", "id"'), ['filemain']);
    assert.deepEqual(await complete('"envp", "id"'), ['envp', 'default']);
    assert.deepEqual(await complete('"" } }'), ['OPENAI_API_KEY', 'TALK_KEY']);
    const pointers = await complete('"/providers/openai/apiKey"');
    assert.deepEqual(pointers, ['/providers/openai/apiKey', '/a~1b']);
    const items = (await s.client.sendRequest('textDocument/completion', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, '"/providers/openai/apiKey"'),
    })) as CompletionItem[];
    assert.ok(!JSON.stringify(items).includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('definition: provider -> its declaration; file provider path -> the file; document links for both', async () => {
  const { s, dir, file, text, payload } = await setup();
  try {
    const def = (await s.client.sendRequest('textDocument/definition', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, '"filemain", "id"'),
    })) as Location;
    assert.deepEqual(def, {
      uri: uriOf(file),
      range: { start: posOf(text, '"filemain": {', 0), end: posOf(text, '"filemain": {', '"filemain"'.length) },
    });
    const toFile = (await s.client.sendRequest('textDocument/definition', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, JSON.stringify(payload)),
    })) as Location;
    assert.equal(toFile.uri, uriOf(payload));
    const links = (await s.client.sendRequest('textDocument/documentLink', {
      textDocument: { uri: uriOf(file) },
    })) as DocumentLink[];
    assert.deepEqual(
      links.map((l) => l.target),
      [uriOf(payload), `${uriOf(file)}#L3`, `${uriOf(file)}#L4`],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
