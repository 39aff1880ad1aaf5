// Gateway faults, each against a real local listener of the right kind: nothing listening, a plain
// listener behind a wss:// URL, a TLS server with a self-signed certificate (made by openssl here), a
// listener that accepts and never answers, a gateway speaking another protocol version (our own ws server
// checking frames with OpenClaw's protocol validators), and missing credentials. Each is one clear
// message and exit 1 within --timeout; the token is never printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { runCli } from '../../server/src/cli/main';
import { freeLoopbackPort } from './realGateway';

const TOKEN = 'gw-test-CANARY-fault-token-0001';
const printed: string[] = [];
let home: string;
const closers: (() => Promise<void>)[] = [];

before(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-gwfault-'));
});
after(async () => {
  for (const close of closers) await close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function reload(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await runCli({
    argv: ['reload', ...argv],
    env: { PATH: '/usr/bin:/bin', HOME: home, OPENCLAW_STATE_DIR: path.join(home, 'state'), ...env },
    cwd: home,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: () => false,
    openStdin: () => new PassThrough(),
  });
  printed.push(stdout, stderr);
  return { code, stdout, stderr, elapsedMs: Date.now() - started };
}

function listen(server: net.Server | https.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    closers.push(() => new Promise<void>((done) => server.close(() => done())));
  });
}

/** A socket server that tracks its connections so closing it never waits on a held-open client. */
function trackedNetServer(onSocket: (s: net.Socket) => void): net.Server {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  closers.push(async () => {
    for (const s of sockets) s.destroy();
  });
  return server;
}

test('gateway down: one message naming the URL, exit 1, quickly', async () => {
  const port = await freeLoopbackPort();
  const r = await reload(['--json', '--url', `ws://127.0.0.1:${port}`, '--token', TOKEN, '--timeout', '5000']);
  assert.equal(r.code, 1);
  const { ok, error } = JSON.parse(r.stdout);
  assert.equal(ok, false);
  assert.equal(error.type, 'cli_error');
  assert.match(error.message, new RegExp(`^No gateway reachable at ws://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  assert.ok(r.elapsedMs < 5000, `answered in ${r.elapsedMs}ms`);
  // text mode: the same on stderr, nothing on stdout
  const text = await reload(['--url', `ws://127.0.0.1:${port}`, '--token', TOKEN, '--timeout', '5000']);
  assert.equal(text.code, 1);
  assert.equal(text.stdout, '');
  assert.match(text.stderr, /^Secrets reload failed: No gateway reachable at/);
});

test('no URL, no config: the local default port, and the missing credentials are named before any connect', async () => {
  const r = await reload(['--json']);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stdout).error.message, /^no gateway credentials: set gateway\.auth\.token/);
  const urlOnly = await reload(['--json', '--url', 'ws://127.0.0.1:9']);
  assert.equal(urlOnly.code, 1);
  assert.match(JSON.parse(urlOnly.stdout).error.message, /^--url needs explicit credentials/);
  const envToken = await reload(['--json', '--url', 'ws://127.0.0.1:9'], { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  assert.match(
    JSON.parse(envToken.stdout).error.message,
    /^--url needs explicit credentials/,
    'a --url never reuses env credentials (as OpenClaw)',
  );
  const badTimeout = await reload(['--timeout', 'soon', '--token', TOKEN]);
  assert.equal(badTimeout.code, 1);
  assert.match(badTimeout.stderr, /--timeout must be a positive number of milliseconds/);
});

test('TLS mismatch: a wss:// URL against a plain listener says the listener does not speak TLS', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  closers.push(() => new Promise<void>((done) => wss.close(() => done())));
  const port = (wss.address() as net.AddressInfo).port;
  const r = await reload(['--url', `wss://127.0.0.1:${port}`, '--token', TOKEN, '--timeout', '5000']);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^Secrets reload failed: TLS to the gateway at wss:\/\/127\.0\.0\.1:\d+ failed \(the listener does not speak TLS: use ws:\/\/ instead of wss:\/\/\)/,
  );
  assert.ok(r.elapsedMs < 5000);
});

test('TLS with a self-signed certificate: refused as untrusted, with the pinning hint', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-gwtls-'));
  closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) });
  const wss = new WebSocketServer({ server });
  closers.push(() => new Promise<void>((done) => wss.close(() => done())));
  const port = await listen(server);
  const r = await reload(['--json', '--url', `wss://127.0.0.1:${port}`, '--token', TOKEN, '--timeout', '5000']);
  assert.equal(r.code, 1);
  assert.match(
    JSON.parse(r.stdout).error.message,
    /TLS to the gateway at wss:\/\/127\.0\.0\.1:\d+ failed \(the certificate is not trusted: pin it with gateway\.remote\.tlsFingerprint/,
  );
});

test('a listener that accepts and never answers: a timeout message within --timeout, no hang', async () => {
  const server = trackedNetServer(() => undefined);
  const port = await listen(server);
  const r = await reload(['--json', '--url', `ws://127.0.0.1:${port}`, '--token', TOKEN, '--timeout', '1500']);
  assert.equal(r.code, 1);
  assert.match(
    JSON.parse(r.stdout).error.message,
    new RegExp(`^The gateway at ws://127\\.0\\.0\\.1:${port} did not answer within 1500ms \\(--timeout\\)\\.`),
  );
  assert.ok(r.elapsedMs >= 1400 && r.elapsedMs < 1500 + 2000, `answered after ${r.elapsedMs}ms`);
});

/** A gateway that speaks protocol v5: challenge, then checks our connect frame with OpenClaw's validators. */
async function wrongVersionGateway(answer: 'reject' | 'hello-v5'): Promise<{ port: number; connects: unknown[] }> {
  const { validateRequestFrame, validateConnectParams } = await import('@openclaw/gateway-protocol');
  const connects: unknown[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  closers.push(
    () =>
      new Promise<void>((done) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => done());
      }),
  );
  wss.on('connection', (socket: WebSocket) => {
    socket.send(
      JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n-1', ts: Date.now() } }),
    );
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      assert.ok(validateRequestFrame(frame), 'the client sends a valid request frame');
      assert.equal(frame.method, 'connect');
      assert.ok(validateConnectParams(frame.params), "the connect params pass OpenClaw's schema");
      connects.push(frame.params);
      if (answer === 'reject') {
        socket.send(
          JSON.stringify({
            type: 'res',
            id: frame.id,
            ok: false,
            error: {
              code: 'INVALID_REQUEST',
              message: 'protocol mismatch: client v4, gateway v5',
              details: { code: 'PROTOCOL_MISMATCH', expectedProtocol: 5 },
            },
          }),
        );
        socket.close(1002, 'protocol mismatch');
      } else {
        socket.send(
          JSON.stringify({
            type: 'res',
            id: frame.id,
            ok: true,
            payload: {
              type: 'hello-ok',
              protocol: 5,
              server: { version: '2099.1.1', connId: 'c-1' },
              features: { methods: ['secrets.reload'], events: [] },
              snapshot: {},
              auth: { role: 'operator', scopes: ['operator.admin'] },
              policy: { maxPayload: 1048576, maxBufferedBytes: 1048576, tickIntervalMs: 15000 },
            },
          }),
        );
      }
    });
  });
  return { port: (wss.address() as net.AddressInfo).port, connects };
}

test('a gateway that speaks another protocol version: refused, named, no reload sent', async () => {
  const rejecting = await wrongVersionGateway('reject');
  const r = await reload([
    '--json',
    '--url',
    `ws://127.0.0.1:${rejecting.port}`,
    '--token',
    TOKEN,
    '--timeout',
    '5000',
  ]);
  assert.equal(r.code, 1);
  assert.match(
    JSON.parse(r.stdout).error.message,
    /does not speak protocol v4 \(this client's version\): protocol mismatch: client v4, gateway v5/,
  );
  assert.equal(rejecting.connects.length, 1, 'one connect, no reconnect loop');
  assert.deepEqual(
    [
      (rejecting.connects[0] as { minProtocol: number }).minProtocol,
      (rejecting.connects[0] as { maxProtocol: number }).maxProtocol,
    ],
    [4, 4],
  );

  const answeringV5 = await wrongVersionGateway('hello-v5');
  const r5 = await reload(['--url', `ws://127.0.0.1:${answeringV5.port}`, '--token', TOKEN, '--timeout', '5000']);
  assert.equal(r5.code, 1);
  assert.match(r5.stderr, /answered with protocol v5; this client speaks v4 only/);
});

test('canary: the token never appears in anything printed', () => {
  const all = printed.join('\n');
  assert.ok(all.length > 0);
  assert.ok(!all.includes(TOKEN));
});
