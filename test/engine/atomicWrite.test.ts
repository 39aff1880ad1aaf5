import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../server/src/engine/plan/atomicWrite';

test('writeFileAtomic writes mode 0600 and leaves no temp file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-atomic-'));
  try {
    const target = path.join(dir, 'sub', 'openclaw.json');
    await writeFileAtomic(target, '{"a":1}\n');
    assert.equal(readFileSync(target, 'utf8'), '{"a":1}\n');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(target)).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(path.dirname(target)), ['openclaw.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed write removes its temp file and keeps the old content', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-atomic-'));
  try {
    const target = path.join(dir, 'openclaw.json');
    writeFileSync(target, 'old');
    // A directory where the file should be makes rename fail after the temp file was written.
    const blocked = path.join(dir, 'blocked');
    mkdirSync(path.join(blocked, 'x'), { recursive: true });
    await assert.rejects(writeFileAtomic(blocked, 'new'));
    assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'openclaw.json']);
    assert.equal(readFileSync(target, 'utf8'), 'old');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
