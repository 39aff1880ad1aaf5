import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';

async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, env, cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, stdin: new PassThrough() });
  return { code, stdout, stderr };
}

/** A fake `openclaw` on a temp PATH: records its argv, answers like the gateway CLI. */
function fakeOpenclaw(body: string): { dir: string; argvLog: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-reload-'));
  const argvLog = path.join(dir, 'argv.log');
  writeFileSync(path.join(dir, 'openclaw'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${argvLog}'; done\n${body}\n`);
  chmodSync(path.join(dir, 'openclaw'), 0o755);
  return { dir, argvLog };
}

test('reload relays the gateway CLI: forwards only its flags, prints the warning count', async () => {
  const fake = fakeOpenclaw(`printf '{"ok":true,"warningCount":1}\\n'`);
  try {
    const env = { PATH: `${fake.dir}:/usr/bin:/bin` };
    const r = await cli(['reload', '--url', 'ws://127.0.0.1:18789', '--token', 'tok-test', '--timeout', '5000'], env, fake.dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Secrets reloaded with 1 warning(s).\n');
    assert.ok(!r.stdout.includes('tok-test') && !r.stderr.includes('tok-test'), 'the token is never echoed');
    assert.deepEqual(readFileSync(fake.argvLog, 'utf8').trim().split('\n'), ['secrets', 'reload', '--json', '--url', 'ws://127.0.0.1:18789', '--token', 'tok-test', '--timeout', '5000']);
    const json = await cli(['reload', '--json'], env, fake.dir);
    assert.deepEqual(JSON.parse(json.stdout), { ok: true, warningCount: 1 });
  } finally {
    rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('reload passes on the gateway failure and its exit code', async () => {
  const fake = fakeOpenclaw(`printf '{"ok":false,"error":{"type":"cli_error","message":"gateway closed (1006)"}}\\n'; exit 1`);
  try {
    const r = await cli(['reload'], { PATH: fake.dir }, fake.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Secrets reload failed: gateway closed \(1006\)/);
  } finally {
    rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('without openclaw on PATH: one clear line, exit 1', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'ocs-reload-empty-'));
  try {
    const r = await cli(['reload'], { PATH: empty }, empty);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /No OpenClaw gateway CLI found on PATH/);
    const help = await cli(['reload', '--help'], { PATH: empty }, empty);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--token <token>/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
