// `openclaw-secrets audit FILE...` (what the pre-commit hook runs): each named file checked on its own, positions
// and fingerprints printed, never a value; exit codes with --check and --severity-min; only regular files read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';
import { fileKind } from '../../server/src/cli/commands/auditFiles';
import { fingerprint } from '../../server/src/engine/runtime/fingerprint';

const KEY = 'sk-test-CANARY-files-000000000000000001';

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  // An empty env: file mode must not look for a config through OPENCLAW_* or HOME.
  const code = await runCli({
    argv,
    env: {},
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => false,
    openStdin: () => new PassThrough(),
  });
  assert.ok(!stdout.includes('CANARY') && !stderr.includes('CANARY'), 'no value in the output');
  return { code, stdout, stderr };
}

// The CLI runs in this process, so it fingerprints under this process's key.
function sha8(value: string): string {
  return fingerprint(value);
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-audit-files-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a plaintext key: file:line:col, code, path and fingerprint; exit 1 with --check, 0 without', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(
    path.join(dir, 'openclaw.json'),
    `{\n  // JSON5 is fine\n  models: { providers: { openai: { apiKey: "${KEY}" } } },\n}\n`,
  );
  const r = await cli(['audit', '--check', 'openclaw.json'], dir);
  assert.equal(r.code, 1);
  assert.equal(
    r.stdout,
    'Secrets audit: findings. 1 finding(s) in 1 file(s).\n' +
      `openclaw.json:3:44: warning [PLAINTEXT_FOUND] models.providers.openai.apiKey is stored as plaintext. It looks like an OpenAI API key. Convert it to a SecretRef so the value lives in a provider. (fingerprint models.providers.openai.apiKey ${sha8(KEY)})\n`,
  );
  assert.equal((await cli(['audit', 'openclaw.json'], dir)).code, 0);
  assert.equal(
    (await cli(['audit', '--check', '--severity-min', 'error', 'openclaw.json'], dir)).code,
    0,
    'a warning is below the error floor',
  );
  const json = JSON.parse((await cli(['audit', '--json', path.join(dir, 'openclaw.json')], dir)).stdout);
  assert.equal(json.status, 'findings');
  assert.deepEqual(
    json.findings.map((f: { code: string; line: number; fingerprint: string }) => [f.code, f.line, f.fingerprint]),
    [['PLAINTEXT_FOUND', 3, sha8(KEY)]],
  );
});

test('refs are not resolved in file mode: an env ref to an unset variable passes --check', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(
    path.join(dir, 'openclaw.json'),
    JSON.stringify({
      models: { providers: { openai: { apiKey: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' } } } },
    }),
  );
  const r = await cli(['audit', '--check', 'openclaw.json'], dir);
  assert.equal(r.code, 0, r.stdout);
  assert.equal(r.stdout, 'Secrets audit: clean. 0 finding(s) in 1 file(s).\n');
});

test('.env and auth-profiles.json files: their plaintext keys, with the secrets block of the openclaw.json above', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, '.env'), `LOG_LEVEL=debug\nOPENAI_API_KEY=${KEY}\n`);
  const agent = path.join(dir, 'agents', 'main', 'agent');
  fs.mkdirSync(agent, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'openclaw.json'),
    JSON.stringify({ secrets: { providers: { vault: { source: 'file', path: '/run/secrets.json' } } } }),
  );
  fs.writeFileSync(
    path.join(agent, 'auth-profiles.json'),
    JSON.stringify(
      {
        version: 1,
        profiles: {
          'openai:default': { type: 'api_key', provider: 'openai', key: KEY },
          'anthropic:default': {
            type: 'api_key',
            provider: 'anthropic',
            keyRef: { source: 'file', provider: 'vault', id: '/anthropic' },
          },
        },
      },
      null,
      2,
    ),
  );
  const r = await cli(['audit', '--check', '.env', 'agents/main/agent/auth-profiles.json'], dir);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'Secrets audit: findings. 2 finding(s) in 2 file(s).');
  assert.match(
    lines[1],
    new RegExp(
      `^\\.env:2:16: warning \\[DOTENV_PLAINTEXT\\] .*\\(fingerprint \\$env\\.OPENAI_API_KEY ${sha8(KEY)}\\)$`,
    ),
  );
  assert.match(
    lines[2],
    new RegExp(
      `^agents/main/agent/auth-profiles\\.json:\\d+:\\d+: warning \\[AUTH_PROFILE_PLAINTEXT\\] .*${sha8(KEY)}\\)$`,
    ),
  );
  assert.equal(lines.length, 3, 'the keyRef to the declared provider is fine');
});

test('what is not a regular file, or is missing, is an error (exit 2); SARIF needs the whole config', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'openclaw.json'));
  const notFile = await cli(['audit', '--check', 'openclaw.json'], dir);
  assert.equal(notFile.code, 2);
  assert.match(notFile.stderr, /openclaw\.json is not a regular file/);
  const missing = await cli(['audit', 'nope/openclaw.json'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*nope\/openclaw\.json: ENOENT/);
  const sarif = await cli(['audit', '--format', 'sarif', '.env'], dir);
  assert.equal(sarif.code, 1);
  assert.match(sarif.stderr, /--format sarif audits the whole config/);
});

test('which files are which kind', () => {
  assert.equal(fileKind('a/.env'), 'dotenv');
  assert.equal(fileKind('.env.local'), 'dotenv');
  assert.equal(fileKind('a/agents/main/agent/auth-profiles.json'), 'auth-profiles');
  assert.equal(fileKind('openclaw.json'), 'config');
  assert.equal(fileKind('openclaw.json5'), 'config');
});
