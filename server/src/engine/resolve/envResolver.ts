// Env provider: values from the resolver's env (not process.env when another env is given), untrimmed.
import type { EnvProviderConfig } from '../refs/secretRef';
import { SecretResolutionError, type ProviderBatchResult } from './types';
import { isNonEmptyString } from '../config/jsonValue';

export function resolveEnvRefs(
  alias: string,
  config: Pick<EnvProviderConfig, 'allowlist'>,
  ids: readonly string[],
  env: NodeJS.ProcessEnv,
): ProviderBatchResult {
  const values = new Map<string, unknown>();
  const refErrors = new Map<string, SecretResolutionError>();
  // An empty allowlist denies everything; no allowlist allows any name.
  const allowlist = config.allowlist ? new Set(config.allowlist) : undefined;
  for (const id of ids) {
    const refKey = `env:${alias}:${id}`;
    if (allowlist && !allowlist.has(id)) {
      refErrors.set(
        id,
        new SecretResolutionError(
          `Environment variable "${id}" is not allowlisted in secrets.providers.${alias}.allowlist.`,
          {
            code: 'SECRET_REF_POLICY_DENIED',
            scope: 'ref',
            refKey,
            provider: alias,
          },
        ),
      );
      continue;
    }
    const value = Object.hasOwn(env, id) ? env[id] : undefined;
    if (!isNonEmptyString(value)) {
      refErrors.set(
        id,
        new SecretResolutionError(`Environment variable "${id}" is missing or empty.`, {
          code: 'SECRET_REF_NOT_FOUND',
          scope: 'ref',
          refKey,
          provider: alias,
        }),
      );
      continue;
    }
    values.set(id, value);
  }
  return { values, refErrors };
}
