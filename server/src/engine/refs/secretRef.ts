// The SecretRef contract and the `secrets` config block, as OpenClaw 2026.9.6 enforces them:
// regexes, limits, defaults and the messages users see. JSON Schema in schemas/ is generated from these.
// zod/mini: the same core, checks and messages as zod's classic API, but tree-shakable: the CLI's audit bundle
// carries the few parts these schemas use (about 32 KB) instead of all of zod and every locale (454 KB).
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { isRecord } from '../config/jsonValue';
import {
  defaultProviderAlias,
  ENV_ID_PATTERN,
  isSecretSource,
  isValidProviderAlias,
  LIMITS,
  MESSAGES,
  PROVIDER_ALIAS_PATTERN,
  SECRET_SOURCES,
  SOURCE_RULES,
  type SecretDefaults,
  type SecretRef,
  type SecretSource,
} from '../../../../shared/src/secretRefContract';

// The contract itself lives in shared/ (no zod) so the client uses the same rules; re-exported for the engine.
export * from '../../../../shared/src/secretRefContract';

const ENV_SHORTHAND_BRACED = /^\$\{([A-Z][A-Z0-9_]{0,127})\}$/;
const ENV_SHORTHAND_BARE = /^\$([A-Z][A-Z0-9_]{0,127})$/;

/** OpenClaw's isSecretRef: exactly three keys, a known source, non-empty trimmed provider and id. */
export function isSecretRef(value: unknown): value is SecretRef {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 3) return false;
  return (
    isSecretSource(value.source) &&
    typeof value.provider === 'string' &&
    value.provider.trim() !== '' &&
    typeof value.id === 'string' &&
    value.id.trim() !== ''
  );
}

/**
 * True when secretRefSchema accepts `value`, judged by the contract's own rules without zod's per-parse work
 * (an audit checks every ref in the config: zod took about 16 µs a ref there). False says nothing: ask the
 * schema, which also words the problem.
 */
export function isWellFormedRef(value: Record<string, unknown>): boolean {
  return isSecretRef(value) && isValidProviderAlias(value.provider) && SOURCE_RULES[value.source].isValidId(value.id);
}

/** Something that is shaped like a ref attempt (has `source`), for diagnostics on broken refs. */
export function looksLikeRefObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'source' in value && ('id' in value || 'provider' in value);
}

export type EnvShorthandForm = 'braced' | 'bare';

/** `${NAME}` (all versions) or `$NAME` (after 4.27) as an env ref through the default env provider. */
export function parseEnvShorthand(
  value: string,
  defaults?: SecretDefaults,
): (SecretRef & { form: EnvShorthandForm }) | undefined {
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
      isSecretSource(value.source) &&
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

// zod/mini loads no locale by itself: English is what OpenClaw's messages are in.
z.config(en());

const providerAlias = z.string().check(z.regex(PROVIDER_ALIAS_PATTERN, { message: MESSAGES.providerAlias }));
const envName = z.string().check(z.regex(ENV_ID_PATTERN, { message: MESSAGES.envId }));
const positiveIntUpTo = (max: number) => z.number().check(z.int(), z.positive(), z.lte(max));

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

// One strict object per source of the contract, discriminated on `source`.
const refSchemaFor = <S extends SecretSource>(source: S) =>
  z.strictObject({
    source: z.literal(source),
    provider: providerAlias,
    id:
      source === 'env'
        ? envName
        : z
            .string()
            .check(z.refine((id) => SOURCE_RULES[source].isValidId(id), { message: SOURCE_RULES[source].idMessage })),
  });
const [firstRefSchema, ...otherRefSchemas] = SECRET_SOURCES.map(refSchemaFor);
export const secretRefSchema = z.discriminatedUnion('source', [firstRefSchema, ...otherRefSchemas], INVALID_INPUT);

export const envProviderSchema = z.strictObject({
  source: z.literal('env'),
  allowlist: z.optional(z.array(envName).check(z.maxLength(LIMITS.allowlistMax))),
});

export const fileProviderSchema = z.strictObject({
  source: z.literal('file'),
  path: z.string().check(z.minLength(1)),
  mode: z.optional(z.enum(['singleValue', 'json'])),
  timeoutMs: z.optional(positiveIntUpTo(LIMITS.timeoutMsMax)),
  maxBytes: z.optional(positiveIntUpTo(LIMITS.maxBytesMax)),
});

/** 2026.9.6: an exec provider whose command comes from an installed plugin's manifest. */
export const pluginIntegrationSchema = z.strictObject({
  pluginId: z.string().check(z.minLength(1), z.maxLength(128)),
  integrationId: z.string().check(z.minLength(1), z.maxLength(128)),
});

/** Keys of a manual exec provider; a pluginIntegration provider takes none of them. */
const MANUAL_EXEC_KEYS = [
  'command',
  'args',
  'timeoutMs',
  'noOutputTimeoutMs',
  'maxOutputBytes',
  'jsonOnly',
  'env',
  'passEnv',
  'trustedDirs',
] as const;

// OpenClaw's schema is anyOf(manual exec, plugin exec); zod's discriminated union cannot hold two `exec`
// options, so one object with `command` or `pluginIntegration`, checked below.
export const execProviderSchema = z
  .strictObject({
    source: z.literal('exec'),
    pluginIntegration: z.optional(pluginIntegrationSchema),
    command: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.refine(isSafeExecutableValue, { message: MESSAGES.commandUnsafe }),
          z.refine(isAbsoluteCommandPath, { message: MESSAGES.commandRelative }),
        ),
    ),
    args: z.optional(z.array(z.string().check(z.maxLength(LIMITS.argMaxLength))).check(z.maxLength(LIMITS.argsMax))),
    timeoutMs: z.optional(positiveIntUpTo(LIMITS.timeoutMsMax)),
    noOutputTimeoutMs: z.optional(positiveIntUpTo(LIMITS.timeoutMsMax)),
    maxOutputBytes: z.optional(positiveIntUpTo(LIMITS.maxOutputBytesMax)),
    jsonOnly: z.optional(z.boolean()),
    env: z.optional(z.record(z.string(), z.string())),
    passEnv: z.optional(z.array(envName).check(z.maxLength(LIMITS.passEnvMax))),
    trustedDirs: z.optional(
      z
        .array(
          z.string().check(z.minLength(1), z.refine(isAbsoluteCommandPath, { message: MESSAGES.trustedDirsRelative })),
        )
        .check(z.maxLength(LIMITS.trustedDirsMax)),
    ),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (p.pluginIntegration === undefined) {
        if (p.command === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['command'],
            message: 'Invalid input: expected string, received undefined',
          });
        return;
      }
      const extra = MANUAL_EXEC_KEYS.filter((k) => p[k] !== undefined);
      if (extra.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `Unrecognized key${extra.length > 1 ? 's' : ''}: ${extra.map((k) => `"${k}"`).join(', ')}`,
        });
    }),
  );

/** `{ source: "store" }`: the shared state database; no settings. */
export const storeProviderSchema = z.strictObject({ source: z.literal('store') });

export const providerSchema = z.discriminatedUnion(
  'source',
  [envProviderSchema, fileProviderSchema, execProviderSchema, storeProviderSchema],
  INVALID_INPUT,
);

// `secrets.defaults`: one optional alias per source of the contract.
export const secretsDefaultsSchema = z.strictObject(
  Object.fromEntries(SECRET_SOURCES.map((source) => [source, z.optional(providerAlias)])) as Record<
    SecretSource,
    z.ZodMiniOptional<typeof providerAlias>
  >,
);

const hostList = z.array(z.string().check(z.minLength(1))).check(z.maxLength(256));

/** 2026.9.6's secret egress proxy (startup-scoped; OpenClaw reads it at Gateway start). */
export const egressProxySchema = z.strictObject({
  enabled: z.optional(z.boolean()),
  allowedHosts: z.optional(hostList),
  bypassHosts: z.optional(hostList),
});

export const secretsConfigSchema = z.strictObject({
  providers: z.optional(z.record(z.string(), providerSchema)),
  defaults: z.optional(secretsDefaultsSchema),
  egressProxy: z.optional(egressProxySchema),
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
  allowSymlinkCommand:
    'OpenClaw 2026.9.6 removed allowSymlinkCommand: exec commands must not be symlinks (there is no provider-level bypass). Point command at the real file.',
  allowInsecurePath:
    'OpenClaw 2026.9.6 removed allowInsecurePath: make the command or file owned by you and not group/world-writable instead.',
  resolution:
    'OpenClaw 2026.9.6 removed secrets.resolution: the limits are fixed (4 providers in parallel, 512 refs per provider, 256 KiB per exec request).',
};

export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

/** zod issues as OpenClaw prints them: dotted paths from `basePath`, a bad discriminator reported at its object. */
export function schemaProblems(error: z.core.$ZodError, basePath: readonly (string | number)[] = []): SchemaProblem[] {
  return error.issues.map((issue) => {
    const p = issue.path.map((seg) => (typeof seg === 'symbol' ? String(seg) : seg));
    const atDiscriminator =
      issue.code === 'invalid_union' &&
      'discriminator' in issue &&
      p[p.length - 1] === (issue as { discriminator?: string }).discriminator;
    return { path: [...basePath, ...(atDiscriminator ? p.slice(0, -1) : p)], message: issue.message };
  });
}
