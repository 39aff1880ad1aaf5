// Moving a plaintext into pass (password-store) with a throwaway GnuPG home (Debian's pass and gnupg):
// stored with `pass insert --multiline` on stdin, read back through the generated wrapper by our exec
// resolver, then applied; the real `openclaw secrets audit --allow-exec --json` runs the wrapper and finds
// no plaintext. Failures (pass absent, store not initialised, a passphrase-protected key the wrapper cannot
// unlock) leave openclaw.json byte-identical and name the step.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backendSandbox,
  modelProvider,
  moveRefusal as refusal,
  oracleAudit,
  type BackendSandbox,
} from '../helpers/backendSandbox';
import { makePassStore, type PassStore } from './wrapperKit';
import { moveToBackend } from '../../server/src/engine/backends/moveToBackend';
import { backendById } from '../../server/src/engine/backends/backendRegistry';

const OPENAI_KEY = 'sk-test-CANARY-move-pass-openai-1';
const GROQ_KEY = 'sk-test-CANARY-move-pass-groq-2';
const OPENAI_PATH = ['models', 'providers', 'openai', 'apiKey'];
const GROQ_PATH = ['models', 'providers', 'groq', 'apiKey'];
const pass = () => backendById('pass')!;

function config() {
  return {
    models: {
      mode: 'merge',
      providers: { openai: modelProvider(OPENAI_KEY), groq: modelProvider(GROQ_KEY, 'https://api.groq.example/v1') },
    },
  };
}

describe('move to pass (password-store)', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  let store: PassStore;
  before(() => {
    sbx = backendSandbox('ocs-move-pass-');
    store = makePassStore(sbx.home);
  });
  after(() => {
    store?.stop();
    sbx?.dispose();
  });

  it('password store missing: refused at "probe" (pass init)', async () => {
    const before = sbx.writeConfig(config());
    const err = await refusal(
      moveToBackend({
        backend: pass(),
        location: sbx.location,
        env: { ...sbx.env, PASSWORD_STORE_DIR: path.join(sbx.root, 'no-store') },
        fields: [{ path: OPENAI_PATH }],
      }),
    );
    assert.equal(err.step, 'probe');
    assert.match(err.message, /is not initialised \(run: pass init/);
    assert.equal(sbx.readConfig(), before);
  });

  it('a passphrase-protected key the wrapper cannot unlock: refused at "verify", config untouched', async () => {
    // A second GnuPG home whose key has a passphrase: pass can encrypt, nothing can decrypt unattended.
    const gnupg = path.join(sbx.root, 'locked-gnupg');
    const storeDir = path.join(sbx.root, 'locked-store');
    fs.mkdirSync(gnupg, { mode: 0o700 });
    // No way to ask for the passphrase unattended (a pinentry that always fails): decryption is refused at once.
    fs.writeFileSync(path.join(gnupg, 'gpg-agent.conf'), 'pinentry-program /bin/false\nallow-loopback-pinentry\n');
    const env = { ...sbx.env, GNUPGHOME: gnupg, PASSWORD_STORE_DIR: storeDir };
    const gpgEnv = { PATH: '/usr/bin:/bin', HOME: sbx.home, GNUPGHOME: gnupg };
    try {
      execFileSync(
        '/usr/bin/gpg',
        [
          '--batch',
          '--pinentry-mode',
          'loopback',
          '--passphrase',
          'ocs-right-passphrase',
          '--quick-gen-key',
          'Locked <l@example.invalid>',
          'default',
          'default',
          'never',
        ],
        { env: gpgEnv, stdio: 'ignore' },
      );
      const fpr = /^fpr:+([0-9A-F]+):/m.exec(
        execFileSync('/usr/bin/gpg', ['--list-keys', '--with-colons'], { env: gpgEnv }).toString('utf8'),
      )?.[1];
      execFileSync('/usr/bin/pass', ['init', fpr!], {
        env: { ...gpgEnv, PASSWORD_STORE_DIR: storeDir },
        stdio: 'ignore',
      });
      const before = sbx.writeConfig(config());
      const err = await refusal(
        moveToBackend({
          backend: pass(),
          location: sbx.location,
          env,
          fields: [{ path: GROQ_PATH }],
          timeoutMs: 20_000,
        }),
      );
      assert.equal(err.step, 'verify', err.message);
      assert.match(
        err.message,
        /was stored but reading it back through exec:pass:openclaw\/models\/providers\/groq\/apiKey failed/,
      );
      assert.equal(sbx.readConfig(), before);
    } finally {
      execFileSync('/usr/bin/gpgconf', ['--kill', 'gpg-agent'], { env: gpgEnv, stdio: 'ignore' });
    }
  });

  it('moves the value into pass; the provider and wrapper are declared; the real audit resolves it', async () => {
    sbx.writeConfig(config());
    const result = await moveToBackend({
      backend: pass(),
      location: sbx.location,
      env: sbx.env,
      fields: [{ path: OPENAI_PATH }],
    });
    assert.equal(JSON.stringify(result).includes('CANARY'), false);
    assert.deepEqual(
      result.moved.map((m) => [m.path, m.refKey, m.stored]),
      [['models.providers.openai.apiKey', 'exec:pass:openclaw/models/providers/openai/apiKey', 'stored']],
    );
    assert.equal(result.provider, 'pass');
    const written = JSON.parse(sbx.readConfig()) as {
      secrets: { providers: Record<string, { source: string; command: string; trustedDirs: string[] }> };
      models: { providers: Record<string, { apiKey: unknown }> };
    };
    assert.deepEqual(written.models.providers.openai.apiKey, {
      source: 'exec',
      provider: 'pass',
      id: 'openclaw/models/providers/openai/apiKey',
    });
    const provider = written.secrets.providers.pass;
    assert.equal(provider.source, 'exec');
    assert.equal(fs.statSync(provider.command).mode & 0o777, 0o700);
    assert.deepEqual(provider.trustedDirs, [path.dirname(provider.command)]);
    // The store holds exactly the value (pass's own CLI, in memory here).
    const shown = execFileSync('/usr/bin/pass', ['show', 'openclaw/models/providers/openai/apiKey'], {
      env: store.env,
    });
    assert.equal(shown.toString('utf8'), OPENAI_KEY);

    const audit = await oracleAudit(sbx);
    assert.ok(audit.report, `openclaw secrets audit printed no JSON: ${audit.stderr.slice(0, 300)}`);
    assert.equal(audit.report.summary.unresolvedRefCount, 0, JSON.stringify(audit.report.findings));
    assert.deepEqual(
      audit.report.findings.filter((f) => f.code === 'PLAINTEXT_FOUND').map((f) => f.jsonPath),
      ['models.providers.groq.apiKey'],
    );
    assert.ok(!audit.stdout.includes('CANARY') && !audit.stderr.includes('CANARY'));
  });
});
