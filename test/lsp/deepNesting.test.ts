// Deep nesting over a real LSP connection: the server still publishes, the diagnostic names the limit,
// and the old diagnostics are replaced (before, a RangeError inside validation published nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession, tempDir } from './lspHarness';

test("'['.repeat(7000) replaces the old diagnostics with one naming the nesting limit", async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const first = await s.open(
      file,
      '{ "gateway": { "auth": { "mode": "token", "token": "sk-test-CANARY-DEEP-0001" } } }',
    );
    assert.ok(first.diagnostics.some((d) => d.code === 'PLAINTEXT_FOUND'));
    const deep = await s.change(file, '['.repeat(7000));
    assert.equal(deep.diagnostics.length, 1, JSON.stringify(deep.diagnostics));
    assert.match(deep.diagnostics[0].message, /deeper than 512 levels/);
    assert.deepEqual(deep.diagnostics[0].range.start, { line: 0, character: 512 });
    const objects = await s.change(file, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    assert.match(objects.diagnostics[0]?.message ?? '', /deeper than 512 levels/);
    assert.ok(!s.serverOutput().includes('CANARY-DEEP'), 'the value never crosses the wire');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
