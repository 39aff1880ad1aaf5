// `secrets configure` without prompts: provider declarations and path -> ref mappings become an apply
// plan in OpenClaw's format. The CLI's flags and TTY flow and the VS Code QuickPick flow all build plans here.
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import { readConfigSecrets } from '../config/secretsConfig';
import { isDeepStrictEqual } from 'node:util';
import { classifyCredentialValue } from '../audit/auditClassify';
import { parsePlanPath, planTargetForPath, PLAN_GENERATED_BY, type PlanTarget, type SecretsPlan } from './plan';
import {
  checkRefId,
  defaultProviderAlias,
  MESSAGES,
  isValidProviderAlias,
  LIMITS,
  SECRET_SOURCES,
  schemaProblems,
  type ProviderConfig,
  type SecretDefaults,
  type SecretRef,
  type SecretSource,
} from '../refs/secretRef';
import { providerSchema } from '../refs/secretRefSchemas';
import {
  collectCredentialFields,
  formatConfigPath,
  type CredentialConfigFile,
  type CredentialTarget,
} from '../targets/targetRegistry';
import { suggestEnvName, suggestRefId } from '../../../../shared/src/suggestRefId';

export class ConfigureError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'CONFIGURE_INVALID');
    this.name = 'ConfigureError';
  }
}

export interface ConfigureMapping {
  /** a dotted path (`models.providers.openai.apiKey`) or its segments (needed when a key holds dots) */
  path: string | readonly (string | number)[];
  ref: SecretRef;
  /** auth-profiles.json targets: the agent whose store holds the profile */
  agentId?: string;
  /** creating a new auth profile needs its provider */
  authProfileProvider?: string;
}

export interface ConfigurePlanInput {
  /** the parsed openclaw.json (to tell changed providers from unchanged ones) */
  config: unknown;
  /** provider alias -> full provider config, as it should be after apply */
  providers?: Record<string, ProviderConfig>;
  deletes?: readonly string[];
  mappings?: readonly ConfigureMapping[];
  generatedAt?: string;
}

export function configuredProviders(config: unknown): Record<string, ProviderConfig> {
  return readConfigSecrets(config).providers;
}

export function configuredDefaults(config: unknown): SecretDefaults | undefined {
  return readConfigSecrets(config).defaults;
}

function toSegments(p: string | readonly (string | number)[]): string[] {
  if (typeof p !== 'string') return p.map(String);
  try {
    return parsePlanPath(p).map(String);
  } catch (err) {
    throw new ConfigureError(`Cannot map ${p}: ${(err as Error).message}`);
  }
}

/** Build the plan `configure` would write: changed providers become upserts, each mapping a target. */
export function buildConfigurePlan(input: ConfigurePlanInput): SecretsPlan {
  const current = configuredProviders(input.config);
  const upserts: Record<string, ProviderConfig> = {};
  for (const [alias, provider] of Object.entries(input.providers ?? {})) {
    if (!isValidProviderAlias(alias))
      throw new ConfigureError(`Provider alias "${alias}" must match /^[a-z][a-z0-9_-]{0,63}$/.`);
    const parsed = providerSchema.safeParse(provider);
    if (!parsed.success) {
      const problem = schemaProblems(parsed.error, ['secrets', 'providers', alias])[0];
      throw new ConfigureError(`${problem.path.join('.')}: ${problem.message}`);
    }
    if (!isDeepStrictEqual(current[alias], provider)) upserts[alias] = provider;
  }
  const deletes = [...new Set(input.deletes ?? [])]
    .filter((alias) => Object.prototype.hasOwnProperty.call(current, alias) && !(alias in upserts))
    .sort();
  const targets = new Map<string, PlanTarget>();
  for (const mapping of input.mappings ?? []) {
    const segments = toSegments(mapping.path);
    const refProblem = isValidProviderAlias(mapping.ref.provider)
      ? checkRefId(mapping.ref.source, mapping.ref.id)
      : MESSAGES.providerAlias;
    if (refProblem) throw new ConfigureError(`${segments.join('.')}: ${refProblem}`);
    const target = planTargetForPath(segments, mapping.ref, {
      agentId: mapping.agentId,
      authProfileProvider: mapping.authProfileProvider,
    });
    if (!target)
      throw new ConfigureError(`${segments.join('.')} is not a credential path OpenClaw can migrate to a SecretRef.`);
    targets.set(JSON.stringify([target.agentId ?? '', segments]), target);
  }
  const plan: SecretsPlan = {
    version: 1,
    protocolVersion: 1,
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    generatedBy: PLAN_GENERATED_BY,
    targets: [...targets.values()],
  };
  if (Object.keys(upserts).length) plan.providerUpserts = upserts;
  if (deletes.length) plan.providerDeletes = deletes;
  plan.options = { scrubEnv: true, scrubAuthProfilesForProviderTargets: true, scrubLegacyAuthJson: false };
  return plan;
}

export function planHasChanges(plan: SecretsPlan): boolean {
  return (
    plan.targets.length > 0 ||
    Object.keys(plan.providerUpserts ?? {}).length > 0 ||
    (plan.providerDeletes?.length ?? 0) > 0
  );
}

/** The alias configure suggests: `secrets.defaults.<source>`, else the first provider of that source, else "default". */
export function suggestedProviderAlias(config: unknown, source: SecretSource): string {
  const defaults = configuredDefaults(config);
  if (defaults?.[source]?.trim()) return defaults[source]!.trim();
  const first = Object.entries(configuredProviders(config)).find(([, p]) => p.source === source);
  return first ? first[0] : defaultProviderAlias(defaults, source);
}

// ---------- flag syntax shared by the CLI ----------

const NUMBER_FIELDS = new Set(['timeoutMs', 'noOutputTimeoutMs', 'maxOutputBytes', 'maxBytes']);
const BOOLEAN_FIELDS = new Set(['jsonOnly']);
const LIST_FIELDS = new Set(['args', 'passEnv', 'trustedDirs', 'allowlist']);

/** Split on commas that are not inside `[...]`, `{...}` or quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') current += text[i++];
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/**
 * `alias=source[,key=value...]`, e.g. `vault=exec,command=/usr/local/bin/vault-resolver,args=["--json"],passEnv=PATH`.
 * List fields take a JSON array or repeat the key; `env.NAME=value` sets one exec env entry.
 */
export function parseProviderSpec(spec: string): { alias: string; provider: ProviderConfig } {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new ConfigureError(`--provider expects alias=source[,key=value...], got "${spec}".`);
  const alias = spec.slice(0, eq).trim();
  const [sourceText, ...fields] = splitTopLevel(spec.slice(eq + 1));
  const source = sourceText.trim();
  if (!(SECRET_SOURCES as readonly string[]).includes(source))
    throw new ConfigureError(`--provider ${alias}: source must be env, file or exec, got "${source}".`);
  const provider: Record<string, unknown> = { source };
  for (const field of fields) {
    const at = field.indexOf('=');
    if (at <= 0) throw new ConfigureError(`--provider ${alias}: expected key=value, got "${field}".`);
    const key = field.slice(0, at).trim();
    const raw = field.slice(at + 1).trim();
    if (key.startsWith('env.')) {
      const env = (provider.env ??= {}) as Record<string, string>;
      env[key.slice(4)] = raw;
    } else if (LIST_FIELDS.has(key)) {
      let items: unknown;
      if (raw.startsWith('[')) {
        try {
          items = JSON.parse(raw);
        } catch {
          throw new ConfigureError(`--provider ${alias}: ${key} must be a JSON array of strings.`);
        }
        if (!Array.isArray(items) || items.some((i) => typeof i !== 'string'))
          throw new ConfigureError(`--provider ${alias}: ${key} must be a JSON array of strings.`);
      } else items = [raw];
      provider[key] = [...((provider[key] as string[] | undefined) ?? []), ...(items as string[])];
    } else if (NUMBER_FIELDS.has(key)) {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new ConfigureError(`--provider ${alias}: ${key} must be an integer.`);
      provider[key] = n;
    } else if (BOOLEAN_FIELDS.has(key)) {
      if (raw !== 'true' && raw !== 'false')
        throw new ConfigureError(`--provider ${alias}: ${key} must be true or false.`);
      provider[key] = raw === 'true';
    } else provider[key] = raw;
  }
  if (Array.isArray(provider.args) && provider.args.length > LIMITS.argsMax)
    throw new ConfigureError(`--provider ${alias}: at most ${LIMITS.argsMax} args.`);
  return { alias, provider: provider as ProviderConfig };
}

/**
 * `<path>=<source>:<provider>:<id>`, or `<path>=<source>:<id>` for the suggested provider of that source.
 */
export function parseMappingSpec(spec: string, config: unknown): { path: string; ref: SecretRef } {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new ConfigureError(`--map expects <path>=<source>:<provider>:<id>, got "${spec}".`);
  const path = spec.slice(0, eq).trim();
  const refText = spec.slice(eq + 1).trim();
  const first = refText.indexOf(':');
  const source = refText.slice(0, first);
  if (first <= 0 || !(SECRET_SOURCES as readonly string[]).includes(source))
    throw new ConfigureError(`--map ${path}: the ref must start with env:, file: or exec:.`);
  const rest = refText.slice(first + 1);
  const second = rest.indexOf(':');
  // With a second colon the provider is named; ids that contain ":" therefore need the three-part form.
  const provider = second >= 0 ? rest.slice(0, second) : suggestedProviderAlias(config, source as SecretSource);
  const id = second >= 0 ? rest.slice(second + 1) : rest;
  if (!isValidProviderAlias(provider))
    throw new ConfigureError(`--map ${path}: provider alias "${provider}" must match /^[a-z][a-z0-9_-]{0,63}$/.`);
  if (!id.trim()) throw new ConfigureError(`--map ${path}: the ref id is empty.`);
  return { path, ref: { source: source as SecretSource, provider, id } };
}

// ---------- candidates for the interactive flows ----------

export interface ConfigureCandidate {
  configFile: CredentialConfigFile;
  target: CredentialTarget;
  path: string[];
  /** what the field holds now: plaintext, a ref, ... (never the value itself) */
  state: ReturnType<typeof classifyCredentialValue> | 'missing';
  providerId?: string;
  agentId?: string;
}

/** Credential fields present in openclaw.json and the agent's auth store that configure may map. */
export function listConfigureCandidates(
  config: unknown,
  authStore?: { agentId: string; store: unknown },
): ConfigureCandidate[] {
  const defaults = configuredDefaults(config);
  const out: ConfigureCandidate[] = [];
  for (const field of collectCredentialFields('openclaw.json', config)) {
    if (!field.target.includeInConfigure || (field.target.secretShape === 'sibling_ref' && field.value === undefined))
      continue;
    out.push({
      configFile: 'openclaw.json',
      target: field.target,
      path: field.path,
      state: field.value === undefined ? 'missing' : classifyCredentialValue(field.value, field.target, defaults),
      providerId: field.providerId,
    });
  }
  if (authStore) {
    for (const field of collectCredentialFields('auth-profiles.json', authStore.store)) {
      if (!field.target.includeInConfigure) continue;
      const state =
        field.value === undefined
          ? field.refValue !== undefined
            ? 'ref'
            : 'missing'
          : classifyCredentialValue(field.value, field.target, defaults);
      out.push({
        configFile: 'auth-profiles.json',
        target: field.target,
        path: field.path,
        state,
        agentId: authStore.agentId,
      });
    }
  }
  return out;
}

/** A default env id for a field (`OPENAI_API_KEY` for models.providers.openai.apiKey): the rule the quick fix and the editor's configure flow use too. */
export function suggestedEnvId(candidate: Pick<ConfigureCandidate, 'path' | 'providerId'>): string {
  return suggestEnvName(candidate.path);
}

/** Plaintext fields of openclaw.json configure may move, with the id each source suggests (the editor's configure flow). */
export function configurePlaintextFields(
  config: unknown,
): { path: string; segments: string[]; suggestedIds: Record<SecretSource, string> }[] {
  return listConfigureCandidates(config)
    .filter((c) => c.configFile === 'openclaw.json' && c.state === 'plaintext')
    .map((c) => ({
      path: formatConfigPath(c.path, config),
      segments: c.path,
      suggestedIds: Object.fromEntries(
        SECRET_SOURCES.map((source) => [source, suggestRefId(source, c.path)]),
      ) as Record<SecretSource, string>,
    }));
}
