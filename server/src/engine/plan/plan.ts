// OpenClaw's apply plan (`openclaw secrets apply --from <plan>`): the shape, the strict validation
// OpenClaw 2026.9.6 runs before touching any file, and reading/writing plan files.
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import { promises as fs, constants as fsc } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from './atomicWrite';
import { checkRefId, isSecretRef, isValidProviderAlias, type ProviderConfig, type SecretRef } from '../refs/secretRef';
import { providerSchema } from '../refs/secretRefSchemas';
import {
  matchCredentialPath,
  matchTargetPath,
  materializeTargetPath,
  targetsForPlanType,
  type CredentialTarget,
} from '../targets/targetRegistry';
import { isRecord } from '../config/jsonValue';

export const PLAN_MAX_BYTES = 16 * 1024 * 1024;
export const PLAN_GENERATED_BY = 'openclaw-secrets (VS Code / CLI)';

export interface PlanOptions {
  scrubEnv?: boolean;
  scrubAuthProfilesForProviderTargets?: boolean;
  /** deprecated in OpenClaw and always forced off at apply time */
  scrubLegacyAuthJson?: boolean;
}

export interface PlanTarget {
  type: string;
  path: string;
  pathSegments?: string[];
  ref: SecretRef;
  providerId?: string;
  accountId?: string;
  agentId?: string;
  authProfileProvider?: string;
}

export interface SecretsPlan {
  version: 1;
  protocolVersion: 1 | 2;
  generatedAt?: string;
  generatedBy?: string;
  targets: PlanTarget[];
  providerUpserts?: Record<string, ProviderConfig>;
  providerDeletes?: string[];
  options?: PlanOptions;
}

/** A plan target after validation: which registry entry it hits, its concrete path and captured ids. */
export interface ResolvedPlanTarget {
  entry: CredentialTarget;
  /** the concrete path of the plaintext value (strings; array indexes as digit strings) */
  pathSegments: string[];
  /** where the ref is written: the path itself, or the sibling `...Ref` key for sibling_ref shapes */
  refPathSegments: string[];
  providerId?: string;
  accountId?: string;
}

export type PlanValidation = { ok: true; plan: SecretsPlan } | { ok: false; reason: string; path?: string };

/** OpenClaw's error for any plan it will not take; our precise reason is kept beside it. */
export class PlanFileError extends OpenClawSecretsError {
  constructor(
    message: string,
    readonly planPath: string,
    readonly reason?: string,
    code: 'PLAN_INVALID' | 'PLAN_NOT_FOUND' = 'PLAN_INVALID',
  ) {
    super(message, code);
    this.name = 'PlanFileError';
  }
}

/** A plan or `--map` path that does not parse; the message quotes the path, never a value. */
export class PlanPathError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'PLAN_PATH_INVALID');
  }
}

export function invalidPlanMessage(planPath: string): string {
  return `Invalid secrets plan file: ${planPath}. Generate a fresh plan with openclaw secrets configure --plan-out <path>.`;
}

const BLOCKED_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * A config path as OpenClaw reads it: dot-separated, `\` escapes the next character, and `[0]` or
 * `["key.with.dots"]` brackets. Throws on empty segments or unbalanced brackets.
 */
export function parsePlanPath(raw: string): Array<string | number> {
  const text = raw.trim();
  if (!text) throw new PlanPathError('Path is empty.');
  const parts: Array<string | number> = [];
  let current = '';
  let afterBracket = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      if (i + 1 >= text.length) throw new PlanPathError(`Invalid path (trailing escape): ${raw}`);
      current += text[++i];
      continue;
    }
    if (ch === '.') {
      if (current.length > 0 && !current.trim()) throw new PlanPathError(`Invalid path (empty segment): ${raw}`);
      if (!current && !afterBracket) throw new PlanPathError(`Invalid path (empty segment): ${raw}`);
      if (current) parts.push(current.trim());
      current = '';
      afterBracket = false;
      continue;
    }
    if (ch === '[') {
      if (current.length > 0 && !current.trim()) throw new PlanPathError(`Invalid path (empty segment): ${raw}`);
      if (current) parts.push(current.trim());
      current = '';
      const close = findBracketClose(text, i);
      if (close < 0) throw new PlanPathError(`Invalid path (missing "]"): ${raw}`);
      const inside = text.slice(i + 1, close).trim();
      if (!inside) throw new PlanPathError(`Invalid path (empty "[]"): ${raw}`);
      parts.push(parseBracketSegment(inside, raw));
      i = close;
      afterBracket = true;
      continue;
    }
    if (afterBracket) throw new PlanPathError(`Invalid path (text after "]"): ${raw}`);
    current += ch;
  }
  if (current.length > 0 && !current.trim()) throw new PlanPathError(`Invalid path (empty segment): ${raw}`);
  if (current) parts.push(current.trim());
  else if (!afterBracket) throw new PlanPathError(`Invalid path (empty segment): ${raw}`);
  return parts;
}

function findBracketClose(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === ']') return i;
    if ((ch === '"' || ch === "'") && !text.slice(open + 1, i).trim()) quote = ch;
  }
  return -1;
}

function parseBracketSegment(inside: string, raw: string): string | number {
  if (inside.startsWith('"') || inside.startsWith("'")) {
    const quote = inside[0];
    if (inside.length < 2 || !inside.endsWith(quote))
      throw new PlanPathError(`Invalid path bracket string (${inside}): ${raw}`);
    const body = inside.slice(1, -1);
    let value: unknown;
    try {
      value = quote === '"' ? JSON.parse(inside) : JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`);
    } catch {
      throw new PlanPathError(`Invalid path bracket string (${inside}): ${raw}`);
    }
    if (typeof value !== 'string' || !value.trim())
      throw new PlanPathError(`Invalid path bracket string (${inside}): ${raw}`);
    return value;
  }
  return /^\d+$/.test(inside) ? Number(inside) : inside;
}

type TargetCheck = { ok: true; resolved: ResolvedPlanTarget } | { ok: false; reason: string };

function describeShapes(entries: readonly CredentialTarget[]): string {
  return entries.map((e) => e.pathPattern).join(' or ');
}

/**
 * OpenClaw's per-target rule: a known type, a non-empty path whose segments (from `pathSegments` when
 * given) match it, no prototype keys, the type's registered shape, and matching providerId/accountId.
 */
export function resolvePlanTarget(candidate: {
  type?: unknown;
  path?: unknown;
  pathSegments?: unknown;
  providerId?: unknown;
  accountId?: unknown;
}): TargetCheck {
  if (typeof candidate.type !== 'string' || !candidate.type.trim())
    return { ok: false, reason: 'type must be a non-empty string' };
  const type = candidate.type;
  const pathText = typeof candidate.path === 'string' ? candidate.path.trim() : '';
  if (!pathText) return { ok: false, reason: 'path must be a non-empty dot path' };
  if (candidate.pathSegments !== undefined && !Array.isArray(candidate.pathSegments))
    return { ok: false, reason: 'pathSegments must be an array of strings' };
  let tokens: Array<string | number>;
  try {
    tokens = parsePlanPath(pathText);
  } catch (err) {
    return { ok: false, reason: `path "${pathText}" cannot be read: ${(err as Error).message}` };
  }
  const hasSegments = Array.isArray(candidate.pathSegments) && candidate.pathSegments.length > 0;
  const segments = hasSegments
    ? (candidate.pathSegments as unknown[]).map((s) => String(s).trim()).filter((s) => s !== '')
    : tokens.map(String);
  const tokensMatch = segments.length === tokens.length && segments.every((s, i) => s === String(tokens[i]));
  if (segments.length === 0) return { ok: false, reason: 'path has no segments' };
  const blocked = segments.find((s) => BLOCKED_SEGMENTS.has(s));
  if (blocked) return { ok: false, reason: `path segment "${blocked}" is not allowed` };
  if (!tokensMatch && pathText !== segments.join('.')) {
    return {
      ok: false,
      reason: `path "${pathText}" does not equal its pathSegments joined with "." (${JSON.stringify(segments)})`,
    };
  }
  // A channel id that looks like a path (`a/b`, `c:d`) never names a channel.
  if (segments[0] === 'channels' && segments[1] !== undefined && /[\\/:]/.test(segments[1])) {
    return { ok: false, reason: `channel id "${segments[1]}" is not a plain channel name` };
  }
  const known = targetsForPlanType(type).filter((e) => e.includeInPlan);
  if (known.length === 0) return { ok: false, reason: `type "${type}" is not a known plan target type` };
  // 2026.9.6 knows plugin-owned paths (most channels) only when that plugin is installed; without it, the plan is invalid.
  const entries = known.filter((e) => e.reportedByLatestAudit);
  if (entries.length === 0)
    return {
      ok: false,
      reason: `type "${type}" belongs to a plugin that is not installed (OpenClaw 2026.9.6 knows its paths only with the plugin)`,
    };
  // Array positions (`list[]`) accept a digit segment when the path is a plain dot path, as OpenClaw's legacy form.
  const allowDigitStrings = pathText === segments.join('.');
  const matchPath: Array<string | number> = (tokensMatch ? tokens : segments).map((t) =>
    typeof t === 'string' && allowDigitStrings && /^\d+$/.test(t) ? Number(t) : t,
  );
  const wantProvider =
    typeof candidate.providerId === 'string' && candidate.providerId.trim() ? candidate.providerId : undefined;
  const wantAccount =
    typeof candidate.accountId === 'string' && candidate.accountId.trim() ? candidate.accountId : undefined;
  let mismatch: string | undefined;
  for (const entry of entries) {
    const captures = matchTargetPath(entry, matchPath);
    if (!captures) continue;
    const resolved = toResolved(entry, segments, captures);
    if (wantProvider && resolved.providerId !== wantProvider) {
      mismatch = `providerId "${wantProvider}" does not match the provider id in the path ("${resolved.providerId ?? ''}")`;
      continue;
    }
    if (wantAccount && resolved.accountId !== wantAccount) {
      mismatch = `accountId "${wantAccount}" does not match the account id in the path ("${resolved.accountId ?? ''}")`;
      continue;
    }
    return { ok: true, resolved };
  }
  return {
    ok: false,
    reason: mismatch ?? `path "${pathText}" does not match the shape of type ${type} (${describeShapes(entries)})`,
  };
}

function toResolved(entry: CredentialTarget, segments: string[], captures: readonly string[]): ResolvedPlanTarget {
  const refPath = entry.secretShape === 'sibling_ref' ? materializeTargetPath(entry, captures).refPath : undefined;
  return {
    entry,
    pathSegments: segments,
    refPathSegments: refPath ?? segments,
    providerId: entry.providerIdPathSegmentIndex !== undefined ? segments[entry.providerIdPathSegmentIndex] : undefined,
    accountId: entry.accountIdPathSegmentIndex !== undefined ? segments[entry.accountIdPathSegmentIndex] : undefined,
  };
}

function checkRef(ref: unknown): string | undefined {
  if (!isRecord(ref)) return 'ref must be an object { source, provider, id }';
  if (!['env', 'file', 'exec', 'store'].includes(ref.source as string))
    return `ref.source must be "env", "file", "exec" or "store"`;
  if (typeof ref.provider !== 'string' || !ref.provider.trim()) return 'ref.provider must be a non-empty string';
  if (typeof ref.id !== 'string' || !ref.id.trim()) return 'ref.id must be a non-empty string';
  if (!isSecretRef(ref)) return 'ref must have exactly the keys source, provider and id';
  if (!isValidProviderAlias(ref.provider)) return `ref.provider "${ref.provider}" must match /^[a-z][a-z0-9_-]{0,63}$/`;
  const idProblem = checkRefId(ref.source, ref.id);
  return idProblem ? `ref.id: ${idProblem}` : undefined;
}

/** OpenClaw's plan check, target by target, with the first rule broken explained. */
export function validateSecretsPlan(value: unknown): PlanValidation {
  if (!isRecord(value)) return { ok: false, reason: 'the plan must be a JSON object' };
  if (value.version !== 1) return { ok: false, reason: 'version must be 1', path: 'version' };
  // OpenClaw 2026.9.6 accepts only protocolVersion 1 (its plan check compares with 1 exactly).
  if (value.protocolVersion !== 1)
    return {
      ok: false,
      reason: 'protocolVersion must be 1 (OpenClaw 2026.9.6 takes no other)',
      path: 'protocolVersion',
    };
  if (!Array.isArray(value.targets)) return { ok: false, reason: 'targets must be an array', path: 'targets' };
  for (let i = 0; i < value.targets.length; i++) {
    const at = `targets[${i}]`;
    const target: unknown = value.targets[i];
    if (!isRecord(target)) return { ok: false, reason: `${at} must be an object`, path: at };
    const check = resolvePlanTarget(target);
    if (!check.ok) return { ok: false, reason: `${at}: ${check.reason}`, path: at };
    const refProblem = checkRef(target.ref);
    if (refProblem) return { ok: false, reason: `${at}: ${refProblem}`, path: `${at}.ref` };
    if (check.resolved.entry.configFile === 'auth-profiles.json') {
      if (typeof target.agentId !== 'string' || !target.agentId.trim())
        return { ok: false, reason: `${at}: auth-profile targets need a non-empty agentId`, path: `${at}.agentId` };
      if (
        target.authProfileProvider !== undefined &&
        (typeof target.authProfileProvider !== 'string' || !target.authProfileProvider.trim())
      ) {
        return {
          ok: false,
          reason: `${at}: authProfileProvider must be a non-empty string when present`,
          path: `${at}.authProfileProvider`,
        };
      }
    }
  }
  if (value.providerUpserts !== undefined) {
    if (!isRecord(value.providerUpserts))
      return { ok: false, reason: 'providerUpserts must be an object of alias -> provider', path: 'providerUpserts' };
    for (const [alias, provider] of Object.entries(value.providerUpserts)) {
      if (!isValidProviderAlias(alias))
        return {
          ok: false,
          reason: `providerUpserts: alias "${alias}" must match /^[a-z][a-z0-9_-]{0,63}$/`,
          path: `providerUpserts.${alias}`,
        };
      const parsed = providerSchema.safeParse(provider);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = [alias, ...issue.path.map(String)].join('.');
        return { ok: false, reason: `providerUpserts.${where}: ${issue.message}`, path: `providerUpserts.${alias}` };
      }
    }
  }
  if (value.providerDeletes !== undefined) {
    if (!Array.isArray(value.providerDeletes))
      return { ok: false, reason: 'providerDeletes must be an array of aliases', path: 'providerDeletes' };
    const bad = value.providerDeletes.find((a) => typeof a !== 'string' || !isValidProviderAlias(a));
    if (bad !== undefined)
      return {
        ok: false,
        reason: `providerDeletes: ${JSON.stringify(bad)} is not a valid provider alias`,
        path: 'providerDeletes',
      };
  }
  return { ok: true, plan: value as unknown as SecretsPlan };
}

/** The options apply runs with: omitted ones default to on; legacy auth.json scrubbing is always off. */
export function normalizePlanOptions(options: PlanOptions | undefined): Required<PlanOptions> {
  return {
    scrubEnv: options?.scrubEnv ?? true,
    scrubAuthProfilesForProviderTargets: options?.scrubAuthProfilesForProviderTargets ?? true,
    scrubLegacyAuthJson: false,
  };
}

/** A plan target for a credential path in openclaw.json (or, with agentId, an auth-profiles.json path). */
export function planTargetForPath(
  path: readonly (string | number)[],
  ref: SecretRef,
  opts: { agentId?: string; authProfileProvider?: string } = {},
): PlanTarget | undefined {
  const segments = path.map(String);
  const files = opts.agentId ? (['auth-profiles.json', 'openclaw.json'] as const) : (['openclaw.json'] as const);
  for (const configFile of files) {
    const match = matchCredentialPath(configFile, path);
    if (!match || !match.target.includeInPlan) continue;
    const resolved = toResolved(match.target, segments, match.captures);
    const target: PlanTarget = {
      type: match.target.targetType,
      path: segments.join('.'),
      pathSegments: segments,
      ref: { source: ref.source, provider: ref.provider, id: ref.id },
    };
    if (resolved.providerId !== undefined) target.providerId = resolved.providerId;
    if (resolved.accountId !== undefined) target.accountId = resolved.accountId;
    if (configFile === 'auth-profiles.json') {
      target.agentId = opts.agentId;
      if (opts.authProfileProvider) target.authProfileProvider = opts.authProfileProvider;
    }
    return target;
  }
  return undefined;
}

function targetKey(t: PlanTarget): string {
  return JSON.stringify([t.agentId ?? '', t.pathSegments ?? t.path]);
}

/** Add targets and provider changes to a plan: the same path is replaced, upserts/deletes merged (last wins). */
export function mergePlans(existing: SecretsPlan | undefined, addition: Partial<SecretsPlan>): SecretsPlan {
  const targets = new Map<string, PlanTarget>();
  for (const t of existing?.targets ?? []) targets.set(targetKey(t), t);
  for (const t of addition.targets ?? []) {
    targets.delete(targetKey(t)); // re-insert so the newest mapping sorts last
    targets.set(targetKey(t), t);
  }
  // Null prototype: an alias is a plain key, never the `__proto__` setter.
  const upserts: Record<string, ProviderConfig> = Object.assign(
    Object.create(null) as Record<string, ProviderConfig>,
    existing?.providerUpserts ?? {},
  );
  const deletes = new Set(existing?.providerDeletes ?? []);
  for (const alias of addition.providerDeletes ?? []) {
    delete upserts[alias];
    deletes.add(alias);
  }
  for (const [alias, config] of Object.entries(addition.providerUpserts ?? {})) {
    Object.defineProperty(upserts, alias, { value: config, enumerable: true, writable: true, configurable: true });
    deletes.delete(alias);
  }
  const plan: SecretsPlan = {
    version: 1,
    protocolVersion: 1,
    generatedAt: addition.generatedAt ?? new Date().toISOString(),
    generatedBy: addition.generatedBy ?? existing?.generatedBy ?? PLAN_GENERATED_BY,
    targets: [...targets.values()],
  };
  if (Object.keys(upserts).length) plan.providerUpserts = upserts;
  if (deletes.size) plan.providerDeletes = [...deletes].sort();
  const options = { ...(existing?.options ?? {}), ...(addition.options ?? {}) };
  if (Object.keys(options).length) plan.options = options;
  return plan;
}

/** Pretty JSON with a trailing newline, as OpenClaw writes plans; refused over the 16 MiB cap. */
export function serializePlan(plan: SecretsPlan, planPath: string): string {
  const raw = `${JSON.stringify(plan, null, 2)}\n`;
  if (Buffer.byteLength(raw, 'utf8') > PLAN_MAX_BYTES) {
    throw new PlanFileError(
      `Secrets plan exceeds ${PLAN_MAX_BYTES} bytes and cannot be written: ${planPath}`,
      planPath,
    );
  }
  return raw;
}

/** Read a plan the way OpenClaw does: a regular file up to 16 MiB, JSON, then the strict check. */
export async function readPlanFile(planPath: string): Promise<SecretsPlan> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK so a FIFO at the path cannot hang us before the regular-file check.
    handle = await fs.open(planPath, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new PlanFileError(`Secrets plan file not found: ${planPath}`, planPath, undefined, 'PLAN_NOT_FOUND');
    throw new PlanFileError(`Secrets plan file cannot be read (${code ?? 'error'}): ${planPath}`, planPath);
  }
  let raw: string;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new PlanFileError(`Secrets plan path is not a regular file: ${planPath}`, planPath);
    if (st.size > PLAN_MAX_BYTES)
      throw new PlanFileError(`Secrets plan file exceeds ${PLAN_MAX_BYTES} bytes: ${planPath}`, planPath);
    const buf = Buffer.alloc(Math.min(st.size, PLAN_MAX_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > PLAN_MAX_BYTES)
        throw new PlanFileError(`Secrets plan file exceeds ${PLAN_MAX_BYTES} bytes: ${planPath}`, planPath);
      if (length === buf.length) break;
    }
    raw = buf.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PlanFileError(`Malformed JSON in secrets plan file: ${planPath}`, planPath);
  }
  const check = validateSecretsPlan(parsed);
  if (!check.ok) throw new PlanFileError(invalidPlanMessage(planPath), planPath, check.reason);
  return check.plan;
}

/** Write a plan atomically (0600): it is validated first, so we never hand OpenClaw a plan it refuses. */
export async function writePlanFile(planPath: string, plan: SecretsPlan): Promise<void> {
  const check = validateSecretsPlan(plan);
  if (!check.ok) throw new PlanFileError(invalidPlanMessage(planPath), planPath, check.reason);
  await writeFileAtomic(planPath, serializePlan(plan, planPath), 0o600);
}

/** Merge additions into the plan file (created when missing); an existing file that is not a valid plan is never overwritten. */
export async function mergeIntoPlanFile(planPath: string, additions: readonly Partial<SecretsPlan>[]): Promise<void> {
  let plan: SecretsPlan | undefined;
  try {
    plan = await readPlanFile(planPath);
  } catch (err) {
    if (!(err instanceof PlanFileError && err.code === 'PLAN_NOT_FOUND')) {
      throw new PlanFileError(`${basename(planPath)} exists but is not a valid plan; not overwriting it`, planPath);
    }
  }
  for (const a of additions) plan = mergePlans(plan, a);
  if (plan) await writePlanFile(planPath, plan);
}
