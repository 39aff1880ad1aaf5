// The zod schemas of the SecretRef contract and the `secrets` config block (OpenClaw 2026.9.6: strict objects,
// discriminated on source), with OpenClaw's messages. The contract's predicates (secretRef.ts,
// wellFormedSecrets.ts) accept what these accept without loading zod; these word what they refuse.
// zod/mini: the same core, checks and messages as zod's classic API, but tree-shakable: the CLI's audit bundle
// carries the few parts these schemas use (about 32 KB) instead of all of zod and every locale (454 KB).
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import {
  ENV_ID_PATTERN,
  FILE_PROVIDER_MODES,
  isAbsoluteCommandPath,
  isSafeExecutableValue,
  LIMITS,
  MANUAL_EXEC_KEYS,
  MESSAGES,
  PROVIDER_ALIAS_PATTERN,
  SECRET_SOURCES,
  SOURCE_RULES,
  type SecretSource,
} from './secretRef';

// zod/mini loads no locale by itself: English is what OpenClaw's messages are in.
z.config(en());

const providerAlias = z.string().check(z.regex(PROVIDER_ALIAS_PATTERN, { message: MESSAGES.providerAlias }));
const envName = z.string().check(z.regex(ENV_ID_PATTERN, { message: MESSAGES.envId }));
const positiveIntUpTo = (max: number) => z.number().check(z.int(), z.positive(), z.lte(max));

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
  mode: z.optional(z.enum(FILE_PROVIDER_MODES)),
  timeoutMs: z.optional(positiveIntUpTo(LIMITS.timeoutMsMax)),
  maxBytes: z.optional(positiveIntUpTo(LIMITS.maxBytesMax)),
});

/** 2026.9.6: an exec provider whose command comes from an installed plugin's manifest. */
export const pluginIntegrationSchema = z.strictObject({
  pluginId: z.string().check(z.minLength(1), z.maxLength(LIMITS.pluginIdMaxLength)),
  integrationId: z.string().check(z.minLength(1), z.maxLength(LIMITS.pluginIdMaxLength)),
});

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

const hostList = z.array(z.string().check(z.minLength(1))).check(z.maxLength(LIMITS.egressHostsMax));

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
