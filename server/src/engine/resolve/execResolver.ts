// Exec provider: run the configured command (no shell, fixed argv, minimal env, cwd = its folder),
// send the protocol v1 request on stdin, and read `{protocolVersion:1, values, errors?}` from stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ExecProviderConfig } from '../refs/secretRef';
import { checkSecurePath } from './pathSecurity';
import { execProviderSettings, type ExecProviderSettings } from './providerSettings';
import { SecretResolutionError, type ProviderBatchResult, type SecretLimit } from './types';
import { isRecord } from '../config/jsonValue';
import { childStdioIdentities, killPipeHolders, killProcessGroup } from './resolverReaper';

/** Per-id error codes 9.6 echoes; any other code (or free text) from a resolver could carry a secret. */
const SAFE_EXEC_ERROR_CODES = new Set(['NOT_FOUND', 'AMBIGUOUS_DUPLICATE_KEY']);

export interface ExecBatchOptions {
  env: NodeJS.ProcessEnv;
  maxBatchBytes: number;
  onSpawn?: (providerAlias: string, ids: readonly string[]) => void;
  signal?: AbortSignal;
}

type Termination = 'exit' | 'timeout' | 'no-output-timeout' | 'output-limit' | 'aborted' | 'spawn-error';

interface ProcessOutcome {
  termination: Termination;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  stdout: string;
  spawnErrorCode?: string;
}

function providerError(
  alias: string,
  message: string,
  limit?: SecretLimit,
  code: 'SECRET_PROVIDER_UNAVAILABLE' | 'SECRET_PROVIDER_INVALID' = 'SECRET_PROVIDER_UNAVAILABLE',
): SecretResolutionError {
  return new SecretResolutionError(message, { code, scope: 'provider', provider: alias, limit });
}

/** The protocol v1 request, compact JSON with no trailing newline. */
export function execRequestJson(alias: string, ids: readonly string[]): string {
  return JSON.stringify({ protocolVersion: 1, provider: alias, ids });
}

/**
 * The child's whole environment: the passEnv names present in `env`, then the literal `env` map.
 * 9.6 also sets OPENCLAW_CLI=1 (checked with the oracle: a resolver saw LIT, OPENCLAW_CLI and its passEnv
 * name only, no PATH or HOME); we set it too so resolvers that key on it behave the same.
 */
export function execChildEnv(
  config: Pick<ExecProviderConfig, 'passEnv' | 'env'>,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  // Null prototype: a passEnv or env name such as `__proto__` is a plain variable name, never a setter.
  const child: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of config.passEnv ?? []) {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value !== undefined) child[name] = value;
  }
  for (const [name, value] of Object.entries(config.env ?? {})) child[name] = value;
  child.OPENCLAW_CLI = '1';
  return child;
}

// Detached children outlive us unless killed: if this process exits mid-resolve, take their groups down too.
const runningGroups = new Set<number>();
let exitHookInstalled = false;
function trackRunning(pid: number | undefined): void {
  if (pid === undefined) return;
  runningGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of runningGroups) killProcessGroup(running);
  });
}

/** After SIGKILL the child is gone within moments; this only caps the wait for its exit status. */
const EXIT_AFTER_KILL_CAP_MS = 1000;
/** Pipes of an exited resolver normally close at once; still open after this, someone outside its group holds them. */
const HOLDER_SCAN_DELAY_MS = 50;

async function runResolverProcess(
  command: string,
  settings: ExecProviderSettings,
  childEnv: Record<string, string>,
  input: string,
  signal?: AbortSignal,
): Promise<ProcessOutcome> {
  let child: ChildProcess;
  try {
    child = spawn(command, settings.args, {
      cwd: path.dirname(command),
      env: childEnv,
      shell: false,
      windowsHide: true,
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      termination: 'spawn-error',
      exitCode: null,
      exitSignal: null,
      stdout: '',
      spawnErrorCode: typeof code === 'string' ? code : undefined,
    };
  }
  const pid = child.pid;
  trackRunning(pid);
  // The child's stdio ends: a grandchild that left the group (setsid) is found by holding one of these.
  const pipes = new Set<string>();
  const learnPipes = () => {
    for (const id of childStdioIdentities(pid)) pipes.add(id);
  };

  return new Promise<ProcessOutcome>((resolve) => {
    let termination: Termination | undefined;
    let spawnErrorCode: string | undefined;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let exited = false;
    let openStreams = 2;
    let settled = false;
    const stdoutChunks: Buffer[] = [];
    let outputBytes = 0;
    let exitCap: NodeJS.Timeout | undefined;
    let holderScan: NodeJS.Timeout | undefined;

    const reap = () => {
      killProcessGroup(pid);
      killPipeHolders(pipes);
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      clearTimeout(silence);
      if (exitCap) clearTimeout(exitCap);
      if (holderScan) clearTimeout(holderScan);
      signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) runningGroups.delete(pid);
      if (spawnErrorCode !== undefined || (pid === undefined && !termination)) {
        resolve({ termination: 'spawn-error', exitCode: null, exitSignal: null, stdout: '', spawnErrorCode });
        return;
      }
      resolve({
        termination: termination ?? 'exit',
        exitCode,
        exitSignal,
        stdout: termination ? '' : Buffer.concat(stdoutChunks).toString('utf8'),
      });
    };
    const maybeFinish = () => {
      if (exited && (openStreams === 0 || termination)) finish();
    };
    // A limit fired: stop reading at once, kill the group and whoever holds our pipes, answer once the child is reaped.
    const stop = (why: Termination) => {
      if (termination || settled) return;
      termination = why;
      if (!exited) learnPipes();
      child.stdout?.destroy();
      child.stderr?.destroy();
      reap();
      exitCap = setTimeout(finish, EXIT_AFTER_KILL_CAP_MS);
      maybeFinish();
    };

    const overall = setTimeout(() => stop('timeout'), settings.timeoutMs);
    let silence = setTimeout(() => stop('no-output-timeout'), settings.noOutputTimeoutMs);
    let heardFrom = false;
    const onChunk = (chunk: Buffer, keep: boolean) => {
      if (termination) return;
      if (!heardFrom) {
        // It writes, so its stdio is set up: read its ends now, while it runs (never after exit: its pid may be reused).
        heardFrom = true;
        if (!exited) learnPipes();
      }
      clearTimeout(silence);
      silence = setTimeout(() => stop('no-output-timeout'), settings.noOutputTimeoutMs);
      outputBytes += chunk.length;
      // stdout and stderr count together against the cap; stderr itself is never kept or shown.
      if (outputBytes > settings.maxOutputBytes) return stop('output-limit');
      if (keep) stdoutChunks.push(chunk);
    };
    const onStreamClosed = () => {
      openStreams--;
      maybeFinish();
    };
    child.stdout?.on('data', (c: Buffer) => onChunk(c, true));
    child.stderr?.on('data', (c: Buffer) => onChunk(c, false));
    child.stdout?.on('close', onStreamClosed);
    child.stderr?.on('close', onStreamClosed);
    child.stdout?.on('error', () => undefined);
    child.stderr?.on('error', () => undefined);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (pid !== undefined) return; // kill errors after a successful start change nothing
      spawnErrorCode = typeof err.code === 'string' ? err.code : undefined;
      exited = true;
      openStreams = 0;
      finish();
    });
    child.once('spawn', learnPipes);
    child.on('exit', (code, sig) => {
      exited = true;
      exitCode = code;
      exitSignal = sig;
      // The resolver is done: what it left in its group (nohup, double fork) goes now; if its pipes still
      // do not close, a setsid'd holder keeps them: find it through /proc (a scan costs tens of ms, so only then).
      killProcessGroup(pid);
      if (openStreams > 0 && !termination) holderScan = setTimeout(() => killPipeHolders(pipes), HOLDER_SCAN_DELAY_MS);
      maybeFinish();
    });
    const onAbort = () => stop('aborted');
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    // A resolver that exits without reading stdin gives EPIPE: ignored, as 9.6 does.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** Parse a resolver's stdout per protocol v1; provider-wide problems throw, per-id ones are returned. */
export function parseExecResponse(
  alias: string,
  ids: readonly string[],
  stdout: string,
  jsonOnly: boolean,
): ProviderBatchResult {
  const values = new Map<string, unknown>();
  const refErrors = new Map<string, SecretResolutionError>();
  const trimmed = stdout.trim();
  if (!trimmed) throw providerError(alias, `Exec provider "${alias}" returned empty stdout.`);
  const plainAllowed = !jsonOnly && ids.length === 1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (plainAllowed) {
      values.set(ids[0], trimmed);
      return { values, refErrors };
    }
    throw providerError(alias, `Exec provider "${alias}" returned invalid JSON.`);
  }
  if (!isRecord(parsed)) {
    if (plainAllowed && typeof parsed === 'string') {
      values.set(ids[0], parsed);
      return { values, refErrors };
    }
    throw providerError(alias, `Exec provider "${alias}" response must be an object.`);
  }
  if (parsed.protocolVersion !== 1) throw providerError(alias, `Exec provider "${alias}" protocolVersion must be 1.`);
  const responseValues = parsed.values;
  if (!isRecord(responseValues)) throw providerError(alias, `Exec provider "${alias}" response missing "values".`);
  const responseErrors = isRecord(parsed.errors) ? parsed.errors : undefined;
  for (const id of ids) {
    const refKey = `exec:${alias}:${id}`;
    if (responseErrors && Object.hasOwn(responseErrors, id)) {
      const entry = responseErrors[id];
      const code =
        isRecord(entry) && typeof entry.code === 'string' && SAFE_EXEC_ERROR_CODES.has(entry.code)
          ? entry.code
          : undefined;
      refErrors.set(
        id,
        new SecretResolutionError(`Exec provider "${alias}" failed for id "${id}"${code ? ` (${code})` : ''}.`, {
          code: code === 'NOT_FOUND' ? 'SECRET_REF_NOT_FOUND' : 'SECRET_REF_PROVIDER_ERROR',
          scope: 'ref',
          refKey,
          provider: alias,
        }),
      );
      continue;
    }
    if (!Object.hasOwn(responseValues, id)) {
      refErrors.set(
        id,
        new SecretResolutionError(`Exec provider "${alias}" response missing id "${id}".`, {
          code: 'SECRET_REF_NOT_FOUND',
          scope: 'ref',
          refKey,
          provider: alias,
        }),
      );
      continue;
    }
    values.set(id, responseValues[id]);
  }
  return { values, refErrors };
}

/**
 * One resolver process for `ids` (already unique). Throws a provider-scoped SecretResolutionError for
 * failures of the whole call (path checks, request size, timeouts, output cap, exit code, bad response).
 */
export async function resolveExecBatch(
  alias: string,
  config: ExecProviderConfig,
  ids: readonly string[],
  opts: ExecBatchOptions,
): Promise<ProviderBatchResult> {
  const settings = execProviderSettings(config);
  // pluginIntegration providers have no command of their own (resolve/pluginIntegration.ts answers for them).
  if (config.command === undefined) throw providerError(alias, `Exec provider "${alias}" has no command.`);
  const checked = await checkSecurePath(`secrets.providers.${alias}.command`, config.command, 'exec', {
    trustedDirs: config.trustedDirs,
    env: opts.env,
    provider: alias,
  });
  if (!checked.ok) throw checked.error;
  const input = execRequestJson(alias, ids);
  if (Buffer.byteLength(input, 'utf8') > opts.maxBatchBytes) {
    throw providerError(
      alias,
      `Exec provider "${alias}" request exceeded maxBatchBytes (${opts.maxBatchBytes}).`,
      'maxBatchBytes',
      'SECRET_PROVIDER_INVALID',
    );
  }
  opts.onSpawn?.(alias, ids);
  const outcome = await runResolverProcess(checked.path, settings, execChildEnv(config, opts.env), input, opts.signal);
  switch (outcome.termination) {
    case 'timeout':
      throw providerError(alias, `Exec provider "${alias}" timed out after ${settings.timeoutMs}ms.`, 'timeoutMs');
    case 'no-output-timeout':
      throw providerError(
        alias,
        `Exec provider "${alias}" produced no output for ${settings.noOutputTimeoutMs}ms.`,
        'noOutputTimeoutMs',
      );
    case 'output-limit':
      throw providerError(
        alias,
        `Exec provider "${alias}" output exceeded maxOutputBytes (${settings.maxOutputBytes}).`,
        'maxOutputBytes',
      );
    case 'aborted':
      throw providerError(alias, `Exec provider "${alias}" was cancelled.`);
    case 'spawn-error':
      throw providerError(
        alias,
        `Exec provider "${alias}" could not be started${outcome.spawnErrorCode ? ` (${outcome.spawnErrorCode})` : ''}.`,
      );
    case 'exit':
      break;
  }
  if (outcome.exitSignal) throw providerError(alias, `Exec provider "${alias}" was killed by ${outcome.exitSignal}.`);
  if (outcome.exitCode !== 0)
    throw providerError(alias, `Exec provider "${alias}" exited with code ${String(outcome.exitCode)}.`);
  return parseExecResponse(alias, ids, outcome.stdout, settings.jsonOnly);
}
