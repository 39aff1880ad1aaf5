import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  describeMasked,
  fingerprint,
  fingerprintKeyPath,
  legacyFingerprint,
  lengthClass,
  maskValue,
} from '../../server/src/engine/runtime/fingerprint';
import { analyzeDotEnv, ignoreKeyFor } from '../../server/src/engine/analyze/analyze';

test('masking shows length class and a short keyed fingerprint, never the value', () => {
  const secret = 'sk-test-CANARY-abcdefghijklmnop';
  const m = maskValue(secret);
  assert.deepEqual(m, { type: 'string', lengthClass: 'medium', fingerprint: fingerprint(secret) });
  assert.match(m.fingerprint!, /^hmac:[0-9a-f]{8}$/);
  assert.ok(!JSON.stringify(m).includes('CANARY'));
  assert.ok(!describeMasked(m).includes('CANARY'));
  assert.notEqual(fingerprint('a'), fingerprint('b'));
});

test('length classes', () => {
  assert.equal(lengthClass(''), 'empty');
  assert.equal(lengthClass('x'.repeat(15)), 'short');
  assert.equal(lengthClass('x'.repeat(39)), 'medium');
  assert.equal(lengthClass('x'.repeat(127)), 'long');
  assert.equal(lengthClass('x'.repeat(128)), 'very-long');
  assert.deepEqual(maskValue(3), { type: 'number' });
});

test('the key: made on first use as a 0600 file in a 0700 dir outside the workspace, stable, and keys differ', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-fpkey-'));
  try {
    const home = path.join(dir, 'home');
    const envA = { HOME: home };
    assert.equal(fingerprintKeyPath(envA), path.join(home, '.config/openclaw-secrets/fingerprint.key'));
    assert.equal(
      fingerprintKeyPath({ HOME: home, XDG_CONFIG_HOME: path.join(dir, 'xdg') }),
      path.join(dir, 'xdg/openclaw-secrets/fingerprint.key'),
    );
    const secret = 'sk-test-CANARY-fp-0001';
    const a1 = fingerprint(secret, envA);
    const keyFile = fingerprintKeyPath(envA);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(keyFile)).mode & 0o777, 0o700);
    const hex = readFileSync(keyFile, 'utf8').trim();
    assert.match(hex, /^[0-9a-f]{64}$/);
    // It is the HMAC under that key, not a plain hash (which anyone could recompute from a guess).
    assert.equal(
      a1,
      'hmac:' + crypto.createHmac('sha256', Buffer.from(hex, 'hex')).update(secret).digest('hex').slice(0, 8),
    );
    assert.notEqual(a1.slice(5), legacyFingerprint(secret).slice(7));
    // Stable: another process with the same key file gives the same fingerprint.
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `process.stdout.write(require(${JSON.stringify(require.resolve('../../server/src/engine/runtime/fingerprint'))}).fingerprint(${JSON.stringify(secret)}))`,
      ],
      { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' },
    );
    assert.equal(child.stdout, a1, child.stderr);
    // Another key (the env var points elsewhere) gives another fingerprint.
    const envB = { HOME: home, OPENCLAW_SECRETS_FINGERPRINT_KEY: path.join(dir, 'other.key') };
    assert.notEqual(fingerprint(secret, envB), a1);
    assert.equal(statSync(path.join(dir, 'other.key')).mode & 0o777, 0o600);
    // A key path that is a symlink or not a regular file is never read: a per-process key is used instead.
    mkdirSync(path.join(dir, 'adir'));
    symlinkSync(keyFile, path.join(dir, 'link.key'));
    const viaLink = fingerprint(secret, { OPENCLAW_SECRETS_FINGERPRINT_KEY: path.join(dir, 'link.key') });
    assert.notEqual(viaLink, a1);
    assert.ok(lstatSync(path.join(dir, 'link.key')).isSymbolicLink());
    assert.match(
      fingerprint(secret, { OPENCLAW_SECRETS_FINGERPRINT_KEY: path.join(dir, 'adir') }),
      /^hmac:[0-9a-f]{8}$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ignoredFingerprints entry in the old sha256: format still ignores its finding', () => {
  const value = 'sk-test-CANARY-fp-legacy-0001';
  const text = `OPENAI_API_KEY=${value}\n`;
  assert.equal(analyzeDotEnv(text).length, 1);
  const legacy = `$env.OPENAI_API_KEY ${legacyFingerprint(value)}`;
  assert.match(legacy, / sha256:[0-9a-f]{8}$/);
  assert.equal(analyzeDotEnv(text, { ignored: new Set([legacy]) }).length, 0);
  assert.equal(analyzeDotEnv(text, { ignored: new Set([ignoreKeyFor('$env.OPENAI_API_KEY', value)]) }).length, 0);
  assert.equal(analyzeDotEnv(text, { ignored: new Set(['$env.OPENAI_API_KEY sha256:00000000']) }).length, 1);
});
