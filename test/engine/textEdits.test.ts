import { test } from 'node:test';
import assert from 'node:assert/strict';
import JSON5 from 'json5';
import { parseConfigText } from '../../server/src/engine/config/configDocument';
import {
  applyTextEdits,
  insertMemberEdit,
  removeMemberEdit,
  replaceValueEdit,
  setValueEdit,
  type TextEdit,
} from '../../server/src/engine/config/textEdits';
import {
  detectJsonStyle,
  isIdentifierName,
  JSON_STYLE,
  renderKey,
  renderString,
} from '../../server/src/engine/config/jsonStyle';

const REF = { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' };

function edit(text: string, f: (root: ReturnType<typeof parseConfigText>['root']) => TextEdit): string {
  const out = applyTextEdits(text, [f(parseConfigText(text).root)]);
  assert.equal(parseConfigText(out).syntaxError, undefined, `edited text must parse:\n${out}`);
  return out;
}

test('replacing a value keeps comments and the rest of the file byte for byte', () => {
  const text = `{
  // keep me
  models: { providers: { openai: { apiKey: 'sk-test-CANARY-1', /* and me */ api: "x" } } },
}
`;
  const out = edit(text, (root) => replaceValueEdit(root, ['models', 'providers', 'openai', 'apiKey'], REF));
  assert.equal(
    out,
    text.replace("'sk-test-CANARY-1'", '{ "source": "env", "provider": "default", "id": "OPENAI_API_KEY" }'),
  );
});

test('inserting into a multi-line object follows its indentation', () => {
  const text = '{\n  "secrets": {\n    "providers": {\n      "a": { "source": "env" }\n    }\n  }\n}\n';
  const out = edit(text, (root) =>
    insertMemberEdit(text, root, ['secrets', 'providers'], 'vault', { source: 'file', path: '/x' }),
  );
  assert.equal(
    out,
    '{\n  "secrets": {\n    "providers": {\n      "a": { "source": "env" },\n      "vault": { "source": "file", "path": "/x" }\n    }\n  }\n}\n',
  );
});

test("inserting after a trailing comma keeps the author's style", () => {
  const text = '{\n  a: 1,\n}';
  const out = edit(text, (root) => insertMemberEdit(text, root, [], 'b', 2));
  assert.equal(out, '{\n  a: 1,\n  b: 2,\n}');
});

test('inserting into single-line and empty objects', () => {
  assert.equal(
    edit('{"a": 1}', (root) => insertMemberEdit('{"a": 1}', root, [], 'b', true)),
    '{"a": 1, "b": true}',
  );
  assert.equal(
    edit('{}', (root) => insertMemberEdit('{}', root, [], 'b', null)),
    '{ "b": null }',
  );
  const multi = '{\n  "x": {\n  }\n}';
  assert.equal(
    edit(multi, (root) => insertMemberEdit(multi, root, ['x'], 'k', 'v')),
    '{\n  "x": {\n    "k": "v"\n  }\n}',
  );
});

test('setValueEdit replaces when present and inserts when absent', () => {
  const text = '{"a": {"b": 1}}';
  assert.equal(
    edit(text, (root) => setValueEdit(text, root, ['a', 'b'], 2)),
    '{"a": {"b": 2}}',
  );
  assert.equal(
    edit(text, (root) => setValueEdit(text, root, ['a', 'c'], 3)),
    '{"a": {"b": 1, "c": 3}}',
  );
});

test('removing first, middle, last and only members leaves valid text', () => {
  const text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
  assert.equal(
    edit(text, (root) => removeMemberEdit(text, root, ['a'])),
    '{\n  "b": 2,\n  "c": 3\n}',
  );
  assert.equal(
    edit(text, (root) => removeMemberEdit(text, root, ['b'])),
    '{\n  "a": 1,\n  "c": 3\n}',
  );
  assert.equal(
    edit(text, (root) => removeMemberEdit(text, root, ['c'])),
    '{\n  "a": 1,\n  "b": 2\n}',
  );
  assert.equal(
    edit('{"only": 1}', (root) => removeMemberEdit('{"only": 1}', root, ['only'])),
    '{}',
  );
  const trailing = '{ a: 1, b: 2, }';
  assert.equal(
    edit(trailing, (root) => removeMemberEdit(trailing, root, ['b'])),
    '{ a: 1 }',
  );
});

test('edits at a missing path fail with the path named', () => {
  const doc = parseConfigText('{"a": 1}');
  assert.throws(() => replaceValueEdit(doc.root, ['x', 'y'], 1), /No value at x\.y/);
  assert.throws(() => insertMemberEdit('{"a": 1}', doc.root, ['a'], 'k', 1), /No object at a/);
});

test('overlapping edits are refused', () => {
  assert.throws(
    () =>
      applyTextEdits('abcdef', [
        { start: 0, end: 3, newText: 'x' },
        { start: 2, end: 4, newText: 'y' },
      ]),
    /overlapping/,
  );
});

// ---------- the document's own style (JSON5 as OpenClaw's docs write it) ----------

const DOCS_STYLE = `{
  // my comment
  gateway: { mode: 'local', auth: { mode: 'token', token: 'x' } },
  secrets: { providers: { /* keep */ envp: { source: 'env' } } },
}
`;

test('a JSON5 file written like the docs gets bare keys and single quotes in what we insert', () => {
  const doc = parseConfigText(DOCS_STYLE);
  const style = detectJsonStyle(DOCS_STYLE, doc.root);
  assert.deepEqual({ ...style }, { bareKeys: true, quote: "'", trailingCommas: true });
  const out = applyTextEdits(DOCS_STYLE, [
    replaceValueEdit(doc.root, ['gateway', 'auth', 'token'], { source: 'env', provider: 'envnew', id: 'GW' }, style),
    insertMemberEdit(DOCS_STYLE, doc.root, ['secrets', 'providers'], 'envnew', { source: 'env' }),
  ]);
  assert.equal(
    out,
    `{
  // my comment
  gateway: { mode: 'local', auth: { mode: 'token', token: { source: 'env', provider: 'envnew', id: 'GW' } } },
  secrets: { providers: { /* keep */ envp: { source: 'env' }, envnew: { source: 'env' } } },
}
`,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(parseConfigText(out).value)), {
    gateway: { mode: 'local', auth: { mode: 'token', token: { source: 'env', provider: 'envnew', id: 'GW' } } },
    secrets: { providers: { envp: { source: 'env' }, envnew: { source: 'env' } } },
  });
});

test('a key that is not an IdentifierName stays quoted, with the document quote; values holding it are escaped', () => {
  const out = edit(DOCS_STYLE, (root) =>
    setValueEdit(DOCS_STYLE, root, ['secrets', 'providers', 'my-alias'], {
      source: 'file',
      path: `/srv/it's "q" \\ here.json`,
      'mode x': 'json',
    }),
  );
  assert.ok(
    out.includes(
      `envp: { source: 'env' }, 'my-alias': { source: 'file', path: '/srv/it\\'s "q" \\\\ here.json', 'mode x': 'json' } } },`,
    ),
    out,
  );
  const providers = (parseConfigText(out).value as { secrets: { providers: Record<string, { path: string }> } }).secrets
    .providers;
  assert.equal(providers['my-alias'].path, `/srv/it's "q" \\ here.json`);
  // A double-quoted JSON5 file escapes `"` and leaves `'` alone.
  const dq = '{\n  a: { b: "c" },\n}\n';
  assert.equal(
    edit(dq, (root) => insertMemberEdit(dq, root, ['a'], 'my-key', `it's "x"`)),
    '{\n  a: { b: "c", "my-key": "it\'s \\"x\\"" },\n}\n',
  );
});

test('strings round-trip through both quote styles, whatever they hold', () => {
  const samples = [`'`, `"`, `\\`, `\\'`, `\\"`, `'\\'`, 'a\nb\tc\u0000', '\u2028\u2029', 'ünï 😀', '${X}', ''];
  for (const quote of ["'", '"'] as const) {
    const style = { bareKeys: true, quote, trailingCommas: false };
    for (const s of samples) {
      const text = `{ k: ${renderString(s, style)}, ${renderKey(s, style)}: 1 }`;
      const doc = parseConfigText(text);
      assert.equal(doc.syntaxError, undefined, text);
      assert.equal((doc.value as Record<string, unknown>).k, s, text);
      assert.equal((doc.value as Record<string, unknown>)[s], 1, text);
      assert.deepEqual(JSON5.parse(text), { k: s, [s]: 1 }, `OpenClaw's json5 reads ${text} the same`);
    }
  }
});

test('unquoted keys only for ES5 IdentifierNames', () => {
  for (const k of ['source', '$ref', '_x1', 'café', 'null', 'true', 'aβγ']) {
    assert.equal(isIdentifierName(k), true, k);
    assert.deepEqual(JSON5.parse(`{ ${k}: 1 }`), { [k]: 1 }, `OpenClaw's json5 reads the bare key ${k}`);
  }
  for (const k of ['', 'my-alias', '1a', 'a b', 'openai:default', 'a.b', '😀', "it's"])
    assert.equal(isIdentifierName(k), false, k);
});

test('plain JSON, JSONC and undecided files keep the JSON style', () => {
  for (const text of [
    '{"a": {"b": "c"}}',
    '{\n  // c\n  "a": { "b": "c" }\n}',
    '{ a: 1, "b": 2 }', // one bare against one quoted: a tie is JSON
    '{ "a": \'x\', "b": "y" }',
    '{}',
  ]) {
    assert.equal(detectJsonStyle(text, parseConfigText(text).root), JSON_STYLE, text);
  }
  assert.equal(detectJsonStyle('{', parseConfigText('{').root), JSON_STYLE, 'an unparsable text');
  // Keys that must be quoted do not vote for quoting.
  const aliases = "{ 'my-alias': { source: 'env' }, 'openai:default': { mode: 'x' } }";
  assert.deepEqual(
    { ...detectJsonStyle(aliases, parseConfigText(aliases).root) },
    { bareKeys: true, quote: "'", trailingCommas: false },
  );
  // Quoted keys with trailing commas (JSONC-ish): only the comma convention is JSON5.
  const jsonc = '{\n  "a": {\n    "b": 1,\n  },\n}';
  assert.deepEqual(
    { ...detectJsonStyle(jsonc, parseConfigText(jsonc).root) },
    { bareKeys: false, quote: '"', trailingCommas: true },
  );
});

test('a member added to an empty multi-line object follows the trailing-comma convention', () => {
  const text = "{\n  a: 'x',\n  providers: {\n  },\n}\n";
  assert.equal(
    edit(text, (root) => insertMemberEdit(text, root, ['providers'], 'envp', { source: 'env' })),
    "{\n  a: 'x',\n  providers: {\n    envp: { source: 'env' },\n  },\n}\n",
  );
  const noCommas = "{\n  a: 'x',\n  providers: {\n  }\n}\n";
  assert.equal(
    edit(noCommas, (root) => insertMemberEdit(noCommas, root, ['providers'], 'envp', { source: 'env' })),
    "{\n  a: 'x',\n  providers: {\n    envp: { source: 'env' }\n  }\n}\n",
  );
});
