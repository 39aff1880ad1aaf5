import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMasked, fingerprint, lengthClass, maskValue } from '../../server/src/engine/fingerprint';

test('masking shows length class and a short hash, never the value', () => {
  const secret = 'sk-test-CANARY-abcdefghijklmnop';
  const m = maskValue(secret);
  assert.deepEqual(m, { type: 'string', lengthClass: 'medium', fingerprint: fingerprint(secret) });
  assert.match(m.fingerprint!, /^sha256:[0-9a-f]{8}$/);
  assert.ok(!JSON.stringify(m).includes('CANARY'));
  assert.ok(!describeMasked(m).includes('CANARY'));
  assert.notEqual(fingerprint('a'), fingerprint('b'));
});

test('length classes', () => {
  assert.equal(lengthClass(''), 'empty');
  assert.equal(lengthClass('x'.repeat(15)), 'short');
  assert.equal(lengthClass('x'.repeat(39)), 'medium');
  assert.equal(lengthClass('x'.repeat(127)), 'long');
  assert.equal(lengthClass('x'.repeat(128)), 'very-long');
  assert.deepEqual(maskValue(3), { type: 'number' });
});
