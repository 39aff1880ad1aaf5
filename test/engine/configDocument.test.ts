import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findMemberAt,
  findNode,
  formatPath,
  nodeAtOffset,
  offsetToPosition,
  parseConfigText,
  parseConfigTextOrThrow,
  walkNodes,
} from '../../server/src/engine/config/configDocument';

/** A deep copy with ordinary prototypes (parsed objects have none), to compare against literals. */
const plain = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (_k, x) => (x === Infinity ? 'Infinity' : x)),
    (_k, x) => (x === 'Infinity' ? Infinity : x),
  );

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
  assert.deepEqual(
    plain(
      (doc.value as { models: { providers: Record<string, { apiKey: unknown }> } }).models.providers['dotted.key']
        .apiKey,
    ),
    {
      source: 'env',
      provider: 'default',
      id: 'OPENAI_API_KEY',
    },
  );
  assert.deepEqual(plain((doc.value as { list: unknown }).list), [1, Infinity, null, true]);
});

test('JSON and JSONC read through the same front-end', () => {
  const json = '{"a": {"b": "c"}}';
  assert.deepEqual(plain(parseConfigText(json).value), { a: { b: 'c' } });
  const jsonc = '{\n  // note\n  "a": [1, 2,],\n}';
  const doc = parseConfigText(jsonc);
  assert.deepEqual(plain(doc.value), { a: [1, 2] });
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
  assert.deepEqual(plain(doc.value), { k: 2 });
  assert.equal(text.slice(findNode(doc.root, ['k'])!.start, findNode(doc.root, ['k'])!.end), '2');
});

test('__proto__ stays an own key and does not pollute prototypes', () => {
  const doc = parseConfigText('{"__proto__": {"polluted": true}}');
  assert.equal(Object.prototype.hasOwnProperty.call(doc.value, '__proto__'), true);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
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

test('text only JSON5 accepts parses too', () => {
  const doc = parseConfigText("{hex: 0x1F, 'q': .5, trailing: +1,}");
  assert.deepEqual(plain(doc.value), { hex: 31, q: 0.5, trailing: 1 });
  assert.equal(parseConfigText('').syntaxError?.line, 1, 'an empty document is a syntax error, not an empty config');
});
