// `secrets audit`: the same report as `openclaw secrets audit --json` 2026.9.6 (shape, codes, messages,
// finding order, exit codes), from openclaw.json, models.json, the `.env` files and retired auth sources.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyCredentialValue, isNonSecretApiKeyMarker, isSecretRefHeaderMarker, isSensitiveHeaderName, KNOWN_SECRET_ENV_VARS } from './auditClassify';
import type { ConfigLocation } from './configLocation';
import { coerceSecretRef, secretRefKey, type SecretDefaults, type SecretRef, type ProviderConfig } from './secretRef';
import { collectCredentialFields } from './targetRegistry';
import { DOTENV_MAX_BYTES, readRegularFileSync, type RegularFileError } from './readRegularFile';
import { dotEnvPaths, listAgentDirs, listLegacyAuthSources, loadConfigFile, mergeDotEnv, parseDotEnv } from './stateFiles';
import { validateSecretsSections } from './auditConfigValidity';
import { resolveRefs } from './resolve';
import { isNonEmptyString, isRecord } from './jsonValue';

export type AuditCode = 'PLAINTEXT_FOUND' | 'REF_UNRESOLVED' | 'PLACEHOLDER_VALUE' | 'REF_SHADOWED' | 'STORE_PLAINTEXT_RESIDUE' | 'LEGACY_RESIDUE';
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
}

export interface AuditOptions {
  location: ConfigLocation;
  env: NodeJS.ProcessEnv;
  allowExec: boolean;
  /** called once per exec process spawned (tests count them) */
  onExecSpawn?: (providerAlias: string, ids: readonly string[]) => void;
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

function collectConfigFindings(config: Record<string, unknown>, configPath: string, findings: AuditFinding[], assignments: RefAssignment[]): void {
  const defaults = (isRecord(config.secrets) && isRecord(config.secrets.defaults) ? config.secrets.defaults : undefined) as SecretDefaults | undefined;
  for (const field of collectCredentialFields('openclaw.json', config)) {
    const target = field.target;
    if (!target.includeInAudit || !target.reportedByLatestAudit) continue;
    const ref = coerceSecretRef(field.refValue, defaults) ?? coerceSecretRef(field.value, defaults);
    if (ref) {
      assignments.push({ file: configPath, jsonPath: field.jsonPath, ref, expected: target.expectedResolvedValue, ...(field.providerId ? { provider: field.providerId } : {}) });
      continue;
    }
    if (classifyCredentialValue(field.value, target, defaults, field.path) !== 'plaintext') continue;
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
    findings.push({ code: 'REF_UNRESOLVED', severity: 'error', file, jsonPath: '<root>', message: `Invalid JSON in models.json: ${(err as Error).message}` });
    return;
  }
  filesScanned.add(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message could quote file content; name the problem only.
    findings.push({ code: 'REF_UNRESOLVED', severity: 'error', file, jsonPath: '<root>', message: 'Invalid JSON in models.json: could not parse JSON.' });
    return;
  }
  if (!isRecord(parsed) || !isRecord(parsed.providers)) return;
  for (const [providerId, provider] of Object.entries(parsed.providers)) {
    if (!isRecord(provider)) continue;
    const apiKey = provider.apiKey;
    if (coerceSecretRef(apiKey)) {
      findings.push({ code: 'REF_UNRESOLVED', severity: 'error', file, jsonPath: `providers.${providerId}.apiKey`, message: 'models.json contains an unresolved SecretRef object; regenerate models.json.', provider: providerId });
    } else if (isNonEmptyString(apiKey) && !isNonSecretApiKeyMarker(apiKey)) {
      findings.push({ code: 'PLAINTEXT_FOUND', severity: 'warn', file, jsonPath: `providers.${providerId}.apiKey`, message: 'models.json provider apiKey is stored as plaintext.', provider: providerId });
    }
    if (!isRecord(provider.headers)) continue;
    for (const [name, value] of Object.entries(provider.headers)) {
      const jsonPath = `providers.${providerId}.headers.${name}`;
      if (coerceSecretRef(value)) {
        findings.push({ code: 'REF_UNRESOLVED', severity: 'error', file, jsonPath, message: 'models.json contains an unresolved SecretRef object for provider headers; regenerate models.json.', provider: providerId });
        continue;
      }
      if (!isNonEmptyString(value) || isSecretRefHeaderMarker(value) || !isSensitiveHeaderName(name)) continue;
      findings.push({ code: 'PLAINTEXT_FOUND', severity: 'warn', file, jsonPath, message: 'models.json provider header value is stored as plaintext.', provider: providerId });
    }
  }
}

async function collectUnresolvedFindings(
  assignments: RefAssignment[],
  config: Record<string, unknown>,
  opts: AuditOptions,
  env: NodeJS.ProcessEnv,
  findings: AuditFinding[],
): Promise<{ refsChecked: number; skippedExecRefs: number }> {
  const secrets = isRecord(config.secrets) ? config.secrets : {};
  const providers = (isRecord(secrets.providers) ? secrets.providers : {}) as Record<string, ProviderConfig>;
  const defaults = (isRecord(secrets.defaults) ? secrets.defaults : undefined) as SecretDefaults | undefined;
  const unique = new Map<string, SecretRef>();
  for (const a of assignments) if (!unique.has(secretRefKey(a.ref))) unique.set(secretRefKey(a.ref), a.ref);
  const outcomes = await resolveRefs([...unique.values()], { providers, defaults }, { env, allowExec: opts.allowExec, onExecSpawn: opts.onExecSpawn });
  let refsChecked = 0;
  let skippedExecRefs = 0;
  for (const [key, ref] of unique) {
    const skipped = ref.source === 'exec' && !opts.allowExec;
    if (skipped) skippedExecRefs++;
    else refsChecked++;
    void key;
  }
  for (const a of assignments) {
    const key = secretRefKey(a.ref);
    const outcome = outcomes.get(key);
    const label = `${a.ref.source}:${a.ref.provider}:${a.ref.id}`;
    const base = { severity: 'error' as const, file: a.file, jsonPath: a.jsonPath, ...(a.provider ? { provider: a.provider } : {}) };
    if (outcome && !outcome.ok) {
      if (outcome.error.code === 'SECRET_EXEC_SKIPPED') continue;
      // 9.6 prints a skipped exec ref's static error through a plain Error, hence the prefix.
      const reason = outcome.skipped ? `Error: ${outcome.error.message}` : outcome.error.message;
      const code = outcome.error.code === ('SECRET_REF_REDACTED_VALUE' as string) ? 'PLACEHOLDER_VALUE' : 'REF_UNRESOLVED';
      findings.push({ code, ...base, message: `Failed to resolve ${label} (${reason}).` });
      continue;
    }
    if (!outcome) {
      findings.push({ code: 'REF_UNRESOLVED', ...base, message: `Failed to resolve ${label} (resolved value is missing).` });
      continue;
    }
    const ok = a.expected === 'string' ? isNonEmptyString(outcome.value) : isNonEmptyString(outcome.value) || isRecord(outcome.value);
    if (!ok) {
      const why = a.expected === 'string' ? 'resolved value is not a non-empty string' : 'resolved value is not a string/object';
      findings.push({ code: 'REF_UNRESOLVED', ...base, message: `Failed to resolve ${label} (${why}).` });
    }
  }
  return { refsChecked, skippedExecRefs };
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

/** Audit the config, agent files and `.env` of one OpenClaw state; never returns a secret value. */
export async function runSecretsAudit(opts: AuditOptions): Promise<AuditReport> {
  const { location } = opts;
  const configPath = path.resolve(location.configPath);
  const findings: AuditFinding[] = [];
  const assignments: RefAssignment[] = [];
  const filesScanned = new Set<string>([configPath]);
  const env = auditEnvironment(location, opts.env);
  let resolution = { refsChecked: 0, skippedExecRefs: 0, resolvabilityComplete: true };

  const loaded = loadConfigFile(configPath);
  const config: unknown = loaded.exists ? loaded.document?.value : {};
  const valid = isRecord(config) && validateSecretsSections(config).length === 0;
  if (valid) {
    collectConfigFindings(config, configPath, findings, assignments);
    for (const agentDir of listAgentDirs(location.stateDir)) collectModelsJsonFindings(path.join(agentDir, 'models.json'), findings, filesScanned);
    const counts = await collectUnresolvedFindings(assignments, config, opts, env, findings);
    resolution = { ...counts, resolvabilityComplete: counts.skippedExecRefs === 0 };
  } else {
    findings.push({ code: 'REF_UNRESOLVED', severity: 'error', file: configPath, jsonPath: '<root>', message: 'Config is invalid; cannot validate secret references reliably.' });
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
      findings.push({ code: 'PLAINTEXT_FOUND', severity: 'warn', file, jsonPath: `$env.${entry.key}`, message: `Potential secret found in .env (${entry.key}).` });
    }
  }

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
  if (report.resolution.skippedExecRefs > 0) {
    lines.push(
      `Audit note: skipped ${report.resolution.skippedExecRefs} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during audit.`,
    );
  }
  return lines.join('\n') + '\n';
}
