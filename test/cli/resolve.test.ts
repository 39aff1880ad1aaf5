import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli as runCliInProcess } from '../helpers/cli';
import { CANARY, tempDir, writeScript, writeSecretFile } from '../engine/resolve-kit';

const cli = (argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) => runCliInProcess(argv, env, { cwd });

/** A state dir with an env ref, a missing env ref, a file ref and an exec ref, plus a `.env` file. */
function stateFixture() {
  const t = tempDir('ocs-cli-resolve-');
  const secrets = writeSecretFile(t.dir, 'secrets.json', JSON.stringify({ openai: `${CANARY}-FILE` }));
  const slow = writeScript(t.dir, 'slow.sh', '/bin/cat >/dev/null\n/bin/sleep 5');
  writeFileSync(t.file('.env'), `DOTENV_KEY=${CANARY}-DOTENV\n`);
  const config = `// JSON5 on purpose: comments and unquoted keys
{
  secrets: { providers: {
    filemain: { source: 'file', path: '${secrets}' },
    slow: { source: 'exec', command: '${slow}', timeoutMs: 200 },
  } },
  models: { providers: {
    openai: { apiKey: { source: 'file', provider: 'filemain', id: '/openai' } },
    envkey: { apiKey: '\${ENV_KEY}' },
    dotenv: { apiKey: '$DOTENV_KEY' },
    missing: { apiKey: { source: 'env', provider: 'default', id: 'MISSING_KEY' } },
    slowkey: { apiKey: { source: 'exec', provider: 'slow', id: 'k' } },
  } },
  custom: { elsewhere: { source: 'env', provider: 'default', id: 'ENV_KEY' } },
}
`;
  writeFileSync(t.file('openclaw.json'), config);
  const env = { OPENCLAW_CONFIG_PATH: t.file('openclaw.json'), HOME: t.dir, ENV_KEY: `${CANARY}-ENV` };
  return { t, env, slow };
}

test('text output: one line per ref with status, time and fingerprint, never a value; exit 2 when one is unresolved', async () => {
  const f = stateFixture();
  try {
    const r = await cli(['resolve'], f.env);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes(CANARY));
    const lines = r.stdout.trim().split('\n');
    assert.match(
      lines[0],
      /^models\.providers\.openai\.apiKey {2}file:filemain:\/openai {2}ok medium hmac:[0-9a-f]{8} {2}\d+ms$/,
    );
    assert.match(
      r.stdout,
      /^models\.providers\.envkey\.apiKey {2}env:default:ENV_KEY {2}ok medium hmac:[0-9a-f]{8} {2}\d+ms$/m,
    );
    assert.match(
      r.stdout,
      /^models\.providers\.dotenv\.apiKey {2}env:default:DOTENV_KEY {2}ok medium hmac:[0-9a-f]{8} {2}\d+ms$/m,
    );
    assert.match(
      r.stdout,
      /^models\.providers\.missing\.apiKey {2}env:default:MISSING_KEY {2}SECRET_REF_NOT_FOUND Environment variable "MISSING_KEY" is missing or empty\. {2}\d+ms$/m,
    );
    assert.match(
      r.stdout,
      /^models\.providers\.slowkey\.apiKey {2}exec:slow:k {2}SECRET_EXEC_SKIPPED .*--allow-exec.*$/m,
    );
    assert.match(r.stdout, /^custom\.elsewhere {2}env:default:ENV_KEY {2}ok /m);
    assert.ok(lines.includes('Resolved 4 of 6 ref(s): 4 ok, 1 unresolved, 1 exec skipped.'), r.stdout);
    assert.ok(
      lines.includes(`Skipped 1 exec SecretRef(s): exec providers run only with --allow-exec (commands: ${f.slow}).`),
      r.stdout,
    );
  } finally {
    f.t.cleanup();
  }
});

test('--json with --allow-exec: the same fields, and which limit fired', async () => {
  const f = stateFixture();
  try {
    const r = await cli(['resolve', '--json', '--allow-exec'], f.env);
    assert.equal(r.code, 2);
    assert.ok(!r.stdout.includes(CANARY));
    const report = JSON.parse(r.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(report.summary, { total: 6, ok: 4, unresolved: 2, skippedExec: 0, uncheckedStore: 0 });
    const slow = report.results.find((x: { refKey: string }) => x.refKey === 'exec:slow:k');
    assert.deepEqual(
      { ...slow, elapsedMs: typeof slow.elapsedMs },
      {
        path: 'models.providers.slowkey.apiKey',
        refKey: 'exec:slow:k',
        ok: false,
        code: 'SECRET_PROVIDER_UNAVAILABLE',
        message: 'Exec provider "slow" timed out after 200ms.',
        elapsedMs: 'number',
        limit: 'timeoutMs',
      },
    );
    const openai = report.results.find((x: { refKey: string }) => x.refKey === 'file:filemain:/openai');
    assert.equal(openai.ok, true);
    assert.equal(openai.lengthClass, 'medium');
    assert.match(openai.fingerprint, /^hmac:[0-9a-f]{8}$/);
  } finally {
    f.t.cleanup();
  }
});

test('exit 0 when all resolve; --config is relative to cwd; a missing config is a usage error', async () => {
  const t = tempDir('ocs-cli-resolve-');
  try {
    writeFileSync(t.file('oc.json'), JSON.stringify({ cron: { webhookToken: '${TALK_KEY}' } }));
    const ok = await cli(['resolve', '--config', 'oc.json'], { TALK_KEY: `${CANARY}-T` }, t.dir);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^cron\.webhookToken {2}env:default:TALK_KEY {2}ok /m);
    const missing = await cli(['resolve', '--config', 'nope.json'], {}, t.dir);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `openclaw-secrets resolve: config not found: ${t.file('nope.json')}\n`);
    writeFileSync(t.file('broken.json'), '{ a: ');
    const broken = await cli(['resolve', '--config', 'broken.json'], {}, t.dir);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken\.json:1:\d+: /);
    const empty = await cli(['resolve', '--config', 'oc.json', '--json'], {}, t.dir);
    assert.equal(empty.code, 2);
  } finally {
    t.cleanup();
  }
});

// The shipped bundle (npm run build), exactly what `npx openclaw-secrets` runs.
function builtCli(): string | undefined {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dist', 'cli.js');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

test('the built CLI runs as a process: node dist/cli.js resolve --json', async () => {
  assert.ok(builtCli(), 'npm run build first: dist/cli.js is missing');
  const f = stateFixture();
  try {
    const child = spawn(process.execPath, [builtCli()!, 'resolve', '--json'], {
      env: f.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2, stderr);
    assert.ok(!(stdout + stderr).includes(CANARY));
    const report = JSON.parse(stdout);
    assert.equal(report.summary.total, 6);
    assert.equal(report.summary.skippedExec, 1);
  } finally {
    f.t.cleanup();
  }
});
