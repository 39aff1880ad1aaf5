// Dry-run resolution of a config's refs through the engine, and the last outcome per ref path (masked:
// fingerprint, length class, code, timing; never the value), which diagnostics and hovers show.
import { secretRefKey, type SecretSource } from '../engine/refs/secretRef';
import type { ConfigDocument } from '../engine/config/configDocument';
import type { CredentialConfigFile } from '../engine/targets/targetRegistry';
import { collectConfigRefs, type ConfigRefUse } from '../engine/refs/configRefs';
import { readSecretsConfig, type SecretsConfigRead } from '../engine/config/secretsConfig';
import { resolveRefs, listExecCommands } from '../engine/resolve/index';
import { mergeDotEnv } from '../engine/config/stateFiles';
import { toResolvedRefResult } from '../engine/resolve/resolveConfig';
import type { RefResolutionStatus } from '../engine/analyze/analyze';
import type { ResolvedRefResult, ResolveResult } from '../protocol';

/** Every ref of the document, by the engine's one rule (the CLI's resolve collects the same set). */
export function collectRefs(doc: ConfigDocument, file: CredentialConfigFile, secrets?: unknown): ConfigRefUse[] {
  if (!doc.root) return [];
  return collectConfigRefs(doc.value, file, secrets);
}

/** The env OpenClaw resolves with: its own environment, plus the config dir's `.env` (open buffer first) for unset names. */
export function resolutionEnv(base: NodeJS.ProcessEnv, dotEnvText: string | undefined): NodeJS.ProcessEnv {
  return mergeDotEnv(base, [dotEnvText]);
}

export function providersInput(secrets: unknown): SecretsConfigRead {
  return readSecretsConfig(secrets);
}

export interface DryRunOptions {
  env: NodeJS.ProcessEnv;
  allowExec: boolean;
  /** resolve only these sources (the automatic pass leaves exec alone) */
  sources?: ReadonlySet<SecretSource>;
  signal?: AbortSignal;
  /** the state dir whose secret store (`state/openclaw.sqlite`) store refs read */
  stateDir?: string;
}

/** Resolve refs and mask the outcomes (the same per-ref result the CLI's resolve prints). */
export async function dryRunRefs(
  refs: readonly ConfigRefUse[],
  secrets: unknown,
  opts: DryRunOptions,
): Promise<ResolvedRefResult[]> {
  const wanted = opts.sources ? refs.filter((r) => opts.sources!.has(r.ref.source)) : refs;
  if (!wanted.length) return [];
  const outcomes = await resolveRefs(
    wanted.map((r) => r.ref),
    providersInput(secrets),
    {
      env: opts.env,
      allowExec: opts.allowExec,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.stateDir ? { stateDir: opts.stateDir } : {}),
    },
  );
  return wanted.map((r) => toResolvedRefResult(r.path, r.ref, outcomes.get(secretRefKey(r.ref)), r.expected));
}

export function summarize(uri: string, results: ResolvedRefResult[], execCommands: string[]): ResolveResult {
  return {
    uri,
    results,
    okCount: results.filter((r) => r.ok).length,
    errorCount: results.filter((r) => !r.ok && !r.skipped).length,
    skippedExecCount: results.filter((r) => r.skipped).length,
    execCommands,
  };
}

export function execCommandsFor(refs: readonly ConfigRefUse[], secrets: unknown, env: NodeJS.ProcessEnv): string[] {
  return listExecCommands(
    refs.map((r) => r.ref),
    providersInput(secrets),
    env,
  );
}

/** Last outcome per document and ref path. */
export class ResolutionState {
  private readonly byDoc = new Map<string, Map<string, RefResolutionStatus>>();

  get(uri: string): ReadonlyMap<string, RefResolutionStatus> | undefined {
    return this.byDoc.get(uri);
  }

  /** Record results; returns true when something a diagnostic shows changed. */
  record(uri: string, results: readonly ResolvedRefResult[], at = new Date().toISOString()): boolean {
    let map = this.byDoc.get(uri);
    if (!map) this.byDoc.set(uri, (map = new Map()));
    let changed = false;
    for (const r of results) {
      // A skipped exec ref keeps whatever an earlier consented run found; an unreadable store replaces an old answer.
      if (r.skipped && r.code !== 'SECRET_STORE_UNCHECKED' && map.has(r.path)) continue;
      const prev = map.get(r.path);
      const next: RefResolutionStatus = {
        ok: r.ok,
        refKey: r.refKey,
        code: r.code,
        message: r.message,
        limit: r.limit,
        fingerprint: r.fingerprint,
        lengthClass: r.lengthClass,
        elapsedMs: r.elapsedMs,
        at,
        skipped: r.skipped,
      };
      if (
        !prev ||
        prev.ok !== next.ok ||
        prev.refKey !== next.refKey ||
        prev.message !== next.message ||
        prev.code !== next.code
      )
        changed = true;
      map.set(r.path, next);
    }
    return changed;
  }

  clear(uri: string): void {
    this.byDoc.delete(uri);
  }
}
