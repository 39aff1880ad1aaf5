// The SecretRef contract and the `secrets` config block, as OpenClaw 2026.9.6 enforces them: regexes, limits,
// defaults and the messages users see, without zod. Their zod schemas (and the JSON Schema in schemas/ generated
// from them) are in secretRefSchemas.ts.
import type * as z from 'zod/mini';
import { isRecord } from '../config/jsonValue';
import {
  defaultProviderAlias,
  isSecretSource,
  isValidProviderAlias,
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

const UNSAFE_EXECUTABLE = /[\0\r\n;&|`$<>"']/;
export function isSafeExecutableValue(value: string): boolean {
  return value.trim() !== '' && !UNSAFE_EXECUTABLE.test(value);
}
export function isAbsoluteCommandPath(value: string): boolean {
  const v = value.startsWith('~') ? '/' : value; // `~` is expanded before use, so it counts as absolute
  return v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || /^\\\\[^\\]+\\[^\\]+/.test(v);
}

/** Keys of a manual exec provider; a pluginIntegration provider takes none of them. */
export const MANUAL_EXEC_KEYS = [
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

// The zod schemas live in secretRefSchemas.ts: zod loads only where a value needs its wording (an audit of a
// well-formed config never does). Their types are used everywhere, so they are re-exported from here.
export type {
  EnvProviderConfig,
  FileProviderConfig,
  ExecProviderConfig,
  StoreProviderConfig,
  ProviderConfig,
  SecretsConfig,
} from './secretRefSchemas';

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
