// `openclaw-secrets audit` through the real dispatcher and, once, as a child process: formats, flags, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli as runCliInProcess } from '../helpers/cli';

const cli = (argv: string[], env: NodeJS.ProcessEnv) => runCliInProcess(argv, env, { cwd: os.tmpdir() });

function state(config: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-cli-audit-'));
  const stateDir = path.join(home, '.openclaw');
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'openclaw.json'), config);
  const env = { HOME: home, OPENCLAW_STATE_DIR: stateDir, PATH: process.env.PATH };
  return { home, stateDir, env, dispose: () => fs.rmSync(home, { recursive: true, force: true }) };
}

test('clean config: exit 0, text summary line, --check still 0', async () => {
  const s = state('{ "gateway": { "auth": { "mode": "token", "token": "${GW}" } } }');
  try {
    const r = await cli(['audit'], { ...s.env, GW: 'sk-test-CANARY-GW' });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Secrets audit: clean. plaintext=0, unresolved=0, shadowed=0, storeResidue=0, legacy=0.\n');
    assert.equal((await cli(['audit', '--check'], { ...s.env, GW: 'x' })).code, 0);
  } finally {
    s.dispose();
  }
});

test('plaintext: exit 0 without --check, 1 with it, 0 with --severity-min error; JSON and SARIF formats', async () => {
  const s = state('{ "gateway": { "auth": { "mode": "token", "token": "sk-test-CANARY-GW" } } }');
  try {
    assert.equal((await cli(['audit'], s.env)).code, 0);
    assert.equal((await cli(['audit', '--check'], s.env)).code, 1);
    assert.equal((await cli(['audit', '--check', '--severity-min', 'error'], s.env)).code, 0);
    const json = await cli(['audit', '--json'], s.env);
    const report = JSON.parse(json.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(
      report.findings.map((f: { code: string; jsonPath: string }) => [f.code, f.jsonPath]),
      [['PLAINTEXT_FOUND', 'gateway.auth.token']],
    );
    const sarif = JSON.parse((await cli(['audit', '--format', 'sarif'], s.env)).stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results[0].ruleId, 'PLAINTEXT_FOUND');
    for (const out of [json.stdout, JSON.stringify(sarif)]) assert.ok(!out.includes('CANARY'));
  } finally {
    s.dispose();
  }
});

test('bad flags are one-line errors with exit 1', async () => {
  const s = state('{}');
  try {
    const r = await cli(['audit', '--format', 'xml'], s.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--format must be text, json or sarif/);
    assert.equal((await cli(['audit', '--severity-min', 'loud'], s.env)).code, 1);
    assert.equal((await cli(['audit', '--bogus'], s.env)).code, 1);
  } finally {
    s.dispose();
  }
});

test('the built CLI exits 2 on an unresolved ref and 2 on an invalid config, as a real process', () => {
  const main = path.resolve(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
  const s = state(
    '{ "models": { "providers": { "p": { "apiKey": { "source": "env", "provider": "default", "id": "NOPE_KEY" } } } } }',
  );
  try {
    const r = spawnSync(process.execPath, [main, 'audit', '--json'], { env: s.env, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(
      JSON.parse(r.stdout).findings[0].message,
      'Failed to resolve env:default:NOPE_KEY (Environment variable "NOPE_KEY" is missing or empty.).',
    );
    fs.writeFileSync(path.join(s.stateDir, 'openclaw.json'), '{ "secrets": { "resolution": {} } }');
    const invalid = spawnSync(process.execPath, [main, 'audit'], { env: s.env, encoding: 'utf8' });
    assert.equal(invalid.status, 2);
    assert.match(invalid.stdout, /:<root> Config is invalid; cannot validate secret references reliably\.\n$/);
  } finally {
    s.dispose();
  }
});

test('a reader that closes early (audit --json | head) ends the CLI quietly with its exit code, no EPIPE stack', async () => {
  const main = path.resolve(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
  const s = state('{ "gateway": { "auth": { "mode": "token", "token": "sk-test-CANARY-GW" } } }');
  try {
    const child = spawn(process.execPath, [main, 'audit', '--json'], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Our end of its stdout is closed before it writes: its first write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(stderr, '');
    assert.equal(code, 0);
  } finally {
    s.dispose();
  }
});

test("an invalid config: stdout is OpenClaw's <root> report, stderr says where and why", async () => {
  const syntax = state('{\n  "models": { "providers": ,\n}\n');
  try {
    const r = await cli(['audit', '--json'], syntax.env);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).findings[0].jsonPath, '<root>');
    assert.equal(
      r.stderr,
      `why: ${path.join(syntax.stateDir, 'openclaw.json')}:2:28: Unexpected token Comma found. (OpenClaw reads it as JSON5)\n`,
    );
  } finally {
    syntax.dispose();
  }
  const schema = state(
    '{ "secrets": { "providers": { "rel": { "source": "exec", "command": "bin/x" } } }, "gateway": { "auth": { "token": { "source": "env", "provider": "default", "id": "lower" } } } }',
  );
  try {
    const r = await cli(['audit'], schema.env);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'why: secrets.providers.rel.command: secrets.providers.*.command must be an absolute path.',
      'why: gateway.auth.token.id: Env secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (example: "OPENAI_API_KEY").',
    ]);
  } finally {
    schema.dispose();
  }
});
