// The audit's fast path for configs written as plain JSON: the same value as the JSON5 parser (null-prototype
// objects, later duplicate keys win, `__proto__` is data), and undefined wherever that parser must decide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfigText } from '../../server/src/engine/config/configDocument';
import { MAX_NESTING_DEPTH } from '../../server/src/engine/config/json5Parser';
import { parsePlainJsonValue } from '../../server/src/engine/config/plainJsonValue';
import { loadConfigValue } from '../../server/src/engine/config/stateFiles';

const CASES = path.resolve(__dirname, '..', '..', '..', 'test', 'compat', 'cases');

function json5Value(text: string): unknown {
  return parseConfigText(text, '/t/openclaw.json').value;
}

function assertNoPrototypes(value: unknown, where = '<root>'): void {
  if (Array.isArray(value)) value.forEach((v, i) => assertNoPrototypes(v, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    assert.equal(Object.getPrototypeOf(value), null, where);
    for (const [k, v] of Object.entries(value)) assertNoPrototypes(v, `${where}.${k}`);
  }
}

test('plain JSON: the same value as the JSON5 parser, with no prototype on any object', () => {
  const texts = [
    '{"a": 1, "a": 2, "b": {"c": [1, {"d": null}, "x"]}}',
    '{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1}',
    '{"s": "\\u2028 \\ud83d\\ude00 \\"q\\" \\\\ /", "n": [-0, 1e400, 0.1, 12345678901234567890]}',
    '[]',
    '"just a string"',
    ...fs
      .readdirSync(CASES)
      .map((c) => path.join(CASES, c, 'openclaw.json'))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f, 'utf8')),
  ];
  let plain = 0;
  for (const text of texts) {
    const fast = parsePlainJsonValue(text);
    if (fast === undefined) continue; // a JSON5 file: the JSON5 parser reads it
    plain++;
    assert.deepStrictEqual(fast, json5Value(text), text.slice(0, 80));
    assertNoPrototypes(fast);
  }
  assert.ok(plain >= 10, `${plain} plain JSON texts`);
  const proto = parsePlainJsonValue('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('JSON5, a syntax error, a BOM or nesting past the limit: left to the JSON5 parser', () => {
  for (const text of ['{a: 1}', "{'a': 1}", '{"a": 1,}', '// c\n{}', '{"a": }', '\ufeff{}', '']) {
    assert.equal(parsePlainJsonValue(text), undefined, JSON.stringify(text));
  }
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.notEqual(parsePlainJsonValue(nested(MAX_NESTING_DEPTH)), undefined);
  assert.notEqual(json5Value(nested(MAX_NESTING_DEPTH)), undefined, 'the JSON5 parser takes the same depth');
  assert.equal(parsePlainJsonValue(nested(MAX_NESTING_DEPTH + 1)), undefined);
  assert.equal(json5Value(nested(MAX_NESTING_DEPTH + 1)), undefined, 'and refuses one more');
  const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  assert.notEqual(parsePlainJsonValue(objects(MAX_NESTING_DEPTH)), undefined);
  assert.equal(parsePlainJsonValue(objects(MAX_NESTING_DEPTH + 1)), undefined);
});

test('loadConfigValue: JSON and JSON5 files give the JSON5 parser value; a missing file does not exist', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-plain-json-'));
  try {
    const file = path.join(dir, 'openclaw.json');
    for (const text of ['{"gateway": {"auth": {"token": "${GW}"}}}', "{ gateway: { auth: { token: '${GW}' } } }"]) {
      fs.writeFileSync(file, text);
      assert.deepStrictEqual(loadConfigValue(file), { exists: true, value: json5Value(text) });
    }
    fs.writeFileSync(file, '{ "a": ');
    assert.deepStrictEqual(loadConfigValue(file), { exists: true, value: undefined });
    assert.deepStrictEqual(loadConfigValue(path.join(dir, 'missing.json')), { exists: false, value: undefined });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
