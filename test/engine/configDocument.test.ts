import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMemberAt, findNode, formatPath, nodeAtOffset, offsetToPosition, parseConfigText, parseConfigTextAsJson5, parseConfigTextOrThrow, walkNodes } from '../../server/src/engine/configDocument';

const JSON5_TEXT = `// OpenClaw config
{
  models: {
    providers: {
      'openai': { apiKey: 'sk-test-CANARY-1', baseUrl: "https://x.invalid", },
      "dotted.key": { apiKey: { source: "env", provider: "default", id: "OPENAI_API_KEY" } },
    },
  },
  list: [1, +Infinity, null, true],
}
`;

test('JSON5: unquoted keys, single quotes, comments and trailing commas give exact value offsets', () => {
  const doc = parseConfigText(JSON5_TEXT);
  assert.equal(doc.syntaxError, undefined);
  const node = findNode(doc.root, ['models', 'providers', 'openai', 'apiKey'])!;
  assert.equal(JSON5_TEXT.slice(node.start, node.end), "'sk-test-CANARY-1'");
  assert.equal(node.type, 'string');
  const member = findMemberAt(doc.root, ['models', 'providers', 'dotted.key'])!;
  assert.equal(JSON5_TEXT.slice(member.keyStart, member.keyEnd), '"dotted.key"');
  assert.deepEqual((doc.value as any).models.providers['dotted.key'].apiKey, { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' });
  assert.deepEqual((doc.value as any).list, [1, Infinity, null, true]);
});

test('JSON and JSONC read through the same front-end', () => {
  const json = '{"a": {"b": "c"}}';
  assert.deepEqual(parseConfigText(json).value, { a: { b: 'c' } });
  const jsonc = '{\n  // note\n  "a": [1, 2,],\n}';
  const doc = parseConfigText(jsonc);
  assert.deepEqual(doc.value, { a: [1, 2] });
  const item = findNode(doc.root, ['a', 1])!;
  assert.equal(jsonc.slice(item.start, item.end), '2');
  assert.equal(findNode(doc.root, ['a', '1']), item, 'string index reaches array items too');
});

test('a syntax error gives the position, never a silent empty result', () => {
  const text = '{\n  "a": 1,,\n}';
  const doc = parseConfigText(text, 'openclaw.json');
  assert.equal(doc.root, undefined);
  assert.ok(doc.syntaxError);
  assert.equal(doc.syntaxError.line, 2);
  assert.equal(doc.syntaxError.column, 10);
  assert.match(doc.syntaxError.message, /Comma/);
  assert.throws(() => parseConfigTextOrThrow(text, '/x/openclaw.json'), /\/x\/openclaw\.json:2:10: /);
});

test('duplicate keys: the last one wins in both the value and the located tree', () => {
  const text = '{"k": 1, "k": 2}';
  const doc = parseConfigText(text);
  assert.deepEqual(doc.value, { k: 2 });
  assert.equal(text.slice(findNode(doc.root, ['k'])!.start, findNode(doc.root, ['k'])!.end), '2');
});

test('__proto__ stays an own key and does not pollute prototypes', () => {
  const doc = parseConfigText('{"__proto__": {"polluted": true}}');
  assert.equal(Object.prototype.hasOwnProperty.call(doc.value, '__proto__'), true);
  assert.equal(({} as any).polluted, undefined);
});

test('walkNodes visits every node with its path; nodeAtOffset finds the innermost node and key', () => {
  const doc = parseConfigText(JSON5_TEXT);
  const paths: string[] = [];
  walkNodes(doc.root, (n, p) => {
    if (n.type === 'string') paths.push(formatPath(p));
  });
  assert.ok(paths.includes('models.providers.openai.apiKey'));
  assert.ok(paths.includes('models.providers.dotted.key.apiKey.id'));
  const offset = JSON5_TEXT.indexOf('CANARY');
  const hit = nodeAtOffset(doc.root, offset)!;
  assert.deepEqual(hit.path, ['models', 'providers', 'openai', 'apiKey']);
  const keyHit = nodeAtOffset(doc.root, JSON5_TEXT.indexOf('baseUrl') + 2)!;
  assert.equal(keyHit.onKey?.key, 'baseUrl');
});

test('BOM is ignored and offsets stay aligned with the original text', () => {
  const text = '\ufeff{"a": "b"}';
  const doc = parseConfigText(text);
  const n = findNode(doc.root, ['a'])!;
  assert.equal(text.slice(n.start, n.end), '"b"');
});

test('offsetToPosition counts lines and UTF-16 columns', () => {
  assert.deepEqual(offsetToPosition('ab\ncd', 4), { line: 1, character: 1 });
  assert.deepEqual(offsetToPosition('ab', 0), { line: 0, character: 0 });
});

test('the JSON/JSONC fast path and the JSON5 path give the same tree and value', () => {
  const texts = [
    '{"a": {"b": [1, -2.5e3, "x\\u00e9\\n", true, false, null, {}], "c": {}}, "d": []}',
    '// c\n{\n  "k": "v", /* inline */ "n": [1, 2,],\n  "__proto__": {"p": 1},\n  "k": "last",\n}\n',
    '\ufeff{"bom": 1}',
    '[]',
    '"just a string"',
  ];
  for (const text of texts) {
    const fast = parseConfigText(text);
    const slow = parseConfigTextAsJson5(text);
    assert.equal(fast.syntaxError, undefined, text);
    assert.deepEqual(fast.root, slow.root, text);
    assert.deepEqual(fast.value, slow.value, text);
  }
});

test('text only JSON5 accepts falls back to the JSON5 path', () => {
  const doc = parseConfigText("{hex: 0x1F, 'q': .5, trailing: +1,}");
  assert.deepEqual(doc.value, { hex: 31, q: 0.5, trailing: 1 });
  assert.equal(parseConfigText('').syntaxError?.line, 1, 'an empty document is a syntax error, not an empty config');
});
