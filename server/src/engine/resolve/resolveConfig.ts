// Test-resolve every ref in one openclaw.json (the CLI's `resolve` and the editor's resolve request):
// per ref the path, ref key, ok or error code and message, elapsed ms, which limit fired and a
// masked view of the value. The value itself never leaves this module.
import { maskValue } from '../runtime/fingerprint';
import { checkResolvedValue, VALUE_TYPE_ERROR_CODE, type ExpectedValue } from '../runtime/runtimeSnapshot';
import { secretRefKey, type SecretRef } from '../refs/secretRef';
import { collectConfigRefs } from '../refs/configRefs';
import { readConfigSecrets } from '../config/secretsConfig';
import { listExecCommands, resolveRefs } from './index';
import type { RefOutcome, ResolvedRefResult, ResolveOptions } from './types';
import { WITHHELD } from '../store/secretStore';

export { collectConfigRefs, type ConfigRefUse } from '../refs/configRefs';

export interface ConfigResolveSummary {
  total: number;
  ok: number;
  unresolved: number;
  skippedExec: number;
  /** store refs this runtime could not check (no node:sqlite, no openclaw on PATH) */
  uncheckedStore: number;
}

export interface ConfigResolveReport {
  results: ResolvedRefResult[];
  summary: ConfigResolveSummary;
  /** absolute commands a resolve with consent runs */
  execCommands: string[];
}

/** One ref's outcome as the user may see it: status, code, message, time, limit, and a masked fingerprint. */
export function toResolvedRefResult(
  path: string,
  ref: SecretRef,
  outcome: RefOutcome | undefined,
  expected?: ExpectedValue,
): ResolvedRefResult {
  const refKey = secretRefKey(ref);
  if (!outcome)
    return {
      path,
      refKey,
      ok: false,
      code: 'SECRET_REF_PROVIDER_ERROR',
      message: `Secret reference "${refKey}" resolved to no value.`,
      elapsedMs: 0,
    };
  const elapsedMs = Math.round(outcome.elapsedMs);
  if (!outcome.ok) {
    return {
      path,
      refKey,
      ok: false,
      code: outcome.error.code,
      message: outcome.error.message,
      elapsedMs,
      ...(outcome.error.limit ? { limit: outcome.error.limit } : {}),
      ...(outcome.skipped ? { skipped: true } : {}),
    };
  }
  // A store secret seen by name only (openclaw CLI fallback): it exists; its value is not ours to see.
  if (outcome.value === WITHHELD) return { path, refKey, ok: true, elapsedMs, lengthClass: 'withheld' };
  // The value is checked for type, masked, then forgotten.
  const problem = expected ? checkResolvedValue(path, outcome.value, expected) : undefined;
  if (problem) return { path, refKey, ok: false, code: VALUE_TYPE_ERROR_CODE, message: problem, elapsedMs };
  const masked = maskValue(outcome.value);
  return {
    path,
    refKey,
    ok: true,
    elapsedMs,
    lengthClass: masked.lengthClass ?? masked.type,
    ...(masked.fingerprint ? { fingerprint: masked.fingerprint } : {}),
  };
}

/** Resolve every ref of a parsed config; one result per use (a ref used twice is resolved once). */
export async function resolveConfigRefs(config: unknown, opts: ResolveOptions): Promise<ConfigResolveReport> {
  const input = readConfigSecrets(config);
  const uses = collectConfigRefs(config);
  const outcomes = await resolveRefs(
    uses.map((u) => u.ref),
    input,
    opts,
  );
  const results = uses.map((use) =>
    toResolvedRefResult(use.path, use.ref, outcomes.get(secretRefKey(use.ref)), use.expected),
  );
  // A skipped exec ref with no static error is "not checked", not unresolved (as in OpenClaw's audit).
  const skippedExec = results.filter((r) => r.skipped && r.code !== 'SECRET_STORE_UNCHECKED').length;
  const uncheckedStore = results.filter((r) => r.skipped && r.code === 'SECRET_STORE_UNCHECKED').length;
  const unchecked = results.filter(
    (r) => r.skipped && (r.code === 'SECRET_EXEC_SKIPPED' || r.code === 'SECRET_STORE_UNCHECKED'),
  ).length;
  const ok = results.filter((r) => r.ok).length;
  return {
    results,
    summary: { total: results.length, ok, unresolved: results.length - ok - unchecked, skippedExec, uncheckedStore },
    execCommands: listExecCommands(
      uses.map((u) => u.ref),
      input,
      opts.env,
    ),
  };
}
