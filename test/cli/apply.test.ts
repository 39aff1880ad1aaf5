import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';
import { OPENAI_ENV_PLAN } from '../helpers/plans';

const KEY = 'sk-test-CANARY-cli-apply-01';

async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv,
    env,
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => false,
    openStdin: () => new PassThrough(),
  });
  assert.ok(!stdout.includes('CANARY') && !stderr.includes('CANARY'), 'no secret value in CLI output');
  return { code, stdout, stderr };
}

function setup(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-cli-apply-'));
  writeFileSync(
    path.join(dir, 'openclaw.json'),
    JSON.stringify(
      { models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: KEY } } } },
      null,
      2,
    ),
  );
  writeFileSync(path.join(dir, '.env'), `OPENAI_API_KEY=${KEY}\nOTHER_VAR=keepme\n`);
  writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(OPENAI_ENV_PLAN));
  return { dir, env: { OPENCLAW_STATE_DIR: dir, HOME: dir, OPENAI_API_KEY: KEY } };
}

test('apply --dry-run --json prints the 9.6 shape; text mode says how many files would change', async () => {
  const { dir, env } = setup();
  try {
    const json = await cli(['apply', '--from', 'plan.json', '--dry-run', '--json'], env, dir);
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), {
      mode: 'dry-run',
      changed: true,
      changedFiles: [path.join(dir, '.env'), path.join(dir, 'openclaw.json')],
      checks: { resolvability: true, resolvabilityComplete: true },
      refsChecked: 1,
      skippedExecRefs: 0,
      warningCount: 0,
      warnings: [],
    });
    const text = await cli(['apply', '--from', 'plan.json', '--dry-run'], env, dir);
    assert.equal(text.stdout, 'Secrets apply dry run: 2 file(s) would change.\n');
    const write = await cli(['apply', '--from', path.join(dir, 'plan.json')], env, dir);
    assert.equal(write.stdout, 'Secrets applied. Updated 2 file(s).\n');
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), 'OTHER_VAR=keepme\n');
    assert.deepEqual(readdirSync(dir).sort(), ['.env', 'openclaw.json', 'plan.json']);
    assert.equal((await cli(['apply', '--from', 'plan.json'], env, dir)).stdout, 'Secrets apply: no changes.\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid plan: OpenClaw JSON error and exit 1; text mode adds our reason on a second line', async () => {
  const { dir, env } = setup();
  try {
    writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({
        version: 1,
        protocolVersion: 1,
        targets: [
          {
            type: 'models.providers.apiKey',
            path: 'models.providers.openai.baseUrl',
            ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
          },
        ],
      }),
    );
    const json = await cli(['apply', '--from', 'bad.json', '--dry-run', '--json'], env, dir);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      error: {
        type: 'cli_error',
        message:
          'Invalid secrets plan file: bad.json. Generate a fresh plan with openclaw secrets configure --plan-out <path>.',
      },
    });
    const text = await cli(['apply', '--from', 'bad.json', '--dry-run'], env, dir);
    assert.equal(text.code, 1);
    const lines = text.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^Secrets apply failed: Invalid secrets plan file: bad\.json\./);
    assert.match(lines[1], /^Reason: targets\[0\]: path "models\.providers\.openai\.baseUrl" does not match/);
    const missing = await cli(['apply', '--from', 'nope.json', '--json'], env, dir);
    assert.equal(JSON.parse(missing.stdout).error.message, 'Secrets plan file not found: nope.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flags: one line, exit 1, no stack; --help exits 0', async () => {
  const { dir, env } = setup();
  try {
    const noFrom = await cli(['apply', '--dry-run'], env, dir);
    assert.equal(noFrom.code, 1);
    assert.equal(noFrom.stderr.trim().split('\n').length, 1);
    assert.match(noFrom.stderr, /--from <path>/);
    const unknown = await cli(['apply', '--from', 'plan.json', '--frobnicate'], env, dir);
    assert.equal(unknown.code, 1);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);
    const help = await cli(['apply', '--help'], env, dir);
    assert.equal(help.code, 0);
    for (const flag of ['--allow-exec', '--dry-run', '--from <path>', '--json'])
      assert.ok(help.stdout.includes(flag), flag);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec plan without --allow-exec: write refused with OpenClaw message', async () => {
  const { dir, env } = setup();
  try {
    writeFileSync(
      path.join(dir, 'exec.json'),
      JSON.stringify({
        version: 1,
        protocolVersion: 1,
        providerUpserts: { vault: { source: 'exec', command: path.join(dir, 'resolver.sh') } },
        targets: [
          {
            type: 'models.providers.apiKey',
            path: 'models.providers.openai.apiKey',
            ref: { source: 'exec', provider: 'vault', id: 'openai/apiKey' },
          },
        ],
      }),
    );
    const r = await cli(['apply', '--from', 'exec.json', '--json'], env, dir);
    assert.equal(r.code, 1);
    assert.equal(
      JSON.parse(r.stdout).error.message,
      'Plan contains exec SecretRefs/providers. Re-run with --allow-exec.',
    );
    const dry = await cli(['apply', '--from', 'exec.json', '--dry-run'], env, dir);
    assert.equal(
      dry.stdout,
      'Secrets apply dry run: 2 file(s) would change.\nSecrets apply dry-run note: skipped 1 exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during dry-run.\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
