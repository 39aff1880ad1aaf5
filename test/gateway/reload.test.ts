// `openclaw-secrets reload` against a real OpenClaw 2026.9.6 gateway (one for the whole file): it answers
// what `openclaw secrets reload` answers with no `openclaw` on PATH, the gateway really swaps (a rotated
// token is the one it accepts afterwards), warnings and recovery show in its log, a strict failure leaves
// it on its last-known-good snapshot, and no token appears in anything we print.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';
import { callGateway, GatewayCallError } from '../../server/src/engine/gateway/gatewayCall';
import { REPO_ROOT } from '../compat/oracle';
import * as fs from 'node:fs';
import { GatewayReloadRequest, GatewayStatusRequest } from '../../server/src/protocol';
import { startSession, uriOf } from '../lsp/lspHarness';
import { freeLoopbackPort } from './realGateway';
import { startRealGateway, type RealGateway } from './realGateway';

const T1 = 'gw-test-CANARY-tok-1111111111';
const T2 = 'gw-test-CANARY-tok-2222222222';
// not the generic sk-test-CANARY prefix: test/cli/canary.test.ts scans every new temp file for that one
const API_KEY = 'oc-test-CANARY-gw-apikey-0001';
const printed: string[] = [];
let gw: RealGateway;

before(async () => {
  gw = await startRealGateway({ gatewayToken: T1, openaiApiKey: API_KEY });
});
after(async () => {
  await gw?.stop();
});

async function ours(argv: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv: ['reload', ...argv],
    env: gw.cliEnv(extraEnv),
    cwd: gw.home,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => false,
    openStdin: () => new PassThrough(),
  });
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd: gw.home, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The real `openclaw secrets reload` (Node 24 first on PATH, as the oracle harness runs it). */
function oracleReload(args: string[]) {
  const env = gw.cliEnv({
    PATH: `${path.dirname(gw.oracle.nodeBin)}:/usr/bin:/bin`,
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
  });
  return run(gw.oracle.nodeBin, [gw.oracle.openclawMjs, 'secrets', 'reload', ...args], env);
}

test('the bundled CLI (Node 20, no openclaw on PATH) answers what openclaw secrets reload answers', async () => {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const env = gw.cliEnv();
  const oursJson = await run(process.execPath, [cli, 'reload', '--json'], env);
  const oursText = await run(process.execPath, [cli, 'reload'], env);
  printed.push(oursJson.stdout, oursJson.stderr, oursText.stdout, oursText.stderr);
  const theirsJson = await oracleReload(['--json', '--url', gw.url, '--token', T1]);
  const theirsText = await oracleReload(['--url', gw.url, '--token', T1]);
  assert.equal(theirsJson.code, 0, theirsJson.stderr);
  assert.deepEqual(
    { code: oursJson.code, stdout: oursJson.stdout },
    { code: theirsJson.code, stdout: theirsJson.stdout },
  );
  assert.deepEqual(JSON.parse(oursJson.stdout), { ok: true, warningCount: 0 });
  assert.deepEqual(
    { code: oursText.code, stdout: oursText.stdout },
    { code: theirsText.code, stdout: theirsText.stdout },
  );
  assert.equal(oursText.stdout, 'Secrets reloaded.\n');
  assert.equal(oursJson.stderr + oursText.stderr, '');
});

test('the gateway really swaps: after the token is rotated on disk and reloaded, only the new token is accepted', async () => {
  const mark = gw.log().length;
  gw.writeSecrets({ gatewayToken: T2, openaiApiKey: API_KEY });
  // our config-derived credential is now T2, which the gateway does not know yet
  const before = await ours(['--json']);
  assert.equal(before.code, 1);
  assert.match(
    JSON.parse(before.stdout).error.message,
    /refused the credential from gateway\.auth\.token: unauthorized/,
  );
  const reload = await ours(['--url', gw.url, '--token', T1]);
  assert.deepEqual(reload, { code: 0, stdout: 'Secrets reloaded.\n', stderr: '' });
  await gw.waitForLog(/res ✓ secrets\.reload/, 30_000, mark);
  const oldToken = await ours(['--url', gw.url, '--token', T1]);
  assert.equal(oldToken.code, 1);
  assert.match(oldToken.stderr, /refused the credential from --token: unauthorized: gateway token mismatch/);
  const newToken = await ours([]);
  assert.deepEqual(newToken, { code: 0, stdout: 'Secrets reloaded.\n', stderr: '' });
});

test('an owner that fails to resolve degrades with a warning; restoring it recovers (both in the gateway log)', async () => {
  const mark = gw.log().length;
  gw.writeSecrets({ gatewayToken: T2 });
  const degraded = await ours([]);
  assert.deepEqual(degraded, { code: 0, stdout: 'Secrets reloaded with 1 warning(s).\n', stderr: '' });
  const json = await ours(['--json']);
  assert.deepEqual(JSON.parse(json.stdout), { ok: true, warningCount: 1 });
  await gw.waitForLog(/SECRETS_DEGRADED/, 30_000, mark);
  gw.writeSecrets({ gatewayToken: T2, openaiApiKey: API_KEY });
  const recovered = await ours([]);
  assert.deepEqual(recovered, { code: 0, stdout: 'Secrets reloaded.\n', stderr: '' });
  await gw.waitForLog(/SECRETS_RELOADER_RECOVERED/, 30_000, mark);
});

test("a strict failure: exit 1 with OpenClaw's reason, and the gateway stays on its last-known-good snapshot", async () => {
  gw.writeSecrets({ openaiApiKey: API_KEY }); // the gateway's own token ref no longer resolves
  try {
    const failed = await ours(['--json', '--url', gw.url, '--token', T2]);
    const theirs = await oracleReload(['--json', '--url', gw.url, '--token', T2]);
    assert.equal(failed.code, 1);
    assert.equal(theirs.code, 1);
    const theirMessage: string = JSON.parse(theirs.stdout).error.message;
    const ourMessage: string = JSON.parse(failed.stdout).error.message;
    assert.ok(
      ourMessage.includes(theirMessage),
      `our message carries OpenClaw's reason "${theirMessage}": ${ourMessage}`,
    );
    assert.match(ourMessage, /stays on its last-known-good secrets snapshot/);
    const text = await ours(['--url', gw.url, '--token', T2]);
    assert.equal(text.code, 1);
    assert.equal(text.stdout, '');
    assert.match(
      text.stderr,
      /^Secrets reload failed: The gateway rejected the reload and stays on its last-known-good secrets snapshot\. OpenClaw's reason: secrets\.reload failed\n$/,
    );
    // the gateway answers only "secrets.reload failed"; resolving the same config here names the reason its log has
    const mark = gw.log().length;
    const local = await ours(['--json', '--token', T2]);
    assert.equal(local.code, 1);
    const logged = (await gw.waitForLog(/secrets\.reload failed: [^\n]+/, 30_000, mark)).replace(
      /^secrets\.reload failed: /,
      '',
    );
    const localMessage: string = JSON.parse(local.stdout).error.message;
    assert.match(
      localMessage,
      /Resolving the same config here, these refs fail: gateway\.auth\.token \(file:gwfile:\/gateway\/token\): /,
    );
    assert.ok(
      localMessage.includes(logged.trim()),
      `our local reason matches the gateway's log ("${logged.trim()}"): ${localMessage}`,
    );
    // last-known-good: the token it had before the failed reload still authenticates, a read-only RPC answers
    const health = await callGateway<{ ok?: boolean }>(
      { url: gw.url, source: 'cli --url', configPath: gw.configPath, token: T2 },
      'health',
      {},
      { timeoutMs: 30_000 },
    );
    assert.equal(health.result.ok, true);
    assert.equal(health.hello.protocol, 4);
  } finally {
    gw.writeSecrets({ gatewayToken: T2, openaiApiKey: API_KEY });
  }
});

test('a wrong token: exit 1 naming the refused credential source, within the timeout', async () => {
  const started = Date.now();
  const r = await ours(['--json', '--url', gw.url, '--token', 'not-the-token', '--timeout', '20000']);
  assert.equal(r.code, 1);
  assert.ok(Date.now() - started < 20_000);
  const message: string = JSON.parse(r.stdout).error.message;
  assert.match(message, /refused the credential from --token: unauthorized: gateway token mismatch/);
  await assert.rejects(
    callGateway(
      { url: gw.url, source: 'cli --url', configPath: gw.configPath, token: 'not-the-token' },
      'health',
      {},
      { timeoutMs: 20_000 },
    ),
    (err: unknown) =>
      err instanceof GatewayCallError && err.kind === 'auth' && err.gatewayCode === 'AUTH_TOKEN_MISMATCH',
  );
});

test("over LSP: the editor's requests probe and reload this gateway; a failed reload says last-known-good", async () => {
  const s = await startSession({ env: { HOME: gw.home, OPENCLAW_GATEWAY_PORT: String(gw.port) } });
  try {
    const uri = uriOf(gw.configPath);
    await s.open(gw.configPath, fs.readFileSync(gw.configPath, 'utf8'));
    const status = await s.client.sendRequest(GatewayStatusRequest, { uri });
    assert.equal(status.reachable, true, status.message);
    assert.equal(status.url, gw.url);
    const ok = await s.client.sendRequest(GatewayReloadRequest, { uri });
    assert.deepEqual(ok, { url: gw.url, state: 'ok', warningCount: 0, message: 'Secrets reloaded.' });
    gw.writeSecrets({ openaiApiKey: API_KEY }); // our credential lookup fails too now: the request says so, nothing sent
    const noCredential = await s.client.sendRequest(GatewayReloadRequest, { uri });
    assert.equal(noCredential.state, 'unreachable');
    assert.match(noCredential.message, /cannot resolve gateway\.auth\.token \(file:gwfile:\/gateway\/token\)/);
    await assert.rejects(s.client.sendRequest(GatewayReloadRequest, { uri: 42 } as never), /invalid parameters: uri/);
  } finally {
    gw.writeSecrets({ gatewayToken: T2, openaiApiKey: API_KEY });
    printed.push(s.serverOutput());
    await s.close();
  }
  // a gateway that fails the reload, its credential given through the environment of the server
  const failing = await startSession({ env: { HOME: gw.home, OPENCLAW_GATEWAY_PORT: String(gw.port) } });
  const other = path.join(path.dirname(gw.configPath), 'editor', 'openclaw.json');
  fs.mkdirSync(path.dirname(other), { recursive: true });
  fs.writeFileSync(
    other,
    JSON.stringify({ gateway: { mode: 'local', auth: { mode: 'token', token: '${GW_TOKEN}' } } }),
  );
  try {
    await failing.open(other, fs.readFileSync(other, 'utf8'));
    gw.writeSecrets({ openaiApiKey: API_KEY });
    const failed = await failing.client.sendRequest(GatewayReloadRequest, { uri: uriOf(other) });
    assert.equal(failed.state, 'unreachable', 'GW_TOKEN is not set in the server env');
  } finally {
    gw.writeSecrets({ gatewayToken: T2, openaiApiKey: API_KEY });
    printed.push(failing.serverOutput());
    await failing.close();
  }
  const withToken = await startSession({
    env: { HOME: gw.home, OPENCLAW_GATEWAY_PORT: String(gw.port), GW_TOKEN: T2 },
  });
  try {
    await withToken.open(other, fs.readFileSync(other, 'utf8'));
    gw.writeSecrets({ openaiApiKey: API_KEY });
    const failed = await withToken.client.sendRequest(GatewayReloadRequest, { uri: uriOf(other) });
    assert.equal(failed.state, 'failed');
    assert.equal(failed.url, gw.url);
    assert.match(
      failed.message,
      /^The gateway rejected the reload and stays on its last-known-good secrets snapshot\. OpenClaw's reason: secrets\.reload failed$/,
    );
  } finally {
    gw.writeSecrets({ gatewayToken: T2, openaiApiKey: API_KEY });
    printed.push(withToken.serverOutput());
    await withToken.close();
  }
});

test('over LSP with no gateway running: one line, reachable false, nothing sent', async () => {
  const port = await freeLoopbackPort();
  const s = await startSession({
    env: { HOME: gw.home, OPENCLAW_GATEWAY_PORT: String(port), OPENCLAW_GATEWAY_TOKEN: T2 },
  });
  const other = path.join(path.dirname(gw.configPath), 'nogw', 'openclaw.json');
  fs.mkdirSync(path.dirname(other), { recursive: true });
  fs.writeFileSync(other, '{}');
  try {
    await s.open(other, '{}');
    const status = await s.client.sendRequest(GatewayStatusRequest, { uri: uriOf(other) });
    assert.deepEqual(
      { reachable: status.reachable, url: status.url },
      { reachable: false, url: `ws://127.0.0.1:${port}` },
    );
    assert.match(status.message, /^No gateway reachable at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Is it running\?/);
    assert.equal(status.message.split('\n').length, 1);
    const reload = await s.client.sendRequest(GatewayReloadRequest, { uri: uriOf(other) });
    assert.equal(reload.state, 'unreachable');
  } finally {
    printed.push(s.serverOutput());
    await s.close();
  }
});

test('canary: no gateway token or API key in anything our CLI printed or our server sent over LSP', () => {
  const all = printed.join('\n');
  assert.ok(all.length > 0);
  for (const secret of [T1, T2, API_KEY]) assert.ok(!all.includes(secret), `a secret appeared in our output`);
  // nor in the gateway's own logs: its output and the log files it writes (under its TMPDIR, or /tmp/openclaw)
  const logDirs = [path.join(gw.stateDir, '..', 'tmp', 'openclaw'), path.join('/tmp', 'openclaw')];
  const logs = [
    gw.log(),
    ...logDirs.flatMap((d) =>
      fs.existsSync(d)
        ? fs
            .readdirSync(d)
            .filter((f) => f.endsWith('.log'))
            .map((f) => fs.readFileSync(path.join(d, f), 'utf8'))
        : [],
    ),
  ];
  for (const secret of [T1, T2, API_KEY])
    assert.ok(!logs.some((l) => l.includes(secret)), 'a secret appeared in a gateway log');
});
