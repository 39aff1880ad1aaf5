// The SecretRef contract as OpenClaw 2026.9.6 enforces it (sources, id grammars, limits, messages), with no
// dependency at all, so the extension client checks ids by the very rules the engine's zod schema uses.

export interface SourceRule {
  /** OpenClaw's message when an id of this source breaks the rule */
  idMessage: string;
  isValidId(id: string): boolean;
}

export const PROVIDER_ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
export const ENV_ID_PATTERN = /^[A-Z][A-Z0-9_]{0,127}$/;
export const EXEC_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
const FILE_POINTER_SEGMENT = /^(?:[^~]|~0|~1)*$/;

export const DEFAULT_PROVIDER_ALIAS = 'default';

export function isValidProviderAlias(alias: string): boolean {
  return PROVIDER_ALIAS_PATTERN.test(alias);
}

export function isValidEnvId(id: string): boolean {
  return ENV_ID_PATTERN.test(id);
}

export function isValidFileId(id: string): boolean {
  if (id === 'value') return true;
  if (!id.startsWith('/')) return false;
  return id
    .slice(1)
    .split('/')
    .every((seg) => FILE_POINTER_SEGMENT.test(seg));
}

export type ExecIdCheck = { ok: true } | { ok: false; reason: 'pattern' | 'traversal-segment' };

export function validateExecId(id: string): ExecIdCheck {
  if (!EXEC_ID_PATTERN.test(id)) return { ok: false, reason: 'pattern' };
  if (id.split('/').some((seg) => seg === '.' || seg === '..')) return { ok: false, reason: 'traversal-segment' };
  return { ok: true };
}

/** One entry per source: adding a source is adding an entry here (and its resolver in the engine). */
export const SOURCE_RULES = {
  env: {
    idMessage: `Env secret reference id must match /${ENV_ID_PATTERN.source}/ (example: "OPENAI_API_KEY").`,
    isValidId: isValidEnvId,
  },
  file: {
    idMessage:
      'File secret reference id must be an absolute JSON pointer (example: "/providers/openai/apiKey"), or "value" for singleValue mode.',
    isValidId: isValidFileId,
  },
  exec: {
    idMessage: `Exec secret reference id must match /${EXEC_ID_PATTERN.source}/ and must not include "." or ".." path segments (example: "vault/openai/api-key" or "aws/secret#json_key").`,
    isValidId: (id: string) => validateExecId(id).ok,
  },
  // OpenClaw 2026.9's own SQLite store: entry names follow the env-name grammar.
  store: {
    idMessage: `Store secret reference id must match /${ENV_ID_PATTERN.source}/ (example: "OPENAI_API_KEY").`,
    isValidId: isValidEnvId,
  },
} as const satisfies Record<string, SourceRule>;

export type SecretSource = keyof typeof SOURCE_RULES;
export const SECRET_SOURCES = Object.keys(SOURCE_RULES) as readonly SecretSource[];

export function isSecretSource(value: unknown): value is SecretSource {
  return typeof value === 'string' && Object.hasOwn(SOURCE_RULES, value);
}

export interface SecretRef {
  source: SecretSource;
  provider: string;
  id: string;
}

export const MESSAGES = {
  providerAlias: `Secret reference provider must match /${PROVIDER_ALIAS_PATTERN.source}/ (example: "default").`,
  envId: SOURCE_RULES.env.idMessage,
  fileId: SOURCE_RULES.file.idMessage,
  execId: SOURCE_RULES.exec.idMessage,
  storeId: SOURCE_RULES.store.idMessage,
  emptyId: 'Secret reference id is empty.',
  commandUnsafe: 'secrets.providers.*.command is unsafe.',
  commandRelative: 'secrets.providers.*.command must be an absolute path.',
  trustedDirsRelative: 'trustedDirs entries must be absolute paths.',
} as const;

export const LIMITS = {
  timeoutMsMax: 120_000,
  maxBytesMax: 20_971_520,
  maxOutputBytesMax: 20_971_520,
  allowlistMax: 256,
  argsMax: 128,
  argMaxLength: 1024,
  passEnvMax: 128,
  trustedDirsMax: 64,
  /** an exec provider's pluginIntegration.pluginId and .integrationId */
  pluginIdMaxLength: 128,
  /** each of secrets.egressProxy's allowedHosts and bypassHosts */
  egressHostsMax: 256,
} as const;

/** A file provider's `mode`. */
export const FILE_PROVIDER_MODES = ['singleValue', 'json'] as const;

export const DEFAULTS = {
  maxProviderConcurrency: 4,
  maxRefsPerProvider: 512,
  maxBatchBytes: 262_144,
  fileMaxBytes: 1_048_576,
  fileTimeoutMs: 5_000,
  execTimeoutMs: 5_000,
  execMaxOutputBytes: 1_048_576,
  execJsonOnly: true,
  fileMode: 'json' as const,
} as const;

export function secretRefKey(ref: SecretRef): string {
  return `${ref.source}:${ref.provider}:${ref.id}`;
}

/** The per-source id rule; returns OpenClaw's message when the id breaks it. */
export function checkRefId(source: SecretSource, id: string): string | undefined {
  if (id.trim() === '') return MESSAGES.emptyId;
  const rule: SourceRule = SOURCE_RULES[source];
  return rule.isValidId(id) ? undefined : rule.idMessage;
}

/** `secrets.defaults`: one optional alias per source. */
export type SecretDefaults = { [S in SecretSource]?: string };

/** Sources with a built-in provider at their default alias (no `secrets.providers` entry needed). */
export function hasImplicitDefaultProvider(source: SecretSource): source is 'env' | 'store' {
  return source === 'env' || source === 'store';
}

export function defaultProviderAlias(defaults: SecretDefaults | undefined, source: SecretSource): string {
  const alias = defaults?.[source];
  return typeof alias === 'string' && alias.trim() !== '' ? alias.trim() : DEFAULT_PROVIDER_ALIAS;
}
