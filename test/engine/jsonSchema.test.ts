import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  buildOpenClawSecretsJsonSchema,
  renderOpenClawSecretsJsonSchema,
} from '../../server/src/engine/refs/jsonSchema';

const REPO = path.resolve(__dirname, '../../..');

test('the checked-in schema is what the zod schemas generate (run `node scripts/gen-schema.mjs` after a build to refresh)', () => {
  const checkedIn = readFileSync(path.join(REPO, 'schemas/openclaw-secrets.schema.json'), 'utf8');
  assert.equal(checkedIn, renderOpenClawSecretsJsonSchema());
});

test("the schema carries OpenClaw's limits and patterns", () => {
  const text = JSON.stringify(buildOpenClawSecretsJsonSchema());
  assert.ok(text.includes('^[a-z][a-z0-9_-]{0,63}$'), 'provider alias pattern');
  assert.ok(text.includes('^[A-Z][A-Z0-9_]{0,127}$'), 'env id pattern');
  assert.ok(text.includes('120000'), 'timeout limit');
  assert.ok(text.includes('20971520'), 'maxBytes limit');
  assert.ok(text.includes('"singleValue"'));
});
