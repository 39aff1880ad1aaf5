// OpenClaw 2026.9.6's own shared store as a backend: `openclaw secrets store set NAME --kind secret
// --value-file -` with the value on stdin (OpenClaw refuses `--value` for secrets, and so do we), and read
// back from <STATE_DIR>/state/openclaw.sqlite through the same store resolver audit and apply use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findOpenClawBinary } from '../store/cliStoreReader';
import { nodeSqliteAvailable } from '../store/sqliteStoreReader';
import { checkRefId, defaultProviderAlias, type SecretRef } from '../refs/secretRef';
import { readConfigSecrets } from '../config/secretsConfig';
import { suggestEnvName } from '../../../../shared/src/suggestRefId';
import { lastLine, runChild } from './childRun';
import { compareStoreEntry, nodeForOpenClaw } from './storeEntryCheck';
import {
  BackendStepError,
  type BackendContext,
  type BackendProbe,
  type ExistingEntry,
  type ReadBack,
  type SecretBackend,
} from './backendTypes';

export const OPENCLAW_STORE_BACKEND_ID = 'openclaw-store';
/** an explicit openclaw executable (absolute) when it is not on PATH */
export const OPENCLAW_BIN_ENV = 'OPENCLAW_SECRETS_OPENCLAW_BIN';
/** OpenClaw's cap on one store value (65,536 UTF-8 bytes) */
export const STORE_VALUE_MAX_BYTES = 65_536;

/** The openclaw executable: OPENCLAW_SECRETS_OPENCLAW_BIN when set (must be absolute), else the first on PATH. */
export function openclawBinary(env: NodeJS.ProcessEnv): { path?: string; problem?: string } {
  const configured = env[OPENCLAW_BIN_ENV]?.trim();
  if (configured) {
    if (!path.isAbsolute(configured)) return { problem: `${OPENCLAW_BIN_ENV} must be an absolute path` };
    try {
      const st = fs.statSync(configured);
      if (!st.isFile()) return { problem: `${OPENCLAW_BIN_ENV} (${configured}) is not a regular file` };
      fs.accessSync(configured, fs.constants.X_OK);
      return { path: configured };
    } catch {
      return { problem: `${OPENCLAW_BIN_ENV} (${configured}) is missing or not executable` };
    }
  }
  const found = findOpenClawBinary(env);
  return found
    ? { path: found }
    : { problem: 'the openclaw CLI was not found on PATH (install OpenClaw 2026.9.6 or newer)' };
}

/** The environment openclaw runs with: the caller's, pointed at this config's state dir and config file. */
function openclawEnv(ctx: BackendContext): NodeJS.ProcessEnv {
  return {
    ...ctx.env,
    OPENCLAW_STATE_DIR: ctx.location.stateDir,
    OPENCLAW_CONFIG_PATH: ctx.location.configPath,
    NO_COLOR: '1',
  };
}

/** OpenClaw's own log lines start with `[subsystem/...]`; the reason is the last line that is not one. */
function reasonFrom(stderr: string, stdout: string): string {
  const keep = (t: string) =>
    t
      .split('\n')
      .filter((l) => !/^\s*\[[a-z][\w/-]*\]/.test(l))
      .join('\n');
  return lastLine(keep(stderr)) || lastLine(keep(stdout));
}

export const openclawStoreBackend: SecretBackend = {
  id: OPENCLAW_STORE_BACKEND_ID,
  label: 'OpenClaw store (openclaw secrets store)',
  source: 'store',

  async probe(ctx): Promise<BackendProbe> {
    const bin = openclawBinary(ctx.env);
    if (!bin.path) return { usable: false, reason: bin.problem };
    // The read-back proves the value arrived: node:sqlite here, or the (>= 24) Node that runs openclaw.
    if (!nodeSqliteAvailable() && !nodeForOpenClaw(bin.path, ctx.env))
      return {
        usable: false,
        tool: bin.path,
        reason: `reading the value back needs node:sqlite: this runtime is Node ${process.versions.node} and the Node running ${bin.path} was not found`,
      };
    return { usable: true, tool: bin.path };
  },

  refFor(name, ctx): SecretRef {
    return {
      source: 'store',
      provider: defaultProviderAlias(readConfigSecrets(ctx.config).defaults, 'store'),
      id: name,
    };
  },

  suggestName: (fieldPath) => suggestEnvName(fieldPath),

  nameProblem: (name) => checkRefId('store', name),

  async existing(name, value, ctx): Promise<ExistingEntry> {
    const verdict = await compareStoreEntry({
      stateDir: ctx.location.stateDir,
      name,
      value,
      env: ctx.env,
      openclawBin: openclawBinary(ctx.env).path,
      timeoutMs: ctx.timeoutMs,
    });
    if (verdict.state === 'unknown')
      throw new BackendStepError('check', `the store could not be read: ${verdict.problem ?? 'unknown reason'}`);
    return verdict.state;
  },

  async readBack(name, value, _ref, ctx): Promise<ReadBack | undefined> {
    // Where this runtime reads the store itself, the flow uses the store resolver (as audit and apply do).
    if (nodeSqliteAvailable()) return undefined;
    const verdict = await compareStoreEntry({
      stateDir: ctx.location.stateDir,
      name,
      value,
      env: ctx.env,
      openclawBin: openclawBinary(ctx.env).path,
      timeoutMs: ctx.timeoutMs,
    });
    return { state: verdict.state, ...(verdict.problem ? { problem: verdict.problem } : {}) };
  },

  async store(name, value, ctx): Promise<void> {
    if (Buffer.byteLength(value, 'utf8') > STORE_VALUE_MAX_BYTES)
      throw new BackendStepError('store', `OpenClaw's store takes at most ${STORE_VALUE_MAX_BYTES} bytes per value`);
    const bin = openclawBinary(ctx.env);
    if (!bin.path) throw new BackendStepError('probe', bin.problem ?? 'openclaw not found');
    const run = await runChild({
      command: bin.path,
      args: ['secrets', 'store', 'set', name, '--kind', 'secret', '--value-file', '-'],
      env: openclawEnv(ctx),
      cwd: ctx.location.configDir,
      stdin: value,
      timeoutMs: ctx.timeoutMs,
      redact: [value],
    });
    if (run.spawnError) throw new BackendStepError('store', `openclaw could not be started (${run.spawnError})`);
    if (run.timedOut)
      throw new BackendStepError('store', `openclaw secrets store set did not finish within ${ctx.timeoutMs} ms`);
    if (run.exitCode !== 0) {
      const why = reasonFrom(run.stderr, run.stdout);
      throw new BackendStepError(
        'store',
        `openclaw secrets store set exited with code ${run.exitCode ?? run.signal}${why ? `: ${why}` : ''}`,
      );
    }
  },
};
