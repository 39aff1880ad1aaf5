// The SecretRef contract and the `secrets` config block, as OpenClaw 2026.9.6 enforces them:
// regexes, limits, defaults and the messages users see. JSON Schema in schemas/ is generated from these.
import { z } from 'zod';
import { isRecord } from './jsonValue';

export const SECRET_SOURCES = ['env', 'file', 'exec', 'store'] as const;
export type SecretSource = (typeof SECRET_SOURCES)[number];

export interface SecretRef {
  source: SecretSource;
  provider: string;
  id: string;
}

export const DEFAULT_PROVIDER_ALIAS = 'default';

export const PROVIDER_ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
export const ENV_ID_PATTERN = /^[A-Z][A-Z0-9_]{0,127}$/;
export const EXEC_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
const FILE_POINTER_SEGMENT = /^(?:[^~]|~0|~1)*$/;
const ENV_SHORTHAND_BRACED = /^\$\{([A-Z][A-Z0-9_]{0,127})\}$/;
const ENV_SHORTHAND_BARE = /^\$([A-Z][A-Z0-9_]{0,127})$/;

export const MESSAGES = {
  providerAlias: `Secret reference provider must match /${PROVIDER_ALIAS_PATTERN.source}/ (example: "default").`,
  envId: `Env secret reference id must match /${ENV_ID_PATTERN.source}/ (example: "OPENAI_API_KEY").`,
  fileId: 'File secret reference id must be an absolute JSON pointer (example: "/providers/openai/apiKey"), or "value" for singleValue mode.',
  storeId: `Store secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (example: "OPENAI_API_KEY").`,
  execId: `Exec secret reference id must match /${EXEC_ID_PATTERN.source}/ and must not include "." or ".." path segments (example: "vault/openai/api-key" or "aws/secret#json_key").`,
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
} as const;

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

/** The per-source id rule; returns OpenClaw's message when the id breaks it. */
export function checkRefId(source: SecretSource, id: string): string | undefined {
  if (id.trim() === '') return MESSAGES.emptyId;
  if (source === 'env') return isValidEnvId(id) ? undefined : MESSAGES.envId;
  if (source === 'file') return isValidFileId(id) ? undefined : MESSAGES.fileId;
  if (source === 'store') return isValidEnvId(id) ? undefined : MESSAGES.storeId;
  return validateExecId(id).ok ? undefined : MESSAGES.execId;
}

/** OpenClaw's isSecretRef: exactly three keys, a known source, non-empty trimmed provider and id. */
export function isSecretRef(value: unknown): value is SecretRef {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 3) return false;
  return (
    (SECRET_SOURCES as readonly string[]).includes(value.source as string) &&
    typeof value.provider === 'string' &&
    value.provider.trim() !== '' &&
    typeof value.id === 'string' &&
    value.id.trim() !== ''
  );
}

/** Something that is shaped like a ref attempt (has `source`), for diagnostics on broken refs. */
export function looksLikeRefObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'source' in value && ('id' in value || 'provider' in value);
}

export interface SecretDefaults {
  env?: string;
  file?: string;
  exec?: string;
  store?: string;
}

/** Sources with a built-in provider at their default alias (no `secrets.providers` entry needed). */
export function hasImplicitDefaultProvider(source: SecretSource): source is 'env' | 'store' {
  return source === 'env' || source === 'store';
}

export function defaultProviderAlias(defaults: SecretDefaults | undefined, source: SecretSource): string {
  const alias = defaults?.[source];
  return typeof alias === 'string' && alias.trim() !== '' ? alias.trim() : DEFAULT_PROVIDER_ALIAS;
}

export type EnvShorthandForm = 'braced' | 'bare';

/** `${NAME}` (all versions) or `$NAME` (after 4.27) as an env ref through the default env provider. */
export function parseEnvShorthand(value: string, defaults?: SecretDefaults): (SecretRef & { form: EnvShorthandForm }) | undefined {
  const trimmed = value.trim();
  const braced = ENV_SHORTHAND_BRACED.exec(trimmed);
  const bare = braced ? undefined : ENV_SHORTHAND_BARE.exec(trimmed);
  const name = braced?.[1] ?? bare?.[1];
  if (!name) return undefined;
  return { source: 'env', provider: defaultProviderAlias(defaults, 'env'), id: name, form: braced ? 'braced' : 'bare' };
}

/**
 * OpenClaw's coerceSecretRef: a full ref, the legacy `{source, id}` form (provider from defaults),
 * or an env shorthand string. Anything else is not a ref.
 */
export function coerceSecretRef(value: unknown, defaults?: SecretDefaults): SecretRef | undefined {
  if (isSecretRef(value)) return { source: value.source, provider: value.provider, id: value.id };
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (
      keys.length === 2 &&
      (SECRET_SOURCES as readonly string[]).includes(value.source as string) &&
      typeof value.id === 'string' &&
      value.id.trim() !== '' &&
      !('provider' in value)
    ) {
      const source = value.source as SecretSource;
      return { source, provider: defaultProviderAlias(defaults, source), id: value.id };
    }
    return undefined;
  }
  if (typeof value === 'string') {
    const ref = parseEnvShorthand(value, defaults);
    return ref ? { source: ref.source, provider: ref.provider, id: ref.id } : undefined;
  }
  return undefined;
}

// ---- zod schemas (OpenClaw 2026.9.6: strict objects, discriminated on source) ----

const providerAlias = z.string().regex(PROVIDER_ALIAS_PATTERN, { message: MESSAGES.providerAlias });
const envName = z.string().regex(ENV_ID_PATTERN, { message: MESSAGES.envId });
const positiveIntUpTo = (max: number) => z.number().int().positive().max(max);

const UNSAFE_EXECUTABLE = /[\0\r\n;&|`$<>"']/;
export function isSafeExecutableValue(value: string): boolean {
  return value.trim() !== '' && !UNSAFE_EXECUTABLE.test(value);
}
export function isAbsoluteCommandPath(value: string): boolean {
  const v = value.startsWith('~') ? '/' : value; // `~` is expanded before use, so it counts as absolute
  return v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || /^\\\\[^\\]+\\[^\\]+/.test(v);
}

// OpenClaw reports an unknown source as a bare "Invalid input" at the ref itself, not at `.source`.
const INVALID_INPUT = { error: () => 'Invalid input' };

export const secretRefSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('env'), provider: providerAlias, id: envName }),
  z.strictObject({
    source: z.literal('file'),
    provider: providerAlias,
    id: z.string().refine(isValidFileId, { message: MESSAGES.fileId }),
  }),
  z.strictObject({
    source: z.literal('exec'),
    provider: providerAlias,
    id: z.string().refine((id) => validateExecId(id).ok, { message: MESSAGES.execId }),
  }),
  z.strictObject({ source: z.literal('store'), provider: providerAlias, id: z.string().regex(ENV_ID_PATTERN, { message: MESSAGES.storeId }) }),
], INVALID_INPUT);

export const envProviderSchema = z.strictObject({
  source: z.literal('env'),
  allowlist: z.array(envName).max(LIMITS.allowlistMax).optional(),
});

export const fileProviderSchema = z.strictObject({
  source: z.literal('file'),
  path: z.string().min(1),
  mode: z.enum(['singleValue', 'json']).optional(),
  timeoutMs: positiveIntUpTo(LIMITS.timeoutMsMax).optional(),
  maxBytes: positiveIntUpTo(LIMITS.maxBytesMax).optional(),
});

/** 2026.9.6: an exec provider whose command comes from an installed plugin's manifest. */
export const pluginIntegrationSchema = z.strictObject({
  pluginId: z.string().min(1).max(128),
  integrationId: z.string().min(1).max(128),
});

/** Keys of a manual exec provider; a pluginIntegration provider takes none of them. */
const MANUAL_EXEC_KEYS = ['command', 'args', 'timeoutMs', 'noOutputTimeoutMs', 'maxOutputBytes', 'jsonOnly', 'env', 'passEnv', 'trustedDirs'] as const;

// OpenClaw's schema is anyOf(manual exec, plugin exec); zod's discriminated union cannot hold two `exec`
// options, so one object with `command` or `pluginIntegration`, checked below.
export const execProviderSchema = z.strictObject({
  source: z.literal('exec'),
  pluginIntegration: pluginIntegrationSchema.optional(),
  command: z
    .string()
    .min(1)
    .refine(isSafeExecutableValue, { message: MESSAGES.commandUnsafe })
    .refine(isAbsoluteCommandPath, { message: MESSAGES.commandRelative })
    .optional(),
  args: z.array(z.string().max(LIMITS.argMaxLength)).max(LIMITS.argsMax).optional(),
  timeoutMs: positiveIntUpTo(LIMITS.timeoutMsMax).optional(),
  noOutputTimeoutMs: positiveIntUpTo(LIMITS.timeoutMsMax).optional(),
  maxOutputBytes: positiveIntUpTo(LIMITS.maxOutputBytesMax).optional(),
  jsonOnly: z.boolean().optional(),
  env: z.record(z.string(), z.string()).optional(),
  passEnv: z.array(envName).max(LIMITS.passEnvMax).optional(),
  trustedDirs: z
    .array(z.string().min(1).refine(isAbsoluteCommandPath, { message: MESSAGES.trustedDirsRelative }))
    .max(LIMITS.trustedDirsMax)
    .optional(),
}).superRefine((p, ctx) => {
  if (p.pluginIntegration === undefined) {
    if (p.command === undefined) ctx.addIssue({ code: 'custom', path: ['command'], message: 'Invalid input: expected string, received undefined' });
    return;
  }
  const extra = MANUAL_EXEC_KEYS.filter((k) => p[k] !== undefined);
  if (extra.length > 0) ctx.addIssue({ code: 'custom', path: [], message: `Unrecognized key${extra.length > 1 ? 's' : ''}: ${extra.map((k) => `"${k}"`).join(', ')}` });
});

/** `{ source: "store" }`: the shared state database; no settings. */
export const storeProviderSchema = z.strictObject({ source: z.literal('store') });

export const providerSchema = z.discriminatedUnion('source', [envProviderSchema, fileProviderSchema, execProviderSchema, storeProviderSchema], INVALID_INPUT);

export const secretsDefaultsSchema = z.strictObject({
  env: providerAlias.optional(),
  file: providerAlias.optional(),
  exec: providerAlias.optional(),
  store: providerAlias.optional(),
});

const hostList = z.array(z.string().min(1)).max(256);

/** 2026.9.6's secret egress proxy (startup-scoped; OpenClaw reads it at Gateway start). */
export const egressProxySchema = z.strictObject({
  enabled: z.boolean().optional(),
  allowedHosts: hostList.optional(),
  bypassHosts: hostList.optional(),
});

export const secretsConfigSchema = z.strictObject({
  providers: z.record(z.string(), providerSchema).optional(),
  defaults: secretsDefaultsSchema.optional(),
  egressProxy: egressProxySchema.optional(),
});

/** A plain string credential or a SecretRef: what a credential field may hold. */
export const secretInputSchema = z.union([z.string(), secretRefSchema]);

export type EnvProviderConfig = z.infer<typeof envProviderSchema>;
export type FileProviderConfig = z.infer<typeof fileProviderSchema>;
export type ExecProviderConfig = z.infer<typeof execProviderSchema>;
export type StoreProviderConfig = z.infer<typeof storeProviderSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type SecretsConfig = z.infer<typeof secretsConfigSchema>;

/** Keys that earlier OpenClaw releases accepted and 2026.9.6 rejects, with what to do instead. */
export const REMOVED_KEYS: Record<string, string> = {
  allowSymlinkCommand: 'OpenClaw 2026.9.6 removed allowSymlinkCommand: exec commands must not be symlinks (there is no provider-level bypass). Point command at the real file.',
  allowInsecurePath: 'OpenClaw 2026.9.6 removed allowInsecurePath: make the command or file owned by you and not group/world-writable instead.',
  resolution: 'OpenClaw 2026.9.6 removed secrets.resolution: the limits are fixed (4 providers in parallel, 512 refs per provider, 256 KiB per exec request).',
};

export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

/** zod issues as OpenClaw prints them: dotted paths from `basePath`, a bad discriminator reported at its object. */
export function schemaProblems(error: z.ZodError, basePath: readonly (string | number)[] = []): SchemaProblem[] {
  return error.issues.map((issue) => {
    const p = issue.path.map((seg) => (typeof seg === 'symbol' ? String(seg) : seg));
    const atDiscriminator = issue.code === 'invalid_union' && 'discriminator' in issue && p[p.length - 1] === (issue as { discriminator?: string }).discriminator;
    return { path: [...basePath, ...(atDiscriminator ? p.slice(0, -1) : p)], message: issue.message };
  });
}
