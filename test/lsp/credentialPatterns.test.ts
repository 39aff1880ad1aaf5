// Detection as data: every rule matches its own true-positive samples and none of its false positives;
// OpenClaw's markers and placeholders are never reported as credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREDENTIAL_RULES,
  compilePatterns,
  detectCredential,
} from '../../server/src/engine/analyze/credentialPatterns';

for (const rule of CREDENTIAL_RULES) {
  test(`rule ${rule.id}: true and false positives`, () => {
    assert.ok(rule.truePositives.length > 0 && rule.falsePositives.length > 0);
    for (const sample of rule.truePositives) assert.ok(rule.pattern.test(sample), `${rule.id} should match a sample`);
    for (const sample of rule.falsePositives)
      assert.ok(!rule.pattern.test(sample), `${rule.id} should not match ${sample}`);
    for (const sample of rule.truePositives)
      assert.ok(
        rule.keywords.length === 0 || rule.keywords.some((k) => sample.includes(k)),
        `${rule.id}: keyword prefilter admits its samples`,
      );
  });
}

test('markers, placeholders, env refs and ordinary config values are not credentials', () => {
  for (const v of [
    'lmstudio-local',
    'codex-app-server',
    'secretref-managed',
    '${OPENAI_API_KEY}',
    '$OPENAI_API_KEY',
    'OPENAI_API_KEY',
    'https://api.openai.com/v1',
    'openai-responses',
    'gpt-4o-mini-2024-07-18',
    '***',
    '',
  ]) {
    assert.equal(detectCredential(v), undefined, v);
  }
});

test('detection names the kind; user patterns are added and a bad regex is reported by name', () => {
  assert.equal(detectCredential('sk-ant-api03-CANARYFAKEabcdefghijklmnopqrstuvwxyz')?.kind, 'an Anthropic API key');
  const set = compilePatterns([
    { name: 'an internal token', regex: '^itk_[a-z]{20}$' },
    { name: 'broken', regex: '(' },
  ]);
  assert.deepEqual(set.invalid, ['broken']);
  assert.equal(detectCredential('itk_abcdefghijklmnopqrst', set)?.kind, 'an internal token');
});
