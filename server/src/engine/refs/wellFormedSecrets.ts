// Whether secretRefSchemas.ts would accept a provider or a whole `secrets` block, answered by the contract's own
// rules without loading zod: zod's set-up (its modules and our schemas) was about 4 ms of every audit, and a
// well-formed config never needs its messages. False says nothing more: ask the schema, which words the problem.
// test/engine/wellFormedSecrets.test.ts compares both answers on generated blocks.
import {
  ENV_ID_PATTERN,
  FILE_PROVIDER_MODES,
  isAbsoluteCommandPath,
  isSafeExecutableValue,
  isValidProviderAlias,
  LIMITS,
  MANUAL_EXEC_KEYS,
  SECRET_SOURCES,
} from './secretRef';
import { isRecord } from '../config/jsonValue';

type Check = (value: unknown) => boolean;

/** A strict object: only these keys, each required one present and accepted, each optional one absent or accepted. */
function strictObject(
  required: Record<string, Check>,
  optional: Record<string, Check> = {},
): (value: unknown) => value is Record<string, unknown> {
  return (value): value is Record<string, unknown> => {
    if (!isRecord(value)) return false;
    for (const key of Object.keys(value))
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) return false;
    for (const key of Object.keys(required)) if (!required[key](value[key])) return false;
    for (const key of Object.keys(optional)) if (value[key] !== undefined && !optional[key](value[key])) return false;
    return true;
  };
}

const literal =
  (expected: string): Check =>
  (value) =>
    value === expected;
const string =
  (min = 0, max = Infinity): Check =>
  (value) =>
    typeof value === 'string' && value.length >= min && value.length <= max;
const arrayOf =
  (item: Check, max: number): Check =>
  (value) => {
    if (!Array.isArray(value) || value.length > max) return false;
    // Every index, holes included (every() would skip them; the schema checks each as undefined).
    for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
    return true;
  };
const positiveIntUpTo =
  (max: number): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max;
const isBoolean: Check = (value) => typeof value === 'boolean';
const envName: Check = (value) => typeof value === 'string' && ENV_ID_PATTERN.test(value);
const providerAlias: Check = (value) => typeof value === 'string' && isValidProviderAlias(value);
const stringRecord: Check = (value) => isRecord(value) && Object.values(value).every((v) => typeof v === 'string');

const envProvider = strictObject({ source: literal('env') }, { allowlist: arrayOf(envName, LIMITS.allowlistMax) });

const fileProvider = strictObject(
  { source: literal('file'), path: string(1) },
  {
    mode: (value) => (FILE_PROVIDER_MODES as readonly unknown[]).includes(value),
    timeoutMs: positiveIntUpTo(LIMITS.timeoutMsMax),
    maxBytes: positiveIntUpTo(LIMITS.maxBytesMax),
  },
);

const execProviderShape = strictObject(
  { source: literal('exec') },
  {
    pluginIntegration: strictObject({
      pluginId: string(1, LIMITS.pluginIdMaxLength),
      integrationId: string(1, LIMITS.pluginIdMaxLength),
    }),
    command: (value) =>
      typeof value === 'string' && value.length >= 1 && isSafeExecutableValue(value) && isAbsoluteCommandPath(value),
    args: arrayOf(string(0, LIMITS.argMaxLength), LIMITS.argsMax),
    timeoutMs: positiveIntUpTo(LIMITS.timeoutMsMax),
    noOutputTimeoutMs: positiveIntUpTo(LIMITS.timeoutMsMax),
    maxOutputBytes: positiveIntUpTo(LIMITS.maxOutputBytesMax),
    jsonOnly: isBoolean,
    env: stringRecord,
    passEnv: arrayOf(envName, LIMITS.passEnvMax),
    trustedDirs: arrayOf(
      (dir) => typeof dir === 'string' && dir.length >= 1 && isAbsoluteCommandPath(dir),
      LIMITS.trustedDirsMax,
    ),
  },
);

// A manual exec provider names its command; a plugin's takes none of the manual keys.
const execProvider: Check = (value) =>
  execProviderShape(value) &&
  (value.pluginIntegration === undefined
    ? value.command !== undefined
    : MANUAL_EXEC_KEYS.every((key) => value[key] === undefined));

const storeProvider = strictObject({ source: literal('store') });

const PROVIDER_BY_SOURCE: Record<string, Check> = {
  env: envProvider,
  file: fileProvider,
  exec: execProvider,
  store: storeProvider,
};

/** True when providerSchema accepts `value`. */
export function isWellFormedProvider(value: unknown): boolean {
  if (!isRecord(value) || typeof value.source !== 'string' || !Object.hasOwn(PROVIDER_BY_SOURCE, value.source))
    return false;
  return PROVIDER_BY_SOURCE[value.source](value);
}

const hostList = arrayOf(string(1), LIMITS.egressHostsMax);

const secretsBlock = strictObject(
  {},
  {
    providers: (value) => isRecord(value) && Object.values(value).every(isWellFormedProvider),
    defaults: strictObject({}, Object.fromEntries(SECRET_SOURCES.map((source) => [source, providerAlias]))),
    egressProxy: strictObject({}, { enabled: isBoolean, allowedHosts: hostList, bypassHosts: hostList }),
  },
);

/** True when secretsConfigSchema accepts `value` (a config's `secrets` block). */
export function isWellFormedSecretsBlock(value: unknown): boolean {
  return secretsBlock(value);
}

/** The zod schemas, loaded on first use: for a value these predicates refuse, or a caller that needs zod itself. */
export function secretRefSchemas(): typeof import('./secretRefSchemas') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point is to load zod only when asked
  return require('./secretRefSchemas') as typeof import('./secretRefSchemas');
}
