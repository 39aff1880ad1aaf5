// `openclaw-secrets reload` is its own gateway client now: an `openclaw` on PATH is never run, and the
// help lists OpenClaw's flags. (Against a real gateway and each fault: test/gateway/*.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli as runCliInProcess } from '../helpers/cli';
import { freeLoopbackPort } from '../gateway/realGateway';

const cli = (argv: string[], env: NodeJS.ProcessEnv, cwd: string) => runCliInProcess(argv, env, { cwd });

test('reload never shells out to an openclaw on PATH: it talks to the gateway itself', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-reload-'));
  const marker = path.join(dir, 'ran');
  writeFileSync(path.join(dir, 'openclaw'), `#!/bin/sh\ntouch '${marker}'\nprintf '{"ok":true,"warningCount":0}\\n'\n`);
  chmodSync(path.join(dir, 'openclaw'), 0o755);
  try {
    const port = await freeLoopbackPort();
    const r = await cli(
      ['reload', '--url', `ws://127.0.0.1:${port}`, '--token', 'tok-test', '--timeout', '5000'],
      { PATH: `${dir}:/usr/bin:/bin`, HOME: dir },
      dir,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No gateway reachable at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    assert.equal(existsSync(marker), false, 'the openclaw on PATH was not run');
    assert.ok(!r.stdout.includes('tok-test') && !r.stderr.includes('tok-test'), 'the token is never echoed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reload --help lists the flags of openclaw secrets reload; unknown flags and arguments are errors', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-reload-help-'));
  try {
    const help = await cli(['reload', '--help'], { PATH: dir }, dir);
    assert.equal(help.code, 0);
    for (const flag of [
      '--url <url>',
      '--token <token>',
      '--password <password>',
      '--port <port>',
      '--timeout <ms>',
      '--expect-final',
      '--json',
    ])
      assert.ok(help.stdout.includes(flag), flag);
    const extra = await cli(['reload', 'now'], { PATH: dir }, dir);
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, /too many arguments for 'reload'/);
    const unknown = await cli(['reload', '--bogus'], { PATH: dir }, dir);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
