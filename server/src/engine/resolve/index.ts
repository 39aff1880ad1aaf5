// resolveRefs: deduplicate refs, group them by `source:provider`, resolve up to 4 groups at a time
// (one exec process per provider per batch), and answer one outcome per ref key. Never logs a value.
import {
  DEFAULTS,
  defaultProviderAlias,
  hasImplicitDefaultProvider,
  isValidEnvId,
  isValidFileId,
  isValidProviderAlias,
  secretRefKey,
  validateExecId,
  type ExecProviderConfig,
  type ProviderConfig,
  type SecretRef,
} from '../refs/secretRef';
import { displayString } from '../config/jsonValue';
import { expandProviderPath } from './pathSecurity';
import { resolveEnvRefs } from './envResolver';
import { resolveFileRefs } from './fileResolver';
import { resolveExecBatch } from './execResolver';
import { lazyStoreLoader, resolveStoreRefs } from './storeResolver';
import { pluginIntegrationError } from './pluginIntegration';
import type { SecretStoreSnapshot } from '../store/secretStore';
import {
  SecretResolutionError,
  type ProviderBatchResult,
  type RefOutcome,
  type ResolutionLimits,
  type ResolveOptions,
  type SecretsProvidersInput,
} from './types';

export { SecretResolutionError } from './types';
export type { RefOutcome, ResolveOptions, SecretsProvidersInput, SecretErrorCode, SecretLimit } from './types';
export { checkSecurePath } from './pathSecurity';
export { readJsonPointer } from './jsonPointer';

/** 9.6 re-runs a failed exec batch one id per process, at most this many at once. */
const PER_ID_RERUN_CONCURRENCY = 8;

/** Values OpenClaw treats as a redaction placeholder, never as a credential. */
const REDACTED_PLACEHOLDERS = new Set([
  '__OPENCLAW_REDACTED__',
  'REDACTED',
  'xoxb-REDACTED',
  'xapp-REDACTED',
  '***',
  '[redacted]',
  '[REDACTED]',
  '<redacted>',
  '[REDACTED_PRIVATE_KEY]',
  '[REDACTED CREDENTIAL]',
]);

export function isRedactedPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && REDACTED_PLACEHOLDERS.has(value.trim());
}

export type ProviderLookup =
  { ok: true; alias: string; config: ProviderConfig } | { ok: false; error: SecretResolutionError };

function configuredProvider(input: SecretsProvidersInput, alias: string): ProviderConfig | undefined {
  // Own keys only: an alias such as `constructor` must not find Object.prototype's.
  const providers = input.providers ?? {};
  return Object.hasOwn(providers, alias) ? providers[alias] : undefined;
}

/**
 * The provider a ref goes to. 9.6's implicit env and store providers: an env (store) ref whose alias is
 * that source's default alias uses the built-in reader unless a provider of that alias and source is configured.
 */
export function resolveProviderFor(ref: SecretRef, input: SecretsProvidersInput): ProviderLookup {
  const config = configuredProvider(input, ref.provider);
  const refKey = secretRefKey(ref);
  if (
    hasImplicitDefaultProvider(ref.source) &&
    config?.source !== ref.source &&
    ref.provider === defaultProviderAlias(input.defaults, ref.source)
  ) {
    return { ok: true, alias: ref.provider, config: { source: ref.source } };
  }
  const invalid = config ? undefined : input.invalidProviders?.get(ref.provider);
  if (invalid !== undefined) {
    return {
      ok: false,
      error: new SecretResolutionError(`Secret provider "${ref.provider}" is invalid: ${invalid}`, {
        code: 'SECRET_PROVIDER_INVALID',
        scope: 'provider',
        refKey,
        provider: ref.provider,
      }),
    };
  }
  if (!config) {
    return {
      ok: false,
      error: new SecretResolutionError(`Secret provider "${ref.provider}" is not configured (ref: ${refKey}).`, {
        code: 'SECRET_PROVIDER_NOT_CONFIGURED',
        scope: 'provider',
        refKey,
        provider: ref.provider,
      }),
    };
  }
  if (config.source !== ref.source) {
    return {
      ok: false,
      error: new SecretResolutionError(
        `Secret provider "${ref.provider}" has source "${displayString(config.source)}" but ref requests "${ref.source}".`,
        {
          code: 'SECRET_PROVIDER_INVALID',
          scope: 'provider',
          refKey,
          provider: ref.provider,
        },
      ),
    };
  }
  return { ok: true, alias: ref.provider, config };
}

/** The absolute commands a resolve with consent would run, in first-use order (for the consent dialog). */
export function listExecCommands(
  refs: readonly SecretRef[],
  input: SecretsProvidersInput,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const commands = new Set<string>();
  for (const ref of refs) {
    if (ref.source !== 'exec') continue;
    const found = resolveProviderFor(ref, input);
    if (!found.ok || found.config.source !== 'exec' || found.config.command === undefined) continue;
    commands.add(expandProviderPath(found.config.command, env) ?? found.config.command);
  }
  return [...commands];
}

/** 9.6's id check before grouping; the message names the ref key, never a value. */
function refIdProblem(ref: SecretRef, id: string): string | undefined {
  const label = `${ref.source}:${ref.provider}:${id}`;
  if (!id) return 'Secret reference id is empty.';
  if (!isValidProviderAlias(ref.provider))
    return `Secret reference provider must match /^[a-z][a-z0-9_-]{0,63}$/ (ref: ${label}).`;
  if (ref.source === 'env' && !isValidEnvId(id))
    return `Env secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (ref: ${label}).`;
  if (ref.source === 'store' && !isValidEnvId(id))
    return `Store secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (ref: ${label}).`;
  if (ref.source === 'file' && !isValidFileId(id))
    return `File secret reference id must be an absolute JSON pointer or "value" (ref: ${label}).`;
  if (ref.source === 'exec' && !validateExecId(id).ok) {
    return `Exec secret reference id must match /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/ and must not include "." or ".." path segments (example: "vault/openai/api-key" or "aws/secret#json_key"). (ref: ${label}).`;
  }
  return undefined;
}

/** Run tasks with at most `limit` in flight; results in task order. */
export async function runWithConcurrency<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

interface PendingRef {
  key: string;
  ref: SecretRef;
  /** the trimmed id the provider is asked for */
  id: string;
}

interface Group {
  source: SecretRef['source'];
  alias: string;
  refs: PendingRef[];
  /** some refs of this provider had invalid ids: 9.6 then resolves the valid ones one process each */
  hadInvalidIds: boolean;
}

function limitsFrom(opts: ResolveOptions): ResolutionLimits {
  return {
    maxProviderConcurrency: opts.limits?.maxProviderConcurrency ?? DEFAULTS.maxProviderConcurrency,
    maxRefsPerProvider: opts.limits?.maxRefsPerProvider ?? DEFAULTS.maxRefsPerProvider,
    maxBatchBytes: opts.limits?.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
  };
}

function withRefKey(err: SecretResolutionError, refKey: string): SecretResolutionError {
  if (err.refKey === refKey) return err;
  return new SecretResolutionError(err.message, {
    code: err.code,
    scope: err.scope,
    refKey,
    provider: err.provider,
    limit: err.limit,
  });
}

function asResolutionError(err: unknown, alias: string): SecretResolutionError {
  if (err instanceof SecretResolutionError) return err;
  // Unknown failures keep only their class name: a raw message could quote provider output.
  const name = err instanceof Error ? err.name : 'Error';
  return new SecretResolutionError(`Secret provider "${alias}" failed unexpectedly (${name}).`, {
    code: 'SECRET_PROVIDER_UNAVAILABLE',
    scope: 'provider',
    provider: alias,
  });
}

/**
 * Resolve every ref; the map's key is `secretRefKey(ref)`. Values are returned raw (callers check the type).
 * Exec refs without `opts.allowExec` are not run: they come back `skipped` with SECRET_EXEC_SKIPPED, or with
 * their static error (provider not configured, source mismatch, invalid id), as 9.6's audit reports them.
 */
export async function resolveRefs(
  refs: readonly SecretRef[],
  input: SecretsProvidersInput,
  opts: ResolveOptions,
): Promise<Map<string, RefOutcome>> {
  const env = opts.env ?? process.env;
  const limits = limitsFrom(opts);
  const secretStore = opts.secretStore ?? lazyStoreLoader(env, opts.stateDir);
  const outcomes = new Map<string, RefOutcome>();
  const groups = new Map<string, Group>();
  const fail = (p: PendingRef, error: SecretResolutionError, elapsedMs: number, skipped = false) => {
    // A store this runtime cannot read leaves its refs unchecked, like exec refs without consent.
    const notChecked = skipped || error.code === 'SECRET_STORE_UNCHECKED';
    outcomes.set(p.key, {
      ok: false,
      ref: p.ref,
      error: withRefKey(error, p.key),
      elapsedMs,
      ...(notChecked ? { skipped: true } : {}),
    });
  };
  const skippedExec = (ref: SecretRef) => ref.source === 'exec' && !opts.allowExec;

  const seen = new Set<string>();
  for (const ref of refs) {
    const key = secretRefKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const id = ref.id.trim();
    const groupKey = `${ref.source}:${ref.provider}`;
    let group = groups.get(groupKey);
    if (!group)
      groups.set(groupKey, (group = { source: ref.source, alias: ref.provider, refs: [], hadInvalidIds: false }));
    const problem = refIdProblem(ref, id);
    if (problem) {
      group.hadInvalidIds = true;
      fail(
        { key, ref, id },
        new SecretResolutionError(problem, {
          code: 'SECRET_REF_INVALID',
          scope: 'ref',
          refKey: key,
          provider: ref.provider,
        }),
        0,
        skippedExec(ref),
      );
      continue;
    }
    group.refs.push({ key, ref, id });
  }

  // Providers that run a program start first (within the same concurrency limit): their processes then run
  // while env, file and store refs resolve here, instead of after them. Outcomes do not depend on the order.
  const runsProgram = (g: Group) => (g.source === 'exec' ? 0 : 1);
  const tasks = [...groups.values()]
    .filter((g) => g.refs.length > 0)
    .sort((a, b) => runsProgram(a) - runsProgram(b))
    .map((group) => async () => {
      const started = Date.now();
      const first = group.refs[0];
      const found = resolveProviderFor(first.ref, input);
      if (!found.ok) {
        for (const p of group.refs) fail(p, found.error, 0, skippedExec(p.ref));
        return;
      }
      if (group.source === 'exec' && !opts.allowExec) {
        for (const p of group.refs) {
          const skipped = new SecretResolutionError(
            `Exec provider "${group.alias}" was not run: exec needs consent (--allow-exec).`,
            {
              code: 'SECRET_EXEC_SKIPPED',
              scope: 'ref',
              refKey: p.key,
              provider: group.alias,
            },
          );
          fail(p, skipped, 0, true);
        }
        return;
      }
      if (group.refs.length > limits.maxRefsPerProvider) {
        const tooMany = new SecretResolutionError(
          `Secret provider "${group.alias}" exceeded maxRefsPerProvider (${limits.maxRefsPerProvider}).`,
          {
            code: 'SECRET_PROVIDER_INVALID',
            scope: 'provider',
            provider: group.alias,
            limit: 'maxRefsPerProvider',
          },
        );
        for (const p of group.refs) fail(p, tooMany, 0);
        return;
      }
      await resolveGroup(group, found.config, {
        env,
        limits,
        opts,
        secretStore,
        started,
        record: (p, r) => outcomes.set(p.key, r),
        fail,
      });
    });
  await runWithConcurrency(tasks, limits.maxProviderConcurrency);
  return outcomes;
}

interface GroupContext {
  env: NodeJS.ProcessEnv;
  limits: ResolutionLimits;
  opts: ResolveOptions;
  secretStore: () => Promise<SecretStoreSnapshot>;
  started: number;
  record: (p: PendingRef, outcome: RefOutcome) => void;
  fail: (p: PendingRef, error: SecretResolutionError, elapsedMs: number) => void;
}

async function runProvider(
  group: Group,
  config: ProviderConfig,
  ids: readonly string[],
  ctx: GroupContext,
): Promise<ProviderBatchResult> {
  switch (config.source) {
    case 'env':
      return resolveEnvRefs(group.alias, config, ids, ctx.env);
    case 'file':
      return resolveFileRefs(group.alias, config, ids, ctx.env);
    case 'store':
      return resolveStoreRefs(group.alias, ids, await ctx.secretStore());
    case 'exec':
      // A plugin-managed provider's command lives in the plugin's manifest, which only OpenClaw loads.
      if (config.pluginIntegration)
        throw pluginIntegrationError(group.alias, config.pluginIntegration, ctx.opts.stateDir, ctx.env);
      return resolveExecBatch(group.alias, config as ExecProviderConfig, ids, {
        env: ctx.env,
        maxBatchBytes: ctx.limits.maxBatchBytes,
        onSpawn: ctx.opts.onExecSpawn,
        signal: ctx.opts.signal,
      });
  }
}

function settle(
  group: Group,
  refs: readonly PendingRef[],
  batch: ProviderBatchResult,
  elapsedMs: number,
  ctx: GroupContext,
): void {
  for (const p of refs) {
    const refError = batch.refErrors.get(p.id);
    if (refError) {
      ctx.fail(p, refError, elapsedMs);
      continue;
    }
    if (!batch.values.has(p.id)) {
      ctx.fail(
        p,
        new SecretResolutionError(`Secret provider "${group.alias}" did not return id "${p.id}".`, {
          code: 'SECRET_REF_PROVIDER_ERROR',
          scope: 'ref',
          provider: group.alias,
        }),
        elapsedMs,
      );
      continue;
    }
    const value = batch.values.get(p.id);
    if (isRedactedPlaceholder(value)) {
      ctx.fail(
        p,
        new SecretResolutionError(
          `Secret reference "${p.key}" resolves to a redaction placeholder. Run openclaw doctor --fix to repair a store-backed Gateway token; supply a real credential for other secrets.`,
          { code: 'SECRET_REF_REDACTED_VALUE', scope: 'ref', provider: group.alias },
        ),
        elapsedMs,
      );
      continue;
    }
    ctx.record(p, { ok: true, ref: p.ref, value, elapsedMs });
  }
}

async function resolveGroup(group: Group, config: ProviderConfig, ctx: GroupContext): Promise<void> {
  const ids = [...new Set(group.refs.map((p) => p.id))];
  // 9.6 never runs the batch when an id was invalid: it goes straight to one process per valid id.
  if (!(config.source === 'exec' && group.hadInvalidIds)) {
    let batch: ProviderBatchResult;
    try {
      batch = await runProvider(group, config, ids, ctx);
    } catch (err) {
      // A provider-wide failure (timeout, command path, exit code, bad response) is final: no re-run.
      const error = asResolutionError(err, group.alias);
      for (const p of group.refs) ctx.fail(p, error, Date.now() - ctx.started);
      return;
    }
    if (config.source !== 'exec' || batch.refErrors.size === 0) {
      settle(group, group.refs, batch, Date.now() - ctx.started, ctx);
      return;
    }
  }
  // Per-id errors from an exec batch: 9.6 re-runs every id in its own process and keeps those answers.
  const reruns = ids.map((id) => async () => {
    const started = Date.now();
    const refs = group.refs.filter((p) => p.id === id);
    try {
      const batch = await runProvider(group, config, [id], ctx);
      settle(group, refs, batch, Date.now() - started, ctx);
    } catch (err) {
      const error = asResolutionError(err, group.alias);
      for (const p of refs) ctx.fail(p, error, Date.now() - started);
    }
  });
  await runWithConcurrency(reruns, PER_ID_RERUN_CONCURRENCY);
}
