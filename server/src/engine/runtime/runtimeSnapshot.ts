// The secrets runtime: prepare a snapshot of every resolved credential (all errors listed, nothing
// activated on failure), activate it, and reload as an atomic swap that keeps the last-known-good
// snapshot and reports degraded / recovered, as OpenClaw's gateway does. Values stay in memory only.
import { describeError } from '../../../../shared/src/errors';
import { inspect } from 'node:util';
import { maskValue, type MaskedValue } from './fingerprint';
import { secretRefKey, type SecretRef } from '../refs/secretRef';
import { resolveRefs } from '../resolve';
import { SecretResolutionError, type ResolveOptions, type SecretsProvidersInput } from '../resolve/types';
import { isNonEmptyString, isRecord } from '../config/jsonValue';

export type ExpectedValue = 'string' | 'string-or-object';

export interface SecretAssignment {
  /** dotted config path of the credential, e.g. `models.providers.openai.apiKey` */
  path: string;
  ref: SecretRef;
  expected: ExpectedValue;
}

export interface SnapshotWarning {
  code: string;
  path: string;
  message: string;
}

export interface SnapshotError {
  path: string;
  refKey: string;
  code: string;
  message: string;
}

export type PrepareResult = { ok: true; snapshot: SecretsSnapshot } | { ok: false; errors: SnapshotError[] };

/** Code for a value of the wrong type (a number, an empty string, an object where a string is needed). */
export const VALUE_TYPE_ERROR_CODE = 'SECRET_VALUE_TYPE_MISMATCH';

/** OpenClaw's check of a resolved value against its target; returns the message when it fails. */
export function checkResolvedValue(path: string, value: unknown, expected: ExpectedValue): string | undefined {
  if (expected === 'string')
    return isNonEmptyString(value) ? undefined : `${path} resolved to a non-string or empty value.`;
  return isNonEmptyString(value) || isRecord(value) ? undefined : `${path} resolved to an unsupported value type.`;
}

export interface MaskedAssignment {
  path: string;
  refKey: string;
  masked: MaskedValue;
}

/** Resolved credentials by config path. Serialising or inspecting it shows masked views only. */
export class SecretsSnapshot {
  readonly #values: Map<string, unknown>;
  /** set on a copy made by withoutValues(): the masks of the values it no longer holds */
  #maskedOnly: MaskedAssignment[] | undefined;
  readonly preparedAt: number;

  constructor(
    readonly assignments: readonly SecretAssignment[],
    readonly input: SecretsProvidersInput,
    values: Map<string, unknown>,
    readonly warnings: readonly SnapshotWarning[] = [],
  ) {
    this.#values = new Map(values);
    this.preparedAt = Date.now();
  }

  /** The resolved value for a credential path: for in-process consumers only, never for display. */
  valueAt(path: string): unknown {
    return this.#values.get(path);
  }

  paths(): string[] {
    return [...this.#values.keys()];
  }

  /** The same snapshot holding no value: its masks, assignments and warnings only (for callers that never use values). */
  withoutValues(): SecretsSnapshot {
    const copy = new SecretsSnapshot(this.assignments, this.input, new Map(), this.warnings);
    copy.#maskedOnly = this.masked();
    return copy;
  }

  masked(): MaskedAssignment[] {
    if (this.#maskedOnly) return this.#maskedOnly;
    return this.assignments.map((a) => ({
      path: a.path,
      refKey: secretRefKey(a.ref),
      masked: maskValue(this.#values.get(a.path)),
    }));
  }

  toJSON(): { preparedAt: number; warnings: readonly SnapshotWarning[]; assignments: MaskedAssignment[] } {
    return { preparedAt: this.preparedAt, warnings: this.warnings, assignments: this.masked() };
  }

  [inspect.custom](): string {
    return `SecretsSnapshot(${this.#values.size} value(s), masked)`;
  }
}

/**
 * Resolve every assignment in one resolveRefs call and check each value's type. Any failure: no
 * snapshot, and every error is listed (path, ref key, code, message) rather than only the first.
 */
export async function prepareSecretsSnapshot(
  assignments: readonly SecretAssignment[],
  input: SecretsProvidersInput,
  opts: ResolveOptions,
  extra: { warnings?: readonly SnapshotWarning[] } = {},
): Promise<PrepareResult> {
  const outcomes = await resolveRefs(
    assignments.map((a) => a.ref),
    input,
    opts,
  );
  const errors: SnapshotError[] = [];
  const values = new Map<string, unknown>();
  for (const a of assignments) {
    const refKey = secretRefKey(a.ref);
    const outcome = outcomes.get(refKey);
    if (!outcome) {
      errors.push({
        path: a.path,
        refKey,
        code: 'SECRET_REF_PROVIDER_ERROR',
        message: `Secret reference "${refKey}" resolved to no value.`,
      });
      continue;
    }
    if (!outcome.ok) {
      errors.push({ path: a.path, refKey, code: outcome.error.code, message: outcome.error.message });
      continue;
    }
    const problem = checkResolvedValue(a.path, outcome.value, a.expected);
    if (problem) {
      errors.push({ path: a.path, refKey, code: VALUE_TYPE_ERROR_CODE, message: problem });
      continue;
    }
    values.set(a.path, outcome.value);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, snapshot: new SecretsSnapshot(assignments, input, values, extra.warnings ?? []) };
}

export type ReloadState = 'ok' | 'degraded' | 'recovered' | 'failed';

export interface ReloadOutcome {
  state: ReloadState;
  message: string;
  warningCount: number;
  /** set only when the signal should be raised: the first failure after healthy, or the first success after it */
  event?: 'SECRETS_RELOADER_DEGRADED' | 'SECRETS_RELOADER_RECOVERED';
  errors?: SnapshotError[];
}

export const RELOAD_MESSAGES = {
  notActive: 'Secrets runtime snapshot is not active.',
  recovered: 'Secret resolution recovered; runtime remained on last-known-good during the outage.',
  degradedPrefix: 'Secret resolution failed; runtime remains on last-known-good snapshot.',
} as const;

export function reloadedMessage(warningCount: number): string {
  return warningCount > 0 ? `Secrets reloaded with ${warningCount} warning(s).` : 'Secrets reloaded.';
}

function describeErrors(errors: readonly SnapshotError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}

/** Holds the active snapshot; activations and reloads run one at a time. */
export class SecretsRuntime {
  #active: SecretsSnapshot | undefined;
  #degraded = false;
  #queue: Promise<unknown> = Promise.resolve();

  activate(snapshot: SecretsSnapshot): void {
    this.#active = snapshot;
    this.#degraded = false;
  }

  active(): SecretsSnapshot | undefined {
    return this.#active;
  }

  clear(): void {
    this.#active = undefined;
    this.#degraded = false;
  }

  get degraded(): boolean {
    return this.#degraded;
  }

  /**
   * Re-prepare (the callback gets the active snapshot, whose assignments and providers it may reuse)
   * and swap only on success. A failure keeps the last-known-good snapshot.
   */
  reload(prepare: (active: SecretsSnapshot) => Promise<PrepareResult>): Promise<ReloadOutcome> {
    const run = this.#queue.then(() => this.#reloadNow(prepare));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reloadNow(prepare: (active: SecretsSnapshot) => Promise<PrepareResult>): Promise<ReloadOutcome> {
    const current = this.#active;
    if (!current) return { state: 'failed', message: RELOAD_MESSAGES.notActive, warningCount: 0 };
    let result: PrepareResult;
    try {
      result = await prepare(current);
    } catch (err) {
      // The one rule for what of an error may be shown (describeError); anything not ours by its class only.
      const { message } = describeError(err, 'secrets reload');
      result = {
        ok: false,
        errors: [
          {
            path: '<root>',
            refKey: err instanceof SecretResolutionError ? (err.refKey ?? '') : '',
            code: err instanceof SecretResolutionError ? err.code : 'SECRET_PROVIDER_UNAVAILABLE',
            message,
          },
        ],
      };
    }
    if (!result.ok) {
      const first = !this.#degraded;
      this.#degraded = true;
      return {
        state: 'degraded',
        message: `${RELOAD_MESSAGES.degradedPrefix} ${describeErrors(result.errors)}`,
        warningCount: current.warnings.length,
        errors: result.errors,
        ...(first ? { event: 'SECRETS_RELOADER_DEGRADED' as const } : {}),
      };
    }
    const wasDegraded = this.#degraded;
    this.#active = result.snapshot;
    this.#degraded = false;
    const warningCount = result.snapshot.warnings.length;
    if (wasDegraded)
      return {
        state: 'recovered',
        message: RELOAD_MESSAGES.recovered,
        warningCount,
        event: 'SECRETS_RELOADER_RECOVERED',
      };
    return { state: 'ok', message: reloadedMessage(warningCount), warningCount };
  }
}

/**
 * Reload for a caller that never reads values (the editor): the gateway's states (ok, failed, degraded,
 * recovered; last-known-good kept), but every snapshot is activated without its values.
 */
export async function reloadWithoutValues(
  runtime: SecretsRuntime,
  prepare: () => Promise<PrepareResult>,
): Promise<ReloadOutcome> {
  const masked = async (): Promise<PrepareResult> => {
    const result = await prepare();
    return result.ok ? { ok: true, snapshot: result.snapshot.withoutValues() } : result;
  };
  if (runtime.active()) return runtime.reload(masked);
  const first = await masked();
  if (!first.ok)
    return {
      state: 'failed',
      message: `Secret resolution failed; no snapshot is active. ${describeErrors(first.errors)}`,
      warningCount: 0,
      errors: first.errors,
    };
  runtime.activate(first.snapshot);
  return {
    state: 'ok',
    message: reloadedMessage(first.snapshot.warnings.length),
    warningCount: first.snapshot.warnings.length,
  };
}
