import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../../server/src/engine/config/configDocument';
import {
  applyTextEdits,
  insertMemberEdit,
  removeMemberEdit,
  replaceValueEdit,
  setValueEdit,
  type TextEdit,
} from '../../server/src/engine/config/textEdits';

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
  assert.equal(out, '{\n  a: 1,\n  "b": 2,\n}');
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
