// Moving a plaintext into the system keyring through the Secret Service (Debian's gnome-keyring on a
// private D-Bus session, `secret-tool store` with the value on stdin), read back through the generated
// wrapper, applied, then resolved by the real `openclaw secrets audit --allow-exec --json`. A locked
// collection (no prompt can be shown) and a missing session bus are refused with the step named.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  backendSandbox,
  modelProvider,
  moveRefusal as refusal,
  oracleAudit,
  type BackendSandbox,
} from '../helpers/backendSandbox';
import { startSecretService, type SecretService } from './wrapperKit';
import { moveToBackend } from '../../server/src/engine/backends/moveToBackend';
import { backendById } from '../../server/src/engine/backends/backendRegistry';

const OPENAI_KEY = 'sk-test-CANARY-move-keyring-openai-1';
const GROQ_KEY = 'sk-test-CANARY-move-keyring-groq-2';
const OPENAI_PATH = ['models', 'providers', 'openai', 'apiKey'];
const GROQ_PATH = ['models', 'providers', 'groq', 'apiKey'];
const keyring = () => backendById('secret-tool')!;

function config() {
  return {
    models: {
      mode: 'merge',
      providers: { openai: modelProvider(OPENAI_KEY), groq: modelProvider(GROQ_KEY, 'https://api.groq.example/v1') },
    },
  };
}

describe('move to the system keyring (Secret Service)', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  let service: SecretService;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    sbx = backendSandbox('ocs-move-keyring-');
    service = await startSecretService(path.join(sbx.root, 'keyring'));
    env = {
      ...sbx.env,
      DBUS_SESSION_BUS_ADDRESS: service.env.DBUS_SESSION_BUS_ADDRESS,
      XDG_RUNTIME_DIR: service.env.XDG_RUNTIME_DIR,
    };
  });
  after(async () => {
    await service?.stop();
    sbx?.dispose();
  });

  it('no session bus: refused at "probe"', async () => {
    const before = sbx.writeConfig(config());
    const err = await refusal(
      moveToBackend({ backend: keyring(), location: sbx.location, env: sbx.env, fields: [{ path: OPENAI_PATH }] }),
    );
    assert.equal(err.step, 'probe');
    assert.match(err.message, /DBUS_SESSION_BUS_ADDRESS is unset/);
    assert.equal(sbx.readConfig(), before);
  });

  it('moves the value into the keyring; the real audit resolves it through the wrapper', async () => {
    sbx.writeConfig(config());
    const result = await moveToBackend({
      backend: keyring(),
      location: sbx.location,
      env,
      fields: [{ path: OPENAI_PATH }],
    });
    assert.equal(JSON.stringify(result).includes('CANARY'), false);
    assert.deepEqual(
      result.moved.map((m) => [m.refKey, m.stored]),
      [['exec:keyring:openclaw/models/providers/openai/apiKey', 'stored']],
    );
    const written = JSON.parse(sbx.readConfig()) as { models: { providers: Record<string, { apiKey: unknown }> } };
    assert.deepEqual(written.models.providers.openai.apiKey, {
      source: 'exec',
      provider: 'keyring',
      id: 'openclaw/models/providers/openai/apiKey',
    });
    const audit = await oracleAudit({ ...sbx, env });
    assert.ok(audit.report, `openclaw secrets audit printed no JSON: ${audit.stderr.slice(0, 300)}`);
    assert.equal(audit.report.summary.unresolvedRefCount, 0, JSON.stringify(audit.report.findings));
    assert.deepEqual(
      audit.report.findings.filter((f) => f.code === 'PLAINTEXT_FOUND').map((f) => f.jsonPath),
      ['models.providers.groq.apiKey'],
    );
  });

  it('a locked collection: refused at "store" with secret-tool\'s reason; config untouched', async () => {
    // Debian's `secret-tool lock` crashes here; the Secret Service's own Lock call does the same thing.
    execFileSync(
      '/usr/bin/dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/collection/login',
      ],
      { env: service.env, stdio: 'ignore' },
    );
    const before = sbx.writeConfig(config());
    const err = await refusal(
      moveToBackend({
        backend: keyring(),
        location: sbx.location,
        env,
        fields: [{ path: GROQ_PATH }],
        timeoutMs: 15_000,
      }),
    );
    assert.equal(err.step, 'store', err.message);
    assert.match(err.message, /secret-tool exited with code 1: .*Cannot create an item in a locked collection/);
    assert.equal(sbx.readConfig(), before);
  });
});
