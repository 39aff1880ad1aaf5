// Cache names from a file's identity (runtime/fileIdentity.ts): stable while the file stays as it is, new
// when it is rewritten with the same length, replaced, or another file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileIdentityKey } from '../../server/src/engine/runtime/fileIdentity';

test('file identity keys: same file same key; a same-length rewrite, a replacement or another file, another key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-file-identity-'));
  try {
    const file = path.join(dir, 'bundle.js');
    const other = path.join(dir, 'other.js');
    fs.writeFileSync(file, 'aaaa');
    fs.writeFileSync(other, 'aaaa');
    const key = (f: string, hex?: number) => fileIdentityKey(fs.statSync(f, { bigint: true }), hex);
    const first = key(file);
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.match(key(file, 32), /^[0-9a-f]{32}$/);
    assert.equal(key(file), first, 'reading the file again changes nothing');
    fs.readFileSync(file);
    assert.equal(key(file), first);
    assert.notEqual(key(other), first, 'another file with the same bytes');

    // Rewritten in place with the same length and its mtime set back: the ctime still moves.
    const before = fs.statSync(file, { bigint: true });
    const ctimeMoved = () => fs.statSync(file, { bigint: true }).ctimeNs !== before.ctimeNs;
    const deadline = Date.now() + 5000;
    while (!ctimeMoved() && Date.now() < deadline) {
      fs.writeFileSync(file, 'bbbb');
      fs.utimesSync(file, before.atime, before.mtime);
    }
    assert.ok(ctimeMoved(), 'the ctime moved within 5 s');
    assert.notEqual(key(file), first, 'same length, same mtime, other content');

    // Replaced by a copy (a reinstall): another inode or ctime, so another key.
    const rewritten = key(file);
    fs.copyFileSync(other, path.join(dir, 'tmp.js'));
    fs.renameSync(path.join(dir, 'tmp.js'), file);
    assert.notEqual(key(file), rewritten);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
