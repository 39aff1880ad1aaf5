// configure and apply never replace a plaintext with a ref that resolves to a different value unless
// --force: the refusal names both fingerprints (never a value); `apply --dry-run --json` keeps OpenClaw's stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';
import { fingerprint } from '../../server/src/engine/runtime/fingerprint';
import { OPENAI_ENV_PLAN } from '../helpers/plans';

const HELD = 'sk-test-CANARY-loss-held-01';
const OTHER = 'sk-test-CANARY-loss-other-01';

async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end('');
  const code = await runCli({
    argv,
    env,
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => false,
    openStdin: () => stdin,
  });
  assert.ok(!stdout.includes('CANARY') && !stderr.includes('CANARY'), 'no secret value in CLI output');
  return { code, stdout, stderr };
}

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-cli-loss-'));
  const config = `{\n  models: { providers: { openai: { apiKey: '${HELD}' } } },\n}\n`;
  writeFileSync(path.join(dir, 'openclaw.json'), config);
  writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(OPENAI_ENV_PLAN));
  return { dir, config, env: { OPENCLAW_STATE_DIR: dir, HOME: dir, OPENAI_API_KEY: OTHER } as NodeJS.ProcessEnv };
}

const refusal = new RegExp(
  `models\\.providers\\.openai\\.apiKey holds ${fingerprint(HELD)} but env:default:OPENAI_API_KEY resolves to ${fingerprint(OTHER)}`,
);

test('configure --apply refuses to replace a plaintext whose env variable holds a different value; --force replaces it', async () => {
  const { dir, config, env } = setup();
  try {
    const map = ['configure', '--map', 'models.providers.openai.apiKey=env:default:OPENAI_API_KEY', '--apply', '--yes'];
    const refused = await cli(map, env, dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, refusal);
    assert.match(refused.stderr, /--force/);
    assert.equal(readFileSync(path.join(dir, 'openclaw.json'), 'utf8'), config, 'the plaintext is still there');
    const forced = await cli([...map, '--force'], env, dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(!readFileSync(path.join(dir, 'openclaw.json'), 'utf8').includes('CANARY'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("apply: the dry-run keeps OpenClaw's stdout and notes the refusal on stderr; the write refuses; --force writes", async () => {
  const { dir, config, env } = setup();
  try {
    const dry = await cli(['apply', '--from', 'plan.json', '--dry-run', '--json'], env, dir);
    assert.equal(dry.code, 0);
    assert.equal(JSON.parse(dry.stdout).changed, true);
    assert.match(dry.stderr, /^Note: a write would be refused\./);
    const write = await cli(['apply', '--from', 'plan.json'], env, dir);
    assert.equal(write.code, 1);
    assert.match(write.stderr, /^Secrets apply failed: Refusing to replace 1 plaintext value\(s\)/);
    assert.match(write.stderr, refusal);
    assert.equal(readFileSync(path.join(dir, 'openclaw.json'), 'utf8'), config);
    const forced = await cli(['apply', '--from', 'plan.json', '--force'], env, dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, 'Secrets applied. Updated 1 file(s).\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
