import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';

const KEY = 'sk-test-CANARY-configure-01';

async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string, opts: { tty?: boolean; input?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  // All answers are queued up front, then EOF: a missing answer shows up as "cancelled", not a hang.
  stdin.end(opts.input ?? '');
  const code = await runCli({
    argv,
    env,
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => opts.tty ?? false,
    openStdin: () => stdin,
  });
  assert.ok(!stdout.includes('CANARY') && !stderr.includes('CANARY'), 'no secret value in CLI output');
  return { code, stdout, stderr };
}

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-cli-configure-'));
  writeFileSync(
    path.join(dir, 'openclaw.json'),
    `{\n  // main config\n  models: { providers: { openai: { apiKey: '${KEY}' } } },\n}\n`,
  );
  return { dir, env: { OPENCLAW_STATE_DIR: dir, HOME: dir, OPENAI_API_KEY: KEY } as NodeJS.ProcessEnv };
}

test('non-interactive: --map + --plan-out writes the plan, preflight lines, no apply', async () => {
  const { dir, env } = setup();
  try {
    const r = await cli(
      ['configure', '--map', 'models.providers.openai.apiKey=env:default:OPENAI_API_KEY', '--plan-out', 'plan.json'],
      env,
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'Preflight: changed=true, files=1, warnings=0.\nPlan: targets=1, providerUpserts=0, providerDeletes=0.\nPlan written to plan.json\n',
    );
    const text = readFileSync(path.join(dir, 'plan.json'), 'utf8');
    assert.ok(text.endsWith('}\n'));
    assert.equal(statSync(path.join(dir, 'plan.json')).mode & 0o777, 0o600);
    const plan = JSON.parse(text);
    assert.deepEqual(plan.targets, [
      {
        type: 'models.providers.apiKey',
        path: 'models.providers.openai.apiKey',
        pathSegments: ['models', 'providers', 'openai', 'apiKey'],
        ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
        providerId: 'openai',
      },
    ]);
    assert.ok(readFileSync(path.join(dir, 'openclaw.json'), 'utf8').includes(KEY), 'nothing applied without --apply');
    // The written plan is what `apply --from` takes.
    const applied = await cli(['apply', '--from', 'plan.json'], env, dir);
    assert.equal(applied.stdout, 'Secrets applied. Updated 1 file(s).\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('non-interactive --apply needs --yes (one-way); with --yes it applies; --json prints the result', async () => {
  const { dir, env } = setup();
  try {
    const map = ['--provider', 'default=env', '--map', 'models.providers.openai.apiKey=env:OPENAI_API_KEY'];
    const refused = await cli(['configure', ...map, '--apply'], env, dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--yes/);
    const done = await cli(['configure', ...map, '--apply', '--yes', '--json'], env, dir);
    assert.equal(done.code, 0, done.stderr);
    const result = JSON.parse(done.stdout);
    assert.equal(result.mode, 'write');
    assert.deepEqual(result.changedFiles, [path.join(dir, 'openclaw.json')]);
    const config = readFileSync(path.join(dir, 'openclaw.json'), 'utf8');
    assert.ok(!config.includes(KEY));
    assert.match(config, /\/\/ main config/);
    const again = await cli(['configure', ...map, '--json'], env, dir);
    assert.equal(JSON.parse(again.stdout).preflight.changed, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('errors: not a TTY, conflicting flags, nothing selected, unresolvable ref, bad --map', async () => {
  const { dir, env } = setup();
  try {
    const noTty = await cli(['configure'], env, dir);
    assert.equal(noTty.code, 1);
    assert.match(noTty.stderr, /secrets configure requires an interactive TTY\./);
    assert.match(
      (await cli(['configure', '--providers-only', '--skip-provider-setup', '--map', 'x=env:Y'], env, dir)).stderr,
      /Cannot combine --providers-only with --skip-provider-setup\./,
    );
    assert.match(
      (await cli(['configure', '--delete-provider', 'nothere'], env, dir)).stderr,
      /No secrets changes were selected\./,
    );
    const unresolved = await cli(
      ['configure', '--map', 'models.providers.openai.apiKey=env:default:MISSING_KEY', '--json'],
      env,
      dir,
    );
    assert.equal(unresolved.code, 1);
    assert.equal(
      JSON.parse(unresolved.stdout).error.message,
      'Environment variable "MISSING_KEY" is missing or empty.',
    );
    const bad = await cli(['configure', '--map', 'models.providers.openai.baseUrl=env:default:X'], env, dir);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TTY flow: add a provider, map a field, confirm twice, applied', async () => {
  const { dir, env } = setup();
  try {
    const answers = [
      'add', // provider setup
      'env', // source
      'keys', // alias
      'OPENAI_API_KEY', // allowlist
      'continue',
      '1', // field: models.providers.openai.apiKey
      'env', // source
      'keys', // alias
      '', // id: accept the suggested OPENAI_API_KEY
      'n', // configure another?
      'y', // apply now?
      'y', // one-way confirmation
    ].join('\n');
    const r = await cli(['configure', '--plan-out', 'plan.json'], env, dir, { tty: true, input: `${answers}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1\) models\.providers\.openai\.apiKey \(plaintext\)/);
    assert.match(r.stdout, /Env var name \[OPENAI_API_KEY\]/);
    assert.match(r.stdout, /Plan: targets=1, providerUpserts=1, providerDeletes=0\./);
    assert.match(r.stdout, /This migration is one-way/);
    assert.match(r.stdout, /Secrets applied\. Updated 1 file\(s\)\./);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8'));
    assert.deepEqual(plan.providerUpserts, { keys: { source: 'env', allowlist: ['OPENAI_API_KEY'] } });
    assert.deepEqual(plan.targets[0].ref, { source: 'env', provider: 'keys', id: 'OPENAI_API_KEY' });
    assert.ok(!readFileSync(path.join(dir, 'openclaw.json'), 'utf8').includes(KEY));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TTY flow: running out of answers cancels without writing', async () => {
  const { dir, env } = setup();
  try {
    const r = await cli(['configure', '--skip-provider-setup', '--plan-out', 'plan.json'], env, dir, {
      tty: true,
      input: '1\n',
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Secrets configure cancelled\./);
    assert.equal(existsSync(path.join(dir, 'plan.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
