// Only regular files, bounded: FIFOs, directories, devices and (where asked) symlinks are refused by name,
// without blocking and without reading; the cap holds on the open descriptor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRegularFile, readRegularFileSync, RegularFileError } from '../../server/src/engine/config/readRegularFile';
import { MAX_NESTING_DEPTH } from '../../server/src/engine/config/json5Parser';
import { parseConfigText } from '../../server/src/engine/config/configDocument';

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-regular-'));
  return {
    dir,
    file: (n: string) => path.join(dir, n),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function refused(fn: () => unknown, problem: string, what: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RegularFileError, String(err));
    assert.equal(err.problem, problem);
    assert.match(err.message, what);
    assert.ok(err.message.endsWith('.') && !err.message.endsWith('..'), err.message);
    return true;
  });
}

test('a FIFO, a directory, a character device and a missing file are refused by what they are, sync and async', async () => {
  const s = scratch();
  try {
    const fifo = s.file('openclaw.json');
    execFileSync('mkfifo', [fifo]);
    const cases: Array<[string, string, RegExp]> = [
      [fifo, 'not-regular', /it is a FIFO\.$/],
      [s.dir, 'not-regular', /it is a directory\.$/],
      ['/dev/zero', 'not-regular', /it is a character device\.$/],
      [s.file('absent.json'), 'missing', /it does not exist\.$/],
    ];
    for (const [p, problem, what] of cases) {
      refused(() => readRegularFileSync(p), problem, what);
      await assert.rejects(
        readRegularFile(p),
        (err: unknown) => err instanceof RegularFileError && err.problem === problem && what.test(err.message),
      );
    }
  } finally {
    s.dispose();
  }
});

test('a symlink is followed by default (dotfile configs) and refused with noFollow (provider files)', async () => {
  const s = scratch();
  try {
    const target = s.file('real.json');
    fs.writeFileSync(target, '{"a":1}');
    const link = s.file('link.json');
    fs.symlinkSync(target, link);
    assert.equal(readRegularFileSync(link), '{"a":1}');
    refused(() => readRegularFileSync(link, { noFollow: true }), 'not-regular', /it is a symlink\.$/);
    const toDevice = s.file('zero.json');
    fs.symlinkSync('/dev/zero', toDevice);
    refused(() => readRegularFileSync(toDevice), 'not-regular', /it is a character device\.$/);
  } finally {
    s.dispose();
  }
});

test('the size cap: a file at the cap reads whole, one byte more is refused naming the cap', async () => {
  const s = scratch();
  try {
    const p = s.file('big.json');
    fs.writeFileSync(p, 'x'.repeat(1000));
    assert.equal(readRegularFileSync(p, { maxBytes: 1000 }).length, 1000);
    assert.equal((await readRegularFile(p, { maxBytes: 1000 })).length, 1000);
    refused(() => readRegularFileSync(p, { maxBytes: 999 }), 'too-large', /larger than 999 bytes\.$/);
    await assert.rejects(readRegularFile(p, { maxBytes: 999 }), /larger than 999 bytes/);
    // more than one read: a file above the 64 KiB growth step still comes back whole
    fs.writeFileSync(p, 'y'.repeat(300_000));
    assert.equal(readRegularFileSync(p).length, 300_000);
    assert.equal((await readRegularFile(p)).length, 300_000);
  } finally {
    s.dispose();
  }
});

test('nesting past the limit is a syntax problem naming the limit; brackets in strings and comments do not count', () => {
  const deep = parseConfigText('['.repeat(7000));
  assert.equal(deep.syntaxError?.offset, MAX_NESTING_DEPTH);
  const doc = parseConfigText('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
  assert.match(doc.syntaxError?.message ?? '', new RegExp(`deeper than ${MAX_NESTING_DEPTH} levels`));
  assert.equal(doc.value, undefined);
  const atLimit = '['.repeat(MAX_NESTING_DEPTH) + ']'.repeat(MAX_NESTING_DEPTH);
  assert.equal(parseConfigText(atLimit).syntaxError, undefined);
  const quoted = `{ "a": "${'['.repeat(1000)}", b: '${'{'.repeat(1000)}', // ${'['.repeat(1000)}\n /* ${'{'.repeat(1000)} */ c: "\\"[[[" }`;
  assert.equal(parseConfigText(quoted).syntaxError, undefined);
});
