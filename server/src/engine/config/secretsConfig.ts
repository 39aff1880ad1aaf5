// The one reader of a config's `secrets` block: every provider is checked once by the zod schema; a provider
// that fails is kept out of the typed map and remembered with the schema's message, so a resolve through it
// reports that message instead of failing on a wrong type later.
import { isRecord } from './jsonValue';
import { schemaProblems, SECRET_SOURCES, type ProviderConfig, type SecretDefaults } from '../refs/secretRef';
import { formatConfigPath } from '../targets/targetRegistry';
import { isWellFormedProvider, secretRefSchemas } from '../refs/wellFormedSecrets';

export interface SecretsConfigInput {
  /** providers that pass the schema, by alias (no prototype: an alias such as `constructor` finds nothing) */
  providers: Record<string, ProviderConfig>;
  defaults?: SecretDefaults;
  /** alias -> the schema's message for a declared provider that fails it */
  invalidProviders?: ReadonlyMap<string, string>;
}

export interface SecretsConfigRead extends SecretsConfigInput {
  defaults: SecretDefaults;
  invalidProviders: ReadonlyMap<string, string>;
  /** true when `secrets.providers` is an object (declared, possibly empty) */
  providersDeclared: boolean;
  /** every declared provider object as written, valid or not (for the editor's checks and completions) */
  declared: Record<string, Record<string, unknown>>;
}

/** Read `secrets` (the block itself, not the whole config). */
export function readSecretsConfig(secrets: unknown): SecretsConfigRead {
  const s = isRecord(secrets) ? secrets : {};
  const providers: Record<string, ProviderConfig> = Object.create(null);
  const declared: Record<string, Record<string, unknown>> = Object.create(null);
  const invalidProviders = new Map<string, string>();
  if (isRecord(s.providers)) {
    for (const [alias, raw] of Object.entries(s.providers)) {
      const base = ['secrets', 'providers', alias];
      if (isRecord(raw)) declared[alias] = raw;
      // The contract's predicate first: zod loads only for a provider it refuses (to word the problem).
      if (isWellFormedProvider(raw)) {
        providers[alias] = raw as ProviderConfig;
        continue;
      }
      const parsed = secretRefSchemas().providerSchema.safeParse(raw);
      if (parsed.success) providers[alias] = parsed.data;
      else
        invalidProviders.set(
          alias,
          schemaProblems(parsed.error, base)
            .map((p) => `${formatConfigPath(p.path)}: ${p.message}`)
            .join('; '),
        );
    }
  }
  const d = isRecord(s.defaults) ? s.defaults : {};
  const defaults: SecretDefaults = Object.create(null);
  for (const src of SECRET_SOURCES) if (typeof d[src] === 'string') defaults[src] = d[src] as string;
  return { providers, defaults, invalidProviders, providersDeclared: isRecord(s.providers), declared };
}

/** The same, from a whole parsed openclaw.json. */
export function readConfigSecrets(config: unknown): SecretsConfigRead {
  return readSecretsConfig(isRecord(config) ? config.secrets : undefined);
}
