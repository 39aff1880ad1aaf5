// Store refs: names looked up in one read-only snapshot of the shared secret store. 2026.9.6's answers:
// a missing name is per-ref ("was not found"), an unreadable database fails the whole provider.
import { openSecretStore, WITHHELD, type SecretStoreSnapshot } from '../store/secretStore';
import { locateConfig } from '../config/configLocation';
import { SecretResolutionError, type ProviderBatchResult } from './types';

export function storeNotFoundMessage(name: string): string {
  return `Secret store entry "${name}" was not found.`;
}

/** One batch for a store provider alias; throws a provider-scoped error when the store cannot be read. */
export function resolveStoreRefs(
  alias: string,
  ids: readonly string[],
  store: SecretStoreSnapshot,
): ProviderBatchResult {
  if (store.problem) {
    const unchecked = store.via === 'none';
    throw new SecretResolutionError(store.problem, {
      code: unchecked ? 'SECRET_STORE_UNCHECKED' : 'SECRET_PROVIDER_UNAVAILABLE',
      scope: 'provider',
      provider: alias,
    });
  }
  const values = new Map<string, unknown>();
  const refErrors = new Map<string, SecretResolutionError>();
  for (const id of ids) {
    const value = store.valueFor(id);
    if (value === undefined) {
      refErrors.set(
        id,
        new SecretResolutionError(storeNotFoundMessage(id), {
          code: 'SECRET_REF_NOT_FOUND',
          scope: 'ref',
          refKey: `store:${alias}:${id}`,
          provider: alias,
        }),
      );
      continue;
    }
    values.set(id, value === WITHHELD ? WITHHELD : value);
  }
  return { values, refErrors };
}

/** A memoized loader: the store is read at most once per resolve run, and only if a store ref needs it. */
export function lazyStoreLoader(env: NodeJS.ProcessEnv, stateDir?: string): () => Promise<SecretStoreSnapshot> {
  let pending: Promise<SecretStoreSnapshot> | undefined;
  return () => (pending ??= openSecretStore({ stateDir: stateDir ?? locateConfig(env).stateDir, env }));
}
