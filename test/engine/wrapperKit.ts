// Shared parts of the exec-wrapper tests: run a wrapper as OpenClaw does (empty environment but passEnv),
// run the real OpenClaw (the oracle) audit over providers and refs, and real stores (pass, Secret Service).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensureOracle } from '../compat/oracle';

export const CANARY = 'sk-test-CANARY-wrapper';

import { run, type ProcessResult } from '../helpers/runProcess';

export { run, type ProcessResult };

export interface WrapperAnswer {
  protocolVersion: number;
  values: Record<string, string>;
  errors?: Record<string, { code?: string; message?: string }>;
}

/** One protocol-v1 request to a wrapper, as OpenClaw sends it. */
export async function askWrapper(
  wrapperPath: string,
  ids: string[],
  env: Record<string, string> = {},
): Promise<{ answer: WrapperAnswer; result: ProcessResult }> {
  const result = await run(wrapperPath, [], env, JSON.stringify({ protocolVersion: 1, provider: 'w', ids }));
  let answer: WrapperAnswer;
  try {
    answer = JSON.parse(result.stdout) as WrapperAnswer;
  } catch {
    throw new Error(`wrapper printed no JSON (exit ${result.code}); stderr: ${result.stderr.slice(0, 300)}`);
  }
  return { answer, result };
}

export interface OracleRef {
  /** models.providers.<name>.apiKey holds the ref */
  name: string;
  provider: string;
  id: string;
}

export interface OracleFinding {
  code: string;
  jsonPath: string;
  message: string;
}

export interface OracleAudit {
  exitCode: number | null;
  status: string;
  summary: Record<string, number>;
  resolution: Record<string, unknown>;
  findings: OracleFinding[];
  stderr: string;
  /** the real `openclaw config validate --json` over the same config, run alongside the audit */
  validate: { valid: boolean; warnings: unknown[]; [key: string]: unknown };
}

/** The real `openclaw secrets audit --allow-exec --json` over a config made of these providers and refs. */
export async function oracleAudit(
  root: string,
  providers: Record<string, unknown>,
  refs: OracleRef[],
  extraEnv: Record<string, string> = {},
): Promise<OracleAudit> {
  const oracle = ensureOracle();
  const home = path.join(root, 'oracle-home');
  const stateDir = path.join(home, '.openclaw');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const modelProviders: Record<string, unknown> = {};
  for (const ref of refs)
    modelProviders[ref.name] = {
      baseUrl: 'https://api.example.invalid/v1',
      models: [],
      apiKey: { source: 'exec', provider: ref.provider, id: ref.id },
    };
  const configPath = path.join(stateDir, 'openclaw.json');
  writeFileSync(
    configPath,
    JSON.stringify({ secrets: { providers }, models: { providers: modelProviders } }, null, 2),
    {
      mode: 0o600,
    },
  );
  const env: Record<string, string> = {
    PATH: `${path.dirname(oracle.nodeBin)}:/usr/bin:/bin`,
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    ...extraEnv,
  };
  const [result, validation] = await Promise.all([
    run(oracle.nodeBin, [oracle.openclawMjs, 'secrets', 'audit', '--allow-exec', '--json'], env, '', 240_000),
    run(oracle.nodeBin, [oracle.openclawMjs, 'config', 'validate', '--json'], env, '', 240_000),
  ]);
  let report: Omit<OracleAudit, 'exitCode' | 'stderr' | 'validate'>;
  let validate: OracleAudit['validate'];
  try {
    report = JSON.parse(result.stdout) as Omit<OracleAudit, 'exitCode' | 'stderr' | 'validate'>;
    validate = JSON.parse(validation.stdout) as OracleAudit['validate'];
  } catch {
    throw new Error(
      `oracle printed no JSON (audit exit ${result.code}, validate exit ${validation.code}): ${result.stderr.slice(0, 300)} ${validation.stderr.slice(0, 300)}`,
    );
  }
  return { ...report, exitCode: result.code, stderr: result.stderr, validate };
}

/** The oracle's finding for models.providers.<name>.apiKey, if any. */
export function findingFor(audit: OracleAudit, name: string): OracleFinding | undefined {
  return audit.findings.find((f) => f.jsonPath === `models.providers.${name}.apiKey`);
}

function waitForLine(child: ChildProcess, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('no line before the deadline')), deadlineMs);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl).trim());
      }
    });
    child.on('exit', () => reject(new Error('exited before printing a line')));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface SecretService {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A private session bus and an unlocked gnome-keyring on it (Debian's dbus and gnome-keyring). */
export async function startSecretService(dir: string): Promise<SecretService> {
  const runtime = path.join(dir, 'run');
  const data = path.join(dir, 'data');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const baseEnv = { PATH: '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: data };
  const bus = spawn(
    '/usr/bin/dbus-daemon',
    ['--session', '--nofork', '--print-address=1', `--address=unix:path=${path.join(runtime, 'bus')}`],
    { env: baseEnv, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const address = await waitForLine(bus, 20_000);
  const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
  const keyring = spawn('/usr/bin/gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // --unlock reads the new login keyring's password from stdin; a fake one, the keyring is throwaway.
  keyring.stdin.on('error', () => undefined); // it may close stdin before the write lands (EPIPE)
  keyring.stdin.end('ocs-test-keyring-password');
  const stop = async () => {
    keyring.kill('SIGTERM');
    await exited(keyring);
    bus.kill('SIGTERM');
    await exited(bus);
  };
  // Ready when the keyring owns org.freedesktop.secrets on the bus (asked until a deadline).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await run(
      '/usr/bin/dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      env,
    );
    if (r.stdout.includes('boolean true')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('gnome-keyring did not register org.freedesktop.secrets');
    }
  }
  return { env, stop };
}

export interface PassStore {
  /** HOME holding ~/.gnupg and ~/.password-store, the default places */
  home: string;
  env: Record<string, string>;
  stop(): void;
}

/** A throwaway GnuPG key (no passphrase) and a pass store initialised for it, in `home`'s default places. */
export function makePassStore(home: string): PassStore {
  const gnupg = path.join(home, '.gnupg');
  mkdirSync(gnupg, { recursive: true, mode: 0o700 });
  const env = { PATH: '/usr/bin:/bin', HOME: home };
  const opts = { env, stdio: 'ignore' as const };
  execFileSync(
    '/usr/bin/gpg',
    [
      '--batch',
      '--passphrase',
      '',
      '--quick-gen-key',
      'OCS Test <ocs-test@example.invalid>',
      'default',
      'default',
      'never',
    ],
    opts,
  );
  const colons = execFileSync('/usr/bin/gpg', ['--list-keys', '--with-colons'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString('utf8');
  const fpr = /^fpr:+([0-9A-F]+):/m.exec(colons)?.[1];
  if (!fpr) throw new Error('no key made');
  execFileSync('/usr/bin/pass', ['init', fpr], opts);
  return {
    home,
    env,
    // gpg started an agent for this home: it must not outlive the test.
    stop: () => execFileSync('/usr/bin/gpgconf', ['--kill', 'gpg-agent'], opts),
  };
}
