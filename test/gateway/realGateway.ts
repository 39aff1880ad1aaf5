// A real `openclaw gateway run` (the oracle install, Node 24) on a free loopback port with a temp HOME and
// state dir, in a process group of its own. Ready when its log says so (deadline, no sleeps); stop() kills
// the group and waits for the exit. The config reads its token and an API key from a 0600 file provider,
// so tests can rotate or break them on disk and ask for a reload.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureOracle, type Oracle } from '../compat/oracle';

export const GATEWAY_READY_DEADLINE_MS = 300_000;

export interface GatewaySecrets {
  gatewayToken?: string;
  openaiApiKey?: string;
}

export interface RealGateway {
  port: number;
  url: string;
  stateDir: string;
  home: string;
  configPath: string;
  secretsFile: string;
  oracle: Oracle;
  /** everything the gateway printed so far */
  log(): string;
  /** resolves when the log (from `fromOffset`) matches, rejects after the deadline */
  waitForLog(pattern: RegExp, deadlineMs: number, fromOffset?: number): Promise<string>;
  writeSecrets(secrets: GatewaySecrets): void;
  /** the environment our CLI (or the oracle CLI) needs to find this gateway's config */
  cliEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

class GatewayExitedError extends Error {}

/**
 * `port`: a port chosen beforehand (e.g. written into a workspace first); default a free one. A gateway
 * that exits during start-up (seen once on this shared 2-core machine) is started once more, fresh.
 */
export async function startRealGateway(
  initial: Required<GatewaySecrets>,
  opts: { port?: number } = {},
): Promise<RealGateway> {
  try {
    return await startOnce(initial, opts);
  } catch (err) {
    if (!(err instanceof GatewayExitedError)) throw err;
    process.stderr.write(`realGateway: ${err.message.split('\n')[0].slice(0, 300)}; starting it again\n`);
    return startOnce(initial, opts);
  }
}

async function startOnce(initial: Required<GatewaySecrets>, opts: { port?: number }): Promise<RealGateway> {
  const oracle = ensureOracle();
  // realpath: the file provider refuses a path through a symlinked temp dir
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-gw-')));
  const home = path.join(root, 'home');
  const stateDir = path.join(root, 'state');
  const tmp = path.join(root, 'tmp');
  for (const d of [home, stateDir, tmp]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const configPath = path.join(stateDir, 'openclaw.json');
  const secretsFile = path.join(stateDir, 'gw-secrets.json');
  const config = {
    secrets: { providers: { gwfile: { source: 'file', path: secretsFile, mode: 'json' } } },
    gateway: {
      mode: 'local',
      auth: { mode: 'token', token: { source: 'file', provider: 'gwfile', id: '/gateway/token' } },
    },
    models: {
      providers: {
        openai: {
          baseUrl: 'https://api.openai.com/v1',
          models: [],
          apiKey: { source: 'file', provider: 'gwfile', id: '/openai/apiKey' },
        },
      },
    },
  };
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  const writeSecrets = (s: GatewaySecrets) => {
    const payload = {
      gateway: s.gatewayToken ? { token: s.gatewayToken } : {},
      openai: s.openaiApiKey ? { apiKey: s.openaiApiKey } : {},
    };
    fs.writeFileSync(secretsFile, JSON.stringify(payload), { mode: 0o600 });
    fs.chmodSync(secretsFile, 0o600);
  };
  writeSecrets(initial);
  const port = opts.port ?? (await freeLoopbackPort());
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(oracle.nodeBin)}${path.delimiter}/usr/bin${path.delimiter}/bin`,
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    TMPDIR: tmp,
  };
  const child: ChildProcess = spawn(
    oracle.nodeBin,
    [oracle.openclawMjs, 'gateway', 'run', '--port', String(port), '--bind', 'loopback'],
    {
      cwd: tmp,
      env: baseEnv,
      detached: true, // its own process group: stop() kills the gateway and every helper it started
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exitStatus = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitStatus = `exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
      resolve();
    }),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
    for (const l of listeners) l();
  });

  const waitForLog = (pattern: RegExp, deadlineMs: number, fromOffset = 0) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = output.slice(fromOffset).match(pattern);
        if (m) {
          done();
          resolve(m[0]);
        } else if (!alive) {
          done();
          reject(new GatewayExitedError(`gateway exited (${exitStatus}) before ${pattern}: ${output.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`gateway log did not show ${pattern} within ${deadlineMs}ms: ${output.slice(-2000)}`));
      }, deadlineMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const stop = async () => {
    if (alive && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(killTimer);
    }
    // helpers in the group may outlive the leader for a moment: make sure the group is gone
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // no such group: all gone
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  };

  const gateway: RealGateway = {
    port,
    url: `ws://127.0.0.1:${port}`,
    stateDir,
    home,
    configPath,
    secretsFile,
    oracle,
    log: () => output,
    waitForLog,
    writeSecrets,
    cliEnv: (extra = {}) => ({
      PATH: '/usr/bin:/bin',
      HOME: home,
      OPENCLAW_HOME: home,
      OPENCLAW_STATE_DIR: stateDir,
      OPENCLAW_CONFIG_PATH: configPath,
      OPENCLAW_GATEWAY_PORT: String(port),
      ...extra,
    }),
    stop,
  };
  try {
    await waitForLog(/\[gateway\] ready/, GATEWAY_READY_DEADLINE_MS);
  } catch (err) {
    await stop();
    throw err;
  }
  return gateway;
}
