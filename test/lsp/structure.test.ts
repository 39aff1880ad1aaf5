// Outline (document symbols, breadcrumbs), folding ranges and selection ranges for a JSON5 openclaw.json,
// over a real LSP connection: what the JSON language gave people, now from our own server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type SelectionRange,
} from 'vscode-languageserver-protocol';
import { startSession, tempDir, uriOf } from './lspHarness';

const TEXT = `// OpenClaw config, written as the docs write it
{
  /* models
     and their keys */
  models: {
    providers: {
      openai: { apiKey: 'sk-test-CANARY-STRUCT-1', baseUrl: "https://x.invalid", },
    },
  },
  // #region gateway
  gateway: { port: 18789, auth: { mode: 'token', }, },
  // #endregion
  list: [1, { 'quoted key': true, }, null,],
}
`;

function posOf(snippet: string, delta = 1) {
  const at = TEXT.indexOf(snippet) + delta;
  const before = TEXT.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
}

async function withConfig(
  run: (uri: string, request: <R>(method: string, params: object) => Promise<R>) => Promise<void>,
  text = TEXT,
): Promise<void> {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    await run(uriOf(file), (method, params) =>
      s.client.sendRequest(method, { textDocument: { uri: uriOf(file) }, ...params }),
    );
    assert.ok(!s.serverOutput().includes('CANARY'), 'no value crosses the connection');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('document symbols: every key of the JSON5 config, nested, key as selection, scalars without string values', async () => {
  await withConfig(async (_uri, request) => {
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', {});
    const names = (list: DocumentSymbol[]): unknown =>
      list.map((s) => (s.children?.length ? { [s.name]: names(s.children) } : s.name));
    assert.deepEqual(names(symbols), [
      { models: [{ providers: [{ openai: ['apiKey', 'baseUrl'] }] }] },
      { gateway: ['port', { auth: ['mode'] }] },
      { list: ['0', { 1: ['quoted key'] }, '2'] },
    ]);
    const gateway = symbols[1];
    assert.equal(gateway.kind, SymbolKind.Module);
    assert.deepEqual(gateway.selectionRange, { start: posOf('gateway:', 0), end: posOf('gateway:', 7) });
    assert.deepEqual(gateway.range.end, posOf('}, },\n  // #endregion', 4), 'the member ends where its value ends');
    const port = gateway.children![0];
    assert.equal(port.kind, SymbolKind.Number);
    assert.equal(port.detail, '18789');
    const apiKey = symbols[0].children![0].children![0].children![0];
    assert.equal(apiKey.kind, SymbolKind.String);
    assert.equal(apiKey.detail, undefined, 'a string value is never shown in the outline');
    assert.equal(symbols[2].kind, SymbolKind.Array);
  });
});

test('folding ranges: multi-line objects up to the line before their closing bracket, block comments, regions', async () => {
  await withConfig(async (_uri, request) => {
    const ranges = await request<FoldingRange[]>('textDocument/foldingRange', {});
    const line = (snippet: string) => posOf(snippet, 0).line;
    assert.deepEqual(ranges, [
      { startLine: line('{\n  /* models'), endLine: line('  list:') },
      { startLine: line('/* models'), endLine: line('and their keys */'), kind: 'comment' },
      { startLine: line('models: {'), endLine: line('    },\n  },') },
      { startLine: line('providers: {'), endLine: line('openai:') },
      { startLine: line('// #region'), endLine: line('// #endregion'), kind: 'region' },
    ]);
  });
});

test('selection ranges grow from the string content to the value, the member, the object, the document', async () => {
  await withConfig(async (_uri, request) => {
    const [inString, onKey] = await request<SelectionRange[]>('textDocument/selectionRange', {
      positions: [posOf("'token'", 2), posOf("'quoted key'", 3)],
    });
    const texts = (r: SelectionRange | undefined): string[] => {
      const out: string[] = [];
      const lines = TEXT.split('\n');
      const offset = (p: { line: number; character: number }) =>
        lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      for (; r; r = r.parent) out.push(TEXT.slice(offset(r.range.start), offset(r.range.end)));
      return out;
    };
    const fromToken = texts(inString);
    assert.deepEqual(fromToken.slice(0, 6), [
      'token',
      "'token'",
      "mode: 'token'",
      "{ mode: 'token', }",
      "auth: { mode: 'token', }",
      "{ port: 18789, auth: { mode: 'token', }, }",
    ]);
    assert.equal(
      fromToken[fromToken.length - 1],
      TEXT.slice(TEXT.indexOf('{'), TEXT.lastIndexOf('}') + 1),
      'the outermost step is the whole root',
    );
    assert.deepEqual(texts(onKey).slice(0, 4), [
      'quoted key',
      "'quoted key'",
      "'quoted key': true",
      "{ 'quoted key': true, }",
    ]);
  });
});

test('a config that does not parse has no outline, no folds and selection stays where it is', async () => {
  await withConfig(async (_uri, request) => {
    assert.deepEqual(await request('textDocument/documentSymbol', {}), []);
    assert.deepEqual(await request('textDocument/foldingRange', {}), []);
    const [sel] = await request<SelectionRange[]>('textDocument/selectionRange', {
      positions: [{ line: 1, character: 2 }],
    });
    assert.deepEqual(sel, { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } } });
  }, '{\n  models: {,\n}\n');
});

test('input nested 7,000 deep: one SYNTAX_ERROR naming the limit, and every structure request still answers', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const published = await s.open(file, '{"a":'.repeat(7000));
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['SYNTAX_ERROR'],
    );
    assert.match(published.diagnostics[0].message, /deeper than 512 levels/);
    const textDocument = { uri: uriOf(file) };
    assert.deepEqual(await s.client.sendRequest('textDocument/documentSymbol', { textDocument }), []);
    assert.deepEqual(await s.client.sendRequest('textDocument/foldingRange', { textDocument }), []);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
