// Which gateway and which credential, by OpenClaw's documented precedence (checked with the real 2026.9.6
// CLI where it runs offline: a config token wins over OPENCLAW_GATEWAY_TOKEN in local mode; a --url never
// reuses config or env credentials). A SecretRef credential resolves through our own providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_GATEWAY_PORT,
  GatewayTargetError,
  resolveGatewayTarget,
} from '../../server/src/engine/gateway/gatewayTarget';

const ctx = (config: unknown, env: NodeJS.ProcessEnv = {}, allowExec = false) => ({
  config,
  configPath: '/cfg/openclaw.json',
  env,
  allowExec,
});
const CONFIG_TOKEN = 'gw-test-CANARY-config-token';
const ENV_TOKEN = 'gw-test-CANARY-env-token';

test('local mode: loopback on --port > OPENCLAW_GATEWAY_PORT > gateway.port > 18789; wss with gateway.tls.enabled', async () => {
  const config = { gateway: { mode: 'local', port: 20001, auth: { mode: 'token', token: CONFIG_TOKEN } } };
  assert.equal(
    (await resolveGatewayTarget({}, ctx({ gateway: { auth: { token: CONFIG_TOKEN } } }))).url,
    `ws://127.0.0.1:${DEFAULT_GATEWAY_PORT}`,
  );
  assert.equal((await resolveGatewayTarget({}, ctx(config))).url, 'ws://127.0.0.1:20001');
  assert.equal(
    (await resolveGatewayTarget({}, ctx(config, { OPENCLAW_GATEWAY_PORT: '20002' }))).url,
    'ws://127.0.0.1:20002',
  );
  assert.equal(
    (await resolveGatewayTarget({ port: '20003' }, ctx(config, { OPENCLAW_GATEWAY_PORT: '20002' }))).url,
    'ws://127.0.0.1:20003',
  );
  const tls = await resolveGatewayTarget(
    {},
    ctx({ gateway: { port: 20004, tls: { enabled: true }, auth: { token: CONFIG_TOKEN } } }),
  );
  assert.equal(tls.url, 'wss://127.0.0.1:20004');
  await assert.rejects(resolveGatewayTarget({ port: '70000' }, ctx(config)), /--port must be a port number/);
});

test('local mode credentials: gateway.auth.token before OPENCLAW_GATEWAY_TOKEN before gateway.remote.token; password mode', async () => {
  const both = await resolveGatewayTarget(
    {},
    ctx({ gateway: { auth: { mode: 'token', token: CONFIG_TOKEN } } }, { OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN }),
  );
  assert.deepEqual(
    [both.token, both.credentialSource, both.source],
    [CONFIG_TOKEN, 'gateway.auth.token', 'local loopback'],
  );
  const envOnly = await resolveGatewayTarget(
    {},
    ctx({ gateway: { port: 1234 } }, { OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN }),
  );
  assert.deepEqual([envOnly.token, envOnly.credentialSource], [ENV_TOKEN, 'OPENCLAW_GATEWAY_TOKEN']);
  const remoteFallback = await resolveGatewayTarget(
    {},
    ctx({ gateway: { remote: { token: 'gw-test-CANARY-remote' } } }),
  );
  assert.equal(remoteFallback.credentialSource, 'gateway.remote.token');
  const password = await resolveGatewayTarget(
    {},
    ctx(
      { gateway: { auth: { mode: 'password', password: 'gw-test-CANARY-pw' } } },
      { OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN },
    ),
  );
  assert.deepEqual(
    [password.password, password.token, password.credentialSource],
    ['gw-test-CANARY-pw', undefined, 'gateway.auth.password'],
  );
  const explicit = await resolveGatewayTarget(
    { token: 'gw-test-CANARY-flag' },
    ctx({ gateway: { auth: { token: CONFIG_TOKEN } } }),
  );
  assert.deepEqual([explicit.token, explicit.credentialSource], ['gw-test-CANARY-flag', '--token']);
  const none = await resolveGatewayTarget({}, ctx({ gateway: { auth: { mode: 'none' } } }));
  assert.deepEqual([none.token, none.password], [undefined, undefined]);
  await assert.rejects(
    resolveGatewayTarget({}, ctx({})),
    (err: unknown) => err instanceof GatewayTargetError && /^no gateway credentials/.test(err.message),
  );
});

test('remote mode: gateway.remote.url with gateway.remote.token first and its TLS pin; --url and OPENCLAW_GATEWAY_URL overrides', async () => {
  const config = {
    gateway: {
      mode: 'remote',
      remote: { url: 'wss://gw.example.test:443', token: 'gw-test-CANARY-remote', tlsFingerprint: 'AB:CD' },
      auth: { token: CONFIG_TOKEN },
    },
  };
  const remote = await resolveGatewayTarget({}, ctx(config, { OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN }));
  assert.deepEqual(
    [remote.url, remote.source, remote.token, remote.tlsFingerprint],
    ['wss://gw.example.test:443', 'config gateway.remote.url', 'gw-test-CANARY-remote', 'AB:CD'],
  );
  await assert.rejects(
    resolveGatewayTarget({ url: 'ws://127.0.0.1:1' }, ctx(config, { OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN })),
    /--url needs explicit credentials/,
  );
  const url = await resolveGatewayTarget({ url: 'ws://127.0.0.1:1', password: 'gw-test-CANARY-pw' }, ctx(config));
  assert.deepEqual([url.source, url.password, url.token], ['cli --url', 'gw-test-CANARY-pw', undefined]);
  const envUrl = await resolveGatewayTarget(
    {},
    ctx(config, { OPENCLAW_GATEWAY_URL: 'ws://127.0.0.1:2', OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN }),
  );
  assert.deepEqual(
    [envUrl.source, envUrl.token],
    ['env OPENCLAW_GATEWAY_URL', ENV_TOKEN],
    'OPENCLAW_GATEWAY_URL takes env credentials only',
  );
  await assert.rejects(
    resolveGatewayTarget({ url: 'http://x', token: 't' }, ctx({})),
    /--url must use ws:\/\/ or wss:\/\//,
  );
  await assert.rejects(
    resolveGatewayTarget({ url: 'ws://user:pw@host:1', token: 't' }, ctx({})),
    /must not carry credentials/,
  );
});

test('a SecretRef credential resolves through our providers (env and a 0600 file); failures name the ref, never a value', async () => {
  const viaEnv = await resolveGatewayTarget(
    {},
    ctx(
      { gateway: { auth: { token: { source: 'env', provider: 'default', id: 'GW_TOKEN' } } } },
      { GW_TOKEN: ENV_TOKEN },
    ),
  );
  assert.equal(viaEnv.token, ENV_TOKEN);
  const shorthand = await resolveGatewayTarget(
    {},
    ctx({ gateway: { auth: { token: '${GW_TOKEN}' } } }, { GW_TOKEN: ENV_TOKEN }),
  );
  assert.equal(shorthand.token, ENV_TOKEN);
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-gwtarget-')));
  try {
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ gateway: { token: CONFIG_TOKEN } }), { mode: 0o600 });
    const config = {
      secrets: { providers: { vault: { source: 'file', path: file, mode: 'json' } } },
      gateway: { auth: { token: { source: 'file', provider: 'vault', id: '/gateway/token' } } },
    };
    assert.equal((await resolveGatewayTarget({}, ctx(config))).token, CONFIG_TOKEN);
    fs.chmodSync(file, 0o644);
    await assert.rejects(
      resolveGatewayTarget({}, ctx(config, { OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN })),
      (err: unknown) => {
        assert.ok(err instanceof GatewayTargetError);
        assert.match(err.message, /^cannot resolve gateway\.auth\.token \(file:vault:\/gateway\/token\): /);
        assert.ok(!err.message.includes(CONFIG_TOKEN) && !err.message.includes(ENV_TOKEN));
        return true;
      },
      'a configured ref that fails does not fall back to the env token',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const exec = {
    secrets: { providers: { cmd: { source: 'exec', command: '/bin/true' } } },
    gateway: { auth: { token: { source: 'exec', provider: 'cmd', id: 'gw' } } },
  };
  await assert.rejects(resolveGatewayTarget({}, ctx(exec)), /is an exec SecretRef \(exec:cmd:gw\); pass --allow-exec/);
});
