// `openclaw-secrets audit` with OpenClaw's schema: "Config is invalid" exactly when 2026.9.6 says so, the
// reason on stderr, and a broken OPENCLAW_SECRETS_SCHEMA named without stopping the audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli as runCliInProcess } from '../helpers/cli';

const cli = (argv: string[], env: NodeJS.ProcessEnv) => runCliInProcess(argv, env, { cwd: os.tmpdir() });

function state(config: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-cli-schema-'));
  const stateDir = path.join(home, '.openclaw');
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'openclaw.json'), config);
  return {
    home,
    env: { HOME: home, OPENCLAW_STATE_DIR: stateDir } as NodeJS.ProcessEnv,
    dispose: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}

for (const [what, config, why] of [
  [
    'an unknown key',
    '{ channels: { telegram: { someUnknownKey: 1 } } }',
    'why: channels.telegram.someUnknownKey: Unknown key "someUnknownKey": OpenClaw\'s schema does not allow it here.',
  ],
  [
    'a bad enum',
    '{ gateway: { auth: { mode: "bogus" } } }',
    'why: gateway.auth.mode: Invalid value (allowed: "none", "token", "password", "trusted-proxy").',
  ],
  [
    'several talk providers without talk.provider',
    '{ talk: { providers: { a: {}, b: {} } } }',
    'why: talk: talk.provider is required when talk.providers defines multiple providers.',
  ],
] as const) {
  test(`${what}: "Config is invalid" at <root>, exit 2, and the reason on stderr`, async () => {
    const s = state(config);
    try {
      const r = await cli(['audit', '--json'], s.env);
      assert.equal(r.code, 2);
      const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; jsonPath: string; message: string }> };
      assert.deepEqual(
        report.findings.map((f) => [f.code, f.jsonPath, f.message]),
        [['REF_UNRESOLVED', '<root>', 'Config is invalid; cannot validate secret references reliably.']],
      );
      assert.equal(r.stderr, `${why}\n`);
    } finally {
      s.dispose();
    }
  });
}

test('a 2026.9 config with secrets.egressProxy is audited, not called invalid', async () => {
  const s = state('{ secrets: { egressProxy: { enabled: true, allowedHosts: ["api.example.com"] } } }');
  try {
    const r = await cli(['audit', '--json'], s.env);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).status, 'clean');
    assert.equal(r.stderr, '');
  } finally {
    s.dispose();
  }
});

test('OPENCLAW_SECRETS_SCHEMA that is corrupt: a warning naming it, then the audit with the bundled schema', async () => {
  const s = state('{ channels: { telegram: { someUnknownKey: 1 } } }');
  const bad = path.join(s.home, 'schema.json.gz');
  fs.writeFileSync(bad, 'not gzip at all');
  try {
    const r = await cli(['audit', '--json'], { ...s.env, OPENCLAW_SECRETS_SCHEMA: bad });
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(
      lines[0],
      `warning: Schema file from OPENCLAW_SECRETS_SCHEMA: ${bad} is not JSON; using OpenClaw 2026.9.6 schema, bundled snapshot`,
    );
    assert.ok(!r.stderr.includes('gzip at all'), "the file's content is never quoted");
    assert.equal(
      lines[1],
      'why: channels.telegram.someUnknownKey: Unknown key "someUnknownKey": OpenClaw\'s schema does not allow it here.',
    );
  } finally {
    s.dispose();
  }
});
