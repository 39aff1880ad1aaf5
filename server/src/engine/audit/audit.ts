// `secrets audit`: the same report as `openclaw secrets audit --json` 2026.9.6 (shape, codes, messages,
// finding order, exit codes), from openclaw.json, models.json, the `.env` files and retired auth sources.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  classifyCredentialValue,
  isNonSecretApiKeyMarker,
  isSecretRefHeaderMarker,
  isSensitiveHeaderName,
  KNOWN_SECRET_ENV_VARS,
} from './auditClassify';
import type { ConfigLocation } from '../config/configLocation';
import { coerceSecretRef, secretRefKey, type SecretDefaults, type SecretRef } from '../refs/secretRef';
import { refOfField } from '../refs/configRefs';
import { readConfigSecrets, type SecretsConfigRead } from '../config/secretsConfig';
import { collectCredentialFields, type CredentialField } from '../targets/targetRegistry';
import { DOTENV_MAX_BYTES, readRegularFileSync, type RegularFileError } from '../config/readRegularFile';
import {
  dotEnvPaths,
  listAgentDirs,
  listLegacyAuthSources,
  loadConfigValue,
  mergeDotEnv,
  parseDotEnv,
} from '../config/stateFiles';
import { configInvalidityReasons } from './auditConfigValidity';
import type { LoadedSchema } from '../openclawSchema/schemaSource';
import { isRedactedPlaceholder, resolveRefs } from '../resolve';
import { lazyStoreLoader } from '../resolve/storeResolver';
import { WITHHELD, type SecretStoreSnapshot } from '../store/secretStore';
import { nodeSqliteAvailable } from '../store/sqliteStoreReader';
import { storePlaceholderFindings, storeResidueFindings, type PlaintextAssignment } from '../store/storeAudit';
import {
  authProfileCredentials,
  readAgentAuthProfileStore,
  readSharedAuthProfileStore,
  type AuthProfileStoreRead,
} from '../store/authProfileStore';
import { isNonEmptyString, isRecord } from '../config/jsonValue';

export type AuditCode =
  | 'PLAINTEXT_FOUND'
  | 'REF_UNRESOLVED'
  | 'PLACEHOLDER_VALUE'
  | 'REF_SHADOWED'
  | 'STORE_PLAINTEXT_RESIDUE'
  | 'LEGACY_RESIDUE';
export type AuditSeverity = 'info' | 'warn' | 'error';

export interface AuditFinding {
  code: AuditCode;
  severity: AuditSeverity;
  file: string;
  jsonPath: string;
  message: string;
  provider?: string;
  profileId?: string;
}

export interface AuditReport {
  version: 1;
  status: 'clean' | 'findings' | 'unresolved';
  resolution: { refsChecked: number; skippedExecRefs: number; resolvabilityComplete: boolean };
  filesScanned: string[];
  summary: {
    plaintextCount: number;
    unresolvedRefCount: number;
    shadowedRefCount: number;
    storeResidueCount: number;
    legacyResidueCount: number;
  };
  findings: AuditFinding[];
  /** what this run could not check (e.g. the secret store without node:sqlite or openclaw); absent when complete */
  notes?: string[];
}

export interface AuditOptions {
  location: ConfigLocation;
  env: NodeJS.ProcessEnv;
  allowExec: boolean;
  /** called once per exec process spawned (tests count them) */
  onExecSpawn?: (providerAlias: string, ids: readonly string[]) => void;
  /** OpenClaw's config schema: with it, a config the schema refuses is "Config is invalid" as in OpenClaw */
  schema?: LoadedSchema;
  /** the shared secret store (tests inject one); default: read `<stateDir>/state/openclaw.sqlite` once */
  secretStore?: () => Promise<SecretStoreSnapshot>;
}

interface RefAssignment {
  file: string;
  jsonPath: string;
  ref: SecretRef;
  expected: 'string' | 'string-or-object';
  provider?: string;
}

const MAX_MODELS_JSON_BYTES = 5 * 1024 * 1024;

/** The env OpenClaw resolves with: the process env, then `.env` files filling only unset keys. */
export function auditEnvironment(location: ConfigLocation, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const read = (file: string) => {
    try {
      return readRegularFileSync(file, { maxBytes: DOTENV_MAX_BYTES });
    } catch {
      return undefined;
    }
  };
  return mergeDotEnv(env, dotEnvPaths(location).map(read));
}

/**
 * 9.6 substitutes a set `${VAR}` into talk.providers.*.apiKey when it loads the config and then drops a key
 * that is only whitespace, so such a field is neither a ref nor plaintext to its audit.
 */
export function isDroppedTalkApiKey(
  segments: readonly (string | number)[],
  value: unknown,
  env: NodeJS.ProcessEnv,
): boolean {
  if (
    segments.length !== 4 ||
    segments[0] !== 'talk' ||
    segments[1] !== 'providers' ||
    segments[3] !== 'apiKey' ||
    typeof value !== 'string'
  )
    return false;
  const braced = /^\$\{([A-Z][A-Z0-9_]{0,127})\}$/.exec(value.trim());
  const set = braced ? env[braced[1]] : undefined;
  return set !== undefined && set !== '' && set.trim() === '';
}

function collectConfigFindings(
  defaults: SecretDefaults,
  fields: readonly CredentialField[],
  configPath: string,
  findings: AuditFinding[],
  assignments: RefAssignment[],
  plaintexts: PlaintextAssignment[],
  env: NodeJS.ProcessEnv,
  shadowable: Map<string, string[]>,
): void {
  for (const field of fields) {
    const target = field.target;
    if (!target.includeInAudit || !target.reportedByLatestAudit) continue;
    if (isDroppedTalkApiKey(field.path, field.value, env)) continue;
    const ref = refOfField(field, defaults)?.ref;
    if (ref) {
      assignments.push({
        file: configPath,
        jsonPath: field.jsonPath,
        ref,
        expected: target.expectedResolvedValue,
        ...(field.providerId ? { provider: field.providerId } : {}),
      });
      if (target.trackProviderShadowing && field.providerId) {
        const key = field.providerId.trim().toLowerCase();
        shadowable.set(key, [...(shadowable.get(key) ?? []), field.jsonPath]);
      }
      continue;
    }
    if (classifyCredentialValue(field.value, target, defaults, field.path) !== 'plaintext') continue;
    if (typeof field.value === 'string')
      plaintexts.push({ file: configPath, jsonPath: field.jsonPath, value: field.value });
    findings.push({
      code: 'PLAINTEXT_FOUND',
      severity: 'warn',
      file: configPath,
      jsonPath: field.jsonPath,
      message: `${field.jsonPath} is stored as plaintext.`,
      ...(field.providerId ? { provider: field.providerId } : {}),
    });
  }
}

/**
 * 9.6's auth profiles in SQLite (shared store, then each agent's): refs join the resolution, plaintext keys and
 * tokens are PLAINTEXT_FOUND, OAuth tokens LEGACY_RESIDUE; returns each provider's usable modes (for REF_SHADOWED).
 */
function collectAuthProfileStoreFindings(
  read: AuthProfileStoreRead,
  defaults: SecretDefaults | undefined,
  findings: AuditFinding[],
  assignments: RefAssignment[],
  filesScanned: Set<string>,
  modesByProvider: Map<string, Set<string>>,
): void {
  if (!read.payload) return;
  filesScanned.add(read.file);
  const track = (provider: string, mode: string) => {
    const key = provider.trim().toLowerCase();
    modesByProvider.set(key, (modesByProvider.get(key) ?? new Set()).add(mode));
  };
  for (const c of authProfileCredentials(read.payload)) {
    if (c.kind === 'oauth') {
      if (!c.hasAccess && !c.hasRefresh) continue;
      findings.push({
        code: 'LEGACY_RESIDUE',
        severity: 'info',
        file: read.file,
        jsonPath: `profiles.${c.profileId}`,
        message: 'OAuth credentials are present (out of scope for static SecretRef migration).',
        provider: c.provider,
        profileId: c.profileId,
      });
      track(c.provider, 'oauth');
      continue;
    }
    const jsonPath = `profiles.${c.profileId}.${c.valueField}`;
    const ref = coerceSecretRef(c.refValue, defaults) ?? coerceSecretRef(c.value, defaults);
    if (ref) {
      assignments.push({ file: read.file, jsonPath, ref, expected: 'string', provider: c.provider });
      track(c.provider, c.kind);
    }
    if (coerceSecretRef(c.value, defaults)) continue;
    if (isNonEmptyString(c.value)) {
      findings.push({
        code: 'PLAINTEXT_FOUND',
        severity: 'warn',
        file: read.file,
        jsonPath,
        message:
          c.kind === 'api_key'
            ? 'Auth profile API key is stored as plaintext.'
            : 'Auth profile token is stored as plaintext.',
        provider: c.provider,
        profileId: c.profileId,
      });
      track(c.provider, c.kind);
    }
  }
}

/** models.json an agent materialised: plaintext keys, sensitive headers, refs that should have been resolved. */
function collectModelsJsonFindings(file: string, findings: AuditFinding[], filesScanned: Set<string>): void {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stat.size > MAX_MODELS_JSON_BYTES) throw new Error(`file exceeds ${MAX_MODELS_JSON_BYTES} bytes`);
    text = readRegularFileSync(file, { maxBytes: MAX_MODELS_JSON_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as RegularFileError).problem === 'missing') return;
    filesScanned.add(file);
    findings.push({
      code: 'REF_UNRESOLVED',
      severity: 'error',
      file,
      jsonPath: '<root>',
      message: `Invalid JSON in models.json: ${(err as Error).message}`,
    });
    return;
  }
  filesScanned.add(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message could quote file content; name the problem only.
    findings.push({
      code: 'REF_UNRESOLVED',
      severity: 'error',
      file,
      jsonPath: '<root>',
      message: 'Invalid JSON in models.json: could not parse JSON.',
    });
    return;
  }
  if (!isRecord(parsed) || !isRecord(parsed.providers)) return;
  for (const [providerId, provider] of Object.entries(parsed.providers)) {
    if (!isRecord(provider)) continue;
    const apiKey = provider.apiKey;
    if (coerceSecretRef(apiKey)) {
      findings.push({
        code: 'REF_UNRESOLVED',
        severity: 'error',
        file,
        jsonPath: `providers.${providerId}.apiKey`,
        message: 'models.json contains an unresolved SecretRef object; regenerate models.json.',
        provider: providerId,
      });
    } else if (isNonEmptyString(apiKey) && !isNonSecretApiKeyMarker(apiKey)) {
      findings.push({
        code: 'PLAINTEXT_FOUND',
        severity: 'warn',
        file,
        jsonPath: `providers.${providerId}.apiKey`,
        message: 'models.json provider apiKey is stored as plaintext.',
        provider: providerId,
      });
    }
    if (!isRecord(provider.headers)) continue;
    for (const [name, value] of Object.entries(provider.headers)) {
      const jsonPath = `providers.${providerId}.headers.${name}`;
      if (coerceSecretRef(value)) {
        findings.push({
          code: 'REF_UNRESOLVED',
          severity: 'error',
          file,
          jsonPath,
          message: 'models.json contains an unresolved SecretRef object for provider headers; regenerate models.json.',
          provider: providerId,
        });
        continue;
      }
      if (!isNonEmptyString(value) || isSecretRefHeaderMarker(value) || !isSensitiveHeaderName(name)) continue;
      findings.push({
        code: 'PLAINTEXT_FOUND',
        severity: 'warn',
        file,
        jsonPath,
        message: 'models.json provider header value is stored as plaintext.',
        provider: providerId,
      });
    }
  }
}

async function collectUnresolvedFindings(
  assignments: RefAssignment[],
  secrets: SecretsConfigRead,
  opts: AuditOptions,
  env: NodeJS.ProcessEnv,
  findings: AuditFinding[],
  store: () => Promise<SecretStoreSnapshot>,
): Promise<{ refsChecked: number; skippedExecRefs: number; uncheckedStoreRefs: number }> {
  const unique = new Map<string, SecretRef>();
  for (const a of assignments) if (!unique.has(secretRefKey(a.ref))) unique.set(secretRefKey(a.ref), a.ref);
  const outcomes = await resolveRefs([...unique.values()], secrets, {
    env,
    allowExec: opts.allowExec,
    onExecSpawn: opts.onExecSpawn,
    secretStore: store,
    stateDir: opts.location.stateDir,
  });
  let refsChecked = 0;
  let skippedExecRefs = 0;
  let uncheckedStoreRefs = 0;
  for (const [key, ref] of unique) {
    const skipped = ref.source === 'exec' && !opts.allowExec;
    if (skipped) skippedExecRefs++;
    else refsChecked++;
    const outcome = outcomes.get(key);
    if (outcome && !outcome.ok && outcome.error.code === 'SECRET_STORE_UNCHECKED') uncheckedStoreRefs++;
  }
  for (const a of assignments) {
    const key = secretRefKey(a.ref);
    const outcome = outcomes.get(key);
    const label = `${a.ref.source}:${a.ref.provider}:${a.ref.id}`;
    const base = {
      severity: 'error' as const,
      file: a.file,
      jsonPath: a.jsonPath,
      ...(a.provider ? { provider: a.provider } : {}),
    };
    if (outcome && !outcome.ok) {
      if (outcome.error.code === 'SECRET_EXEC_SKIPPED' || outcome.error.code === 'SECRET_STORE_UNCHECKED') continue;
      // 9.6 prints a skipped exec ref's static error through a plain Error, hence the prefix.
      const reason = outcome.skipped ? `Error: ${outcome.error.message}` : outcome.error.message;
      const code =
        outcome.error.code === ('SECRET_REF_REDACTED_VALUE' as string) ? 'PLACEHOLDER_VALUE' : 'REF_UNRESOLVED';
      findings.push({ code, ...base, message: `Failed to resolve ${label} (${reason}).` });
      continue;
    }
    if (!outcome) {
      findings.push({
        code: 'REF_UNRESOLVED',
        ...base,
        message: `Failed to resolve ${label} (resolved value is missing).`,
      });
      continue;
    }
    // A store entry seen only by name (CLI fallback): OpenClaw never stores an empty secret, so it counts as a string.
    if (outcome.value === WITHHELD) continue;
    const ok =
      a.expected === 'string'
        ? isNonEmptyString(outcome.value)
        : isNonEmptyString(outcome.value) || isRecord(outcome.value);
    if (!ok) {
      const why =
        a.expected === 'string' ? 'resolved value is not a non-empty string' : 'resolved value is not a string/object';
      findings.push({ code: 'REF_UNRESOLVED', ...base, message: `Failed to resolve ${label} (${why}).` });
    }
  }
  return { refsChecked, skippedExecRefs, uncheckedStoreRefs };
}

function summarize(findings: AuditFinding[]): AuditReport['summary'] {
  const count = (...codes: AuditCode[]) => findings.filter((f) => codes.includes(f.code)).length;
  return {
    plaintextCount: count('PLAINTEXT_FOUND'),
    unresolvedRefCount: count('REF_UNRESOLVED', 'PLACEHOLDER_VALUE'),
    shadowedRefCount: count('REF_SHADOWED'),
    storeResidueCount: count('STORE_PLAINTEXT_RESIDUE'),
    legacyResidueCount: count('LEGACY_RESIDUE'),
  };
}

/** One trailing period, whatever the reason's source ended with. */
const sentence = (text: string): string => `${text.replace(/\.+$/, '')}.`;

/** Audit the config, agent files and `.env` of one OpenClaw state; never returns a secret value. */
export async function runSecretsAudit(opts: AuditOptions): Promise<AuditReport> {
  const { location } = opts;
  const configPath = path.resolve(location.configPath);
  const findings: AuditFinding[] = [];
  const assignments: RefAssignment[] = [];
  const filesScanned = new Set<string>([configPath]);
  const env = auditEnvironment(location, opts.env);
  let resolution = { refsChecked: 0, skippedExecRefs: 0, resolvabilityComplete: true };

  const loaded = loadConfigValue(configPath);
  const config: unknown = loaded.exists ? loaded.value : {};
  const store = opts.secretStore ?? lazyStoreLoader(env, location.stateDir);
  const notes: string[] = [];
  // Walked once: the validity check and the findings read the same fields.
  const fields = isRecord(config) ? collectCredentialFields('openclaw.json', config) : [];
  const valid = isRecord(config) && configInvalidityReasons(config, opts.schema, fields).length === 0;
  if (valid) {
    const plaintexts: PlaintextAssignment[] = [];
    const shadowable = new Map<string, string[]>();
    const authModes = new Map<string, Set<string>>();
    // Read once: the findings, the auth-profile refs and the resolution all use the same providers and defaults.
    const secrets = readConfigSecrets(config);
    const { defaults } = secrets;
    collectConfigFindings(defaults, fields, configPath, findings, assignments, plaintexts, env, shadowable);
    const authStores = [
      readSharedAuthProfileStore(location.stateDir),
      ...listAgentDirs(location.stateDir).map(readAgentAuthProfileStore),
    ];
    for (const read of authStores) {
      if (!read) continue;
      if (read.problem) notes.push(`auth profiles in ${read.file} not checked: ${sentence(read.problem)}`);
      else collectAuthProfileStoreFindings(read, defaults, findings, assignments, filesScanned, authModes);
    }
    for (const agentDir of listAgentDirs(location.stateDir))
      collectModelsJsonFindings(path.join(agentDir, 'models.json'), findings, filesScanned);
    const { uncheckedStoreRefs, ...counts } = await collectUnresolvedFindings(
      assignments,
      secrets,
      opts,
      env,
      findings,
      store,
    );
    resolution = { ...counts, resolvabilityComplete: counts.skippedExecRefs === 0 && uncheckedStoreRefs === 0 };
    // A config ref on a provider that also has a usable auth profile may never be used (the profile wins).
    for (const [provider, paths] of shadowable) {
      const modes = authModes.get(provider);
      if (!modes) continue;
      for (const jsonPath of paths) {
        findings.push({
          code: 'REF_SHADOWED',
          severity: 'warn',
          file: 'openclaw.json',
          jsonPath,
          message: `Auth profile credentials (${[...modes].join('/')}) take precedence for provider "${provider}", so this config ref may never be used.`,
          provider,
        });
      }
    }
    if (uncheckedStoreRefs > 0)
      notes.push(
        `${uncheckedStoreRefs} store SecretRef(s) not checked: ${sentence((await store()).problem ?? 'the secret store could not be read')}`,
      );
    // Residue needs the store's values; read it only when there is plaintext to compare.
    if (plaintexts.length > 0) {
      const residue = storeResidueFindings(await store(), plaintexts);
      findings.push(...residue.findings);
      if (residue.note) notes.push(sentence(residue.note));
    }
  } else {
    findings.push({
      code: 'REF_UNRESOLVED',
      severity: 'error',
      file: configPath,
      jsonPath: '<root>',
      message: 'Config is invalid; cannot validate secret references reliably.',
    });
  }

  for (const file of dotEnvPaths(location)) {
    let text: string;
    try {
      text = readRegularFileSync(file, { maxBytes: DOTENV_MAX_BYTES });
    } catch {
      continue;
    }
    filesScanned.add(file);
    for (const entry of parseDotEnv(text)) {
      if (!KNOWN_SECRET_ENV_VARS.has(entry.key) || !entry.value) continue;
      findings.push({
        code: 'PLAINTEXT_FOUND',
        severity: 'warn',
        file,
        jsonPath: `$env.${entry.key}`,
        message: `Potential secret found in .env (${entry.key}).`,
      });
    }
  }

  const referencedStoreNames = new Set(assignments.filter((a) => a.ref.source === 'store').map((a) => a.ref.id));
  // Placeholder entries need values: checked where node:sqlite reads them (no child process just for this).
  if (referencedStoreNames.size > 0 || nodeSqliteAvailable())
    findings.push(...storePlaceholderFindings(await store(), referencedStoreNames, isRedactedPlaceholder));

  for (const source of listLegacyAuthSources(location.stateDir, opts.env)) {
    findings.push({
      code: 'LEGACY_RESIDUE',
      severity: !source.archive && source.kind === 'auth-state' ? 'info' : 'warn',
      file: source.path,
      jsonPath: '<root>',
      message: source.archive
        ? `Archived auth source ${source.kind} may contain plaintext credentials; retain it only as long as recovery requires.`
        : `Retired auth source ${source.kind} is present; run openclaw doctor --fix to migrate and archive it.`,
    });
  }

  const summary = summarize(findings);
  return {
    version: 1,
    status: summary.unresolvedRefCount > 0 ? 'unresolved' : findings.length > 0 ? 'findings' : 'clean',
    resolution,
    filesScanned: [...filesScanned].sort(),
    summary,
    findings,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** 2 when any ref is unresolved, 1 with --check and any finding (at or above `severityMin`), else 0. */
export function auditExitCode(report: AuditReport, check: boolean, severityMin: AuditSeverity = 'info'): number {
  if (report.summary.unresolvedRefCount > 0) return 2;
  const rank: Record<AuditSeverity, number> = { info: 0, warn: 1, error: 2 };
  if (check && report.findings.some((f) => rank[f.severity] >= rank[severityMin])) return 1;
  return 0;
}

/** The human-readable report, line for line as `openclaw secrets audit` prints it. */
export function formatAuditText(report: AuditReport): string {
  const s = report.summary;
  const lines = [
    `Secrets audit: ${report.status}. plaintext=${s.plaintextCount}, unresolved=${s.unresolvedRefCount}, shadowed=${s.shadowedRefCount}, storeResidue=${s.storeResidueCount}, legacy=${s.legacyResidueCount}.`,
  ];
  for (const f of report.findings.slice(0, 20)) lines.push(`- [${f.code}] ${f.file}:${f.jsonPath} ${f.message}`);
  if (report.findings.length > 20) lines.push(`... ${report.findings.length - 20} more finding(s).`);
  for (const note of report.notes ?? []) lines.push(`Audit note: ${note}`);
  if (report.resolution.skippedExecRefs > 0) {
    lines.push(
      `Audit note: skipped ${report.resolution.skippedExecRefs} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during audit.`,
    );
  }
  return lines.join('\n') + '\n';
}
