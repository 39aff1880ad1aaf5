// Parsed objects have no prototype (so `__proto__` is plain data): String() and template literals on them
// throw. Every compat case with each scalar swapped for an object or an array of objects must still analyze.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfigText, walkNodes } from '../../server/src/engine/config/configDocument';
import { analyzeConfigDocument } from '../../server/src/engine/analyze/analyze';
import { displayString } from '../../server/src/engine/config/jsonValue';

const CASES = path.resolve(__dirname, '..', '..', '..', 'test', 'compat', 'cases');

test('displayString says what String() says, without throwing on prototype-less objects', () => {
  const parsed = parseConfigText('{o: {a: 1}, list: [1, {b: 2}, null, "s"]}').value as Record<string, unknown>;
  assert.throws(() => String(parsed.o), TypeError, 'the hazard this guards against');
  assert.equal(displayString(parsed.o), '[object Object]');
  assert.equal(displayString(parsed.list), '1,[object Object],,s');
  for (const v of ['x', 3, true, null, undefined, [1, [2, 3]], { a: 1 }]) assert.equal(displayString(v), String(v));
});

test('no compat config throws in analysis when any value is an object or an array of objects', () => {
  const configs = fs
    .readdirSync(CASES)
    .map((c) => path.join(CASES, c, 'openclaw.json'))
    .filter((p) => fs.existsSync(p));
  assert.ok(configs.length > 20, `found ${configs.length} compat configs`);
  let variants = 0;
  for (const file of configs) {
    const text = fs.readFileSync(file, 'utf8');
    const doc = parseConfigText(text, file);
    if (!doc.root) continue;
    const spots: Array<[number, number]> = [];
    walkNodes(
      doc.root,
      (node) => void (node.type !== 'object' && node.type !== 'array' && spots.push([node.start, node.end])),
    );
    for (const [start, end] of spots) {
      for (const replacement of ['{}', '[{}]', '{ toString: 1 }']) {
        const variant = parseConfigText(text.slice(0, start) + replacement + text.slice(end), file);
        assert.doesNotThrow(
          () => analyzeConfigDocument(variant),
          `${path.basename(path.dirname(file))} with ${replacement} at ${start}`,
        );
        variants++;
      }
    }
  }
  assert.ok(variants > 500, `${variants} variants analyzed`);
});
