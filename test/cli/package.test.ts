// The npm package `openclaw-secrets` (packages/cli): packed with the real npm, installed from the tarball into an
// empty project with --omit=dev --offline (so it can have no dependencies), and run through npx on a temp config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packAndInstall, REPO, run, type PackedCli } from './packedCli';
import { fingerprint, FINGERPRINT_KEY_ENV } from '../../server/src/engine/runtime/fingerprint';
import { OPENAI_ENV_PLAN } from '../helpers/plans';

const PLAIN = 'sk-test-CANARY-pack-plain-000000000001';
const REF_VALUE = 'sk-test-CANARY-pack-ref-000000000002';

// The child CLI fingerprints under the key its env names; the test computes with the same key.
function sha8(value: string, keyFile: string): string {
  return fingerprint(value, { [FINGERPRINT_KEY_ENV]: keyFile });
}

test('packages/cli packs to a small dependency-free tarball that installs offline and runs through npx', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-pack-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const packed: PackedCli = packAndInstall(root);

  await t.test(
    'the tarball holds the bundle, the schema snapshot, README, LICENSE and package.json only, under 400 KB',
    () => {
      assert.deepEqual(packed.files, [
        'LICENSE',
        'README.md',
        'cli-payload.js',
        'cli.js',
        'package.json',
        'schemas/openclaw-config-2026.9.6.schema.json.br',
      ]);
      assert.ok(packed.size < 400 * 1024, `tarball is ${packed.size} bytes`);
      const manifest = JSON.parse(
        fs.readFileSync(path.join(packed.project, 'node_modules', 'openclaw-secrets', 'package.json'), 'utf8'),
      );
      assert.equal(manifest.dependencies, undefined, 'no runtime dependencies: the bundle holds them');
      assert.equal(manifest.private, undefined);
      assert.deepEqual(manifest.bin, { 'openclaw-secrets': 'cli.js' });
      assert.equal(manifest.engines.node, '>=20.5');
      assert.equal(manifest.license, 'MIT');
      assert.equal(manifest.version, JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
      const lock = JSON.parse(fs.readFileSync(path.join(packed.project, 'package-lock.json'), 'utf8'));
      assert.deepEqual(
        Object.keys(lock.packages).sort(),
        ['', 'node_modules/openclaw-secrets'],
        'nothing else was installed',
      );
      const cli = fs.readFileSync(path.join(packed.project, 'node_modules', 'openclaw-secrets', 'cli.js'), 'utf8');
      assert.ok(cli.startsWith('#!/usr/bin/env node\n'));
      assert.ok(!cli.includes('sourceMappingURL'), 'no pointer to a source map that is not shipped');
    },
  );

  const state = path.join(root, 'state');
  fs.mkdirSync(state);
  const config = JSON.stringify(
    {
      models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: PLAIN } } },
      gateway: { auth: { mode: 'token', token: { source: 'env', provider: 'default', id: 'OCS_PACK_TOKEN' } } },
    },
    null,
    2,
  );
  fs.writeFileSync(path.join(state, 'openclaw.json'), config);
  const keyFile = path.join(root, 'fingerprint.key');
  const env = {
    ...packed.npmEnv,
    OPENCLAW_STATE_DIR: state,
    OCS_PACK_TOKEN: REF_VALUE,
    OPENAI_API_KEY: PLAIN,
    [FINGERPRINT_KEY_ENV]: keyFile,
  };
  // --no: npx must use the installed bin and never fetch one.
  const npx = (...args: string[]) => {
    const r = run('npx', ['--no', '--', 'openclaw-secrets', ...args], packed.project, env);
    assert.ok(!r.stdout.includes('CANARY') && !r.stderr.includes('CANARY'), 'no value in the output');
    return r;
  };

  await t.test('npx openclaw-secrets --version and audit: the plaintext key, exit 1 with --check', () => {
    assert.equal(npx('--version').stdout.trim(), packed.tarball.match(/-(\d+\.\d+\.\d+)\.tgz$/)![1]);
    const audit = npx('audit');
    assert.equal(audit.status, 0, audit.stderr);
    assert.doesNotMatch(audit.stderr, /snapshot|schema/i, 'the installed CLI finds its OpenClaw schema snapshot');
    assert.equal(
      audit.stdout.split('\n')[0],
      'Secrets audit: findings. plaintext=1, unresolved=0, shadowed=0, storeResidue=0, legacy=0.',
    );
    assert.match(audit.stdout, /\[PLAINTEXT_FOUND\] .*openclaw\.json:models\.providers\.openai\.apiKey /);
    assert.equal(npx('audit', '--check').status, 1);
    const json = JSON.parse(npx('audit', '--json').stdout);
    assert.equal(json.summary.plaintextCount, 1);
  });

  await t.test('npx openclaw-secrets resolve: the ref resolves, shown by its fingerprint', () => {
    const r = npx('resolve');
    assert.equal(r.status, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.startsWith('gateway.auth.token'));
    assert.ok(line, r.stdout);
    assert.match(line, /env:default:OCS_PACK_TOKEN/);
    assert.ok(line.includes(`ok medium ${sha8(REF_VALUE, keyFile)}`), line);
  });

  await t.test('npx openclaw-secrets apply --dry-run: the plan would change the config, nothing is written', () => {
    const plan = path.join(root, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify(OPENAI_ENV_PLAN));
    const r = npx('apply', '--from', plan, '--dry-run', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.mode, 'dry-run');
    assert.deepEqual(out.changedFiles, [path.join(state, 'openclaw.json')]);
    assert.deepEqual(out.checks, { resolvability: true, resolvabilityComplete: true });
    assert.equal(fs.readFileSync(path.join(state, 'openclaw.json'), 'utf8'), config, 'a dry run writes nothing');
  });
});
