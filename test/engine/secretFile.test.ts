// The value file of a file-based store (1Password's template, Aliyun's SecretData): 0600 in a fresh 0700
// directory under the temp dir while the CLI runs, gone with its directory afterwards, also when the CLI
// hits the deadline (its process group killed) or the caller throws. Real files and a real child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withSecretFile } from '../../server/src/engine/backends/secretFile';
import { runChild } from '../../server/src/engine/backends/childRun';

const VALUE = 'sk-test-CANARY-secretfile-1';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the file is 0600 in a 0700 directory under the temp dir, holds the content, and is gone after use', async () => {
  let seen = '';
  const got = await withSecretFile(VALUE, async (file) => {
    seen = file;
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.equal(path.dirname(path.dirname(file)), os.tmpdir());
    assert.equal(fs.readFileSync(file, 'utf8'), VALUE);
    return 42;
  });
  assert.equal(got, 42);
  assert.ok(!fs.existsSync(seen) && !fs.existsSync(path.dirname(seen)));
});

test('a throwing caller: the error passes through, the file and its directory are gone', async () => {
  let seen = '';
  await assert.rejects(
    withSecretFile(VALUE, async (file) => {
      seen = file;
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.ok(seen && !fs.existsSync(path.dirname(seen)));
});

test('a CLI that never exits: the deadline kills it, then the file is removed; no value in argv', async () => {
  let seen = '';
  // The child reports its pid and the file's mode, then waits forever (like a CLI stuck on a prompt).
  const script =
    "const fs=require('node:fs');process.stdout.write(JSON.stringify({pid:process.pid,mode:fs.statSync(process.argv[1]).mode&0o777})+'\\n');setInterval(()=>{},60000);";
  const run = await withSecretFile(VALUE, (file) => {
    seen = file;
    return runChild({
      command: process.execPath,
      args: ['-e', script, file],
      env: { PATH: process.env.PATH },
      stdinNull: true,
      timeoutMs: 1_500,
      redact: [VALUE],
    });
  });
  assert.equal(run.timedOut, true);
  const report = JSON.parse(run.stdout.split('\n')[0]) as { pid: number; mode: number };
  assert.equal(report.mode, 0o600);
  assert.equal(alive(report.pid), false, 'the child outlived the move');
  assert.ok(!fs.existsSync(seen) && !fs.existsSync(path.dirname(seen)));
});
