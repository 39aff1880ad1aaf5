// `secrets apply`: project a plan onto openclaw.json, the auth-profile stores and .env in memory,
// check every target ref resolves, then write each changed file atomically with full rollback.
// Unlike OpenClaw no backup file is written: a `.bak` would keep the plaintext the plan migrates away.
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  acquireApplyLock,
  ApplyTransactionError,
  commitFileWrites,
  describeLockHolder,
  describeRecovery,
  recoverInterruptedApply,
  type FileWrite,
} from './applyTransaction';
import { fingerprint } from '../runtime/fingerprint';
import { auditEnvironment } from '../audit/audit';
import { KNOWN_SECRET_ENV_VARS } from '../audit/auditClassify';
import { validateSecretsSections } from '../audit/auditConfigValidity';
import { findNode, nodeToValue, parseConfigText, type ConfigNode } from '../config/configDocument';
import { expandHome, type ConfigLocation } from '../config/configLocation';
import {
  normalizePlanOptions,
  resolvePlanTarget,
  type PlanTarget,
  type ResolvedPlanTarget,
  type SecretsPlan,
} from './plan';
import { resolveProviderFor, resolveRefs } from '../resolve';
import { readConfigSecrets } from '../config/secretsConfig';
import { refOfField } from '../refs/configRefs';
import { coerceSecretRef, secretRefKey, type SecretDefaults, type SecretRef } from '../refs/secretRef';
import { dotEnvPaths, listAgentDirs, parseDotEnv } from '../config/stateFiles';
import { WITHHELD } from '../store/secretStore';
import { readAgentAuthProfileStore } from '../store/authProfileStore';
import { nodeSqliteAvailable } from '../store/sqliteStoreReader';
import {
  AuthProfileStoreWriteError,
  authProfileStoreWriteProblem,
  noSqliteRefusal,
  stageAgentAuthProfileStore,
  type PendingAuthProfileStoreWrite,
} from '../store/authProfileStoreWriter';
import { collectCredentialFields } from '../targets/targetRegistry';
import { removeMemberEdit, replaceValueEdit, setValueEdit, applyTextEdits, type TextEdit } from '../config/textEdits';
import { detectJsonStyle, type JsonStyle } from '../config/jsonStyle';
import { displayString, isNonEmptyString, isRecord } from '../config/jsonValue';
import { readRegularFile, RegularFileError } from '../config/readRegularFile';

export interface ApplyResult {
  mode: 'dry-run' | 'write';
  changed: boolean;
  changedFiles: string[];
  checks: { resolvability: boolean; resolvabilityComplete: boolean };
  refsChecked: number;
  skippedExecRefs: number;
  warningCount: number;
  warnings: string[];
}

export interface ApplyOptions {
  plan: SecretsPlan;
  /** where the plan came from (for messages) */
  planPath: string;
  location: ConfigLocation;
  env: NodeJS.ProcessEnv;
  dryRun: boolean;
  allowExec: boolean;
  /** replace plaintexts even where the new ref resolves to a different value (`--force`, the editor's modal) */
  force?: boolean;
  /** a dry-run refuses value loss too (configure's preflight), instead of only noting it */
  refuseValueLossInDryRun?: boolean;
  /** how long a write waits for another apply's lock (default 120 s) */
  lockWaitMs?: number;
  /** told when an interrupted apply was finished or rolled back first (the CLI prints it on stderr) */
  onNotice?: (line: string) => void;
}

/** A failure apply reports to the user: OpenClaw's message, never a value. */
export class ApplyError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'APPLY_FAILED');
    this.name = 'ApplyError';
  }
}

/** One target whose plaintext differs from what its new ref resolves to: replacing it would lose a value. */
export interface ValueConflict {
  path: string;
  refKey: string;
  /** fingerprint of the plaintext the target holds now */
  held: string;
  /** fingerprint of the value the ref resolves to */
  resolved: string;
}

/** apply refused because a plaintext would be replaced by a ref holding a different value; `force` overrides. */
export class ValueLossError extends ApplyError {
  constructor(readonly conflicts: ValueConflict[]) {
    super(
      `Refusing to replace ${conflicts.length} plaintext value(s) with a ref that resolves to a different value (the plaintext would be lost): ` +
        conflicts.map((c) => `${c.path} holds ${c.held} but ${c.refKey} resolves to ${c.resolved}`).join('; ') +
        '. Update the provider to hold the current value, or re-run with --force to replace it anyway',
    );
    this.name = 'ValueLossError';
  }
}

export const EXEC_CONSENT_MESSAGE = 'Plan contains exec SecretRefs/providers. Re-run with --allow-exec.';

// ---------- openclaw.json: minimal edits on the text ----------

const pathKey = (p: readonly string[]): string => p.join('\u0000');

/**
 * Holds the config text and changes it with minimal edits, so comments and JSON5 style survive. Replacing an
 * existing value (the usual migration) is queued and all queued edits are applied in one pass; only an edit
 * that changes structure re-parses, so n targets cost O(n), not n re-parses of the whole file.
 */
class ConfigTextEditor {
  private current: string;
  private root: ConfigNode | undefined;
  private cachedValue: unknown;
  private readonly members = new WeakMap<ConfigNode, Map<string, ConfigNode>>();
  private readonly pending = new Map<string, TextEdit>();
  /** every strict prefix of a pending path, so an edit or read inside or around one flushes first */
  private readonly pendingPrefixes = new Set<string>();
  /** the style of the file as found: every value and member we write follows it */
  private readonly style: Readonly<JsonStyle>;
  constructor(
    readonly fileName: string,
    readonly originalText: string | undefined,
  ) {
    this.current = originalText ?? '{}\n';
    this.root = this.reparse();
    this.style = detectJsonStyle(this.current, this.root);
  }
  private reparse(): ConfigNode | undefined {
    const doc = parseConfigText(this.current, this.fileName);
    if (doc.syntaxError) throw new ApplyError('Cannot apply secrets plan: config is invalid.');
    this.cachedValue = undefined;
    return doc.root;
  }
  private flush(): void {
    if (this.pending.size === 0) return;
    this.current = applyTextEdits(this.current, [...this.pending.values()]);
    this.pending.clear();
    this.pendingPrefixes.clear();
    this.root = this.reparse();
  }
  /** true when `p` is, is inside, or contains a path with a queued edit */
  private touchesPending(p: readonly string[]): boolean {
    if (this.pending.size === 0) return false;
    if (this.pendingPrefixes.has(pathKey(p))) return true;
    for (let i = 1; i <= p.length; i++) if (this.pending.has(pathKey(p.slice(0, i)))) return true;
    return false;
  }
  /** findNode with a per-object key index (last member wins, as in the parsed value) */
  private find(p: readonly string[]): ConfigNode | undefined {
    let node = this.root;
    for (const seg of p) {
      if (!node) return undefined;
      if (node.type === 'object') {
        let index = this.members.get(node);
        if (!index) {
          index = new Map();
          for (const m of node.members) index.set(m.key, m.value);
          this.members.set(node, index);
        }
        node = index.get(seg);
      } else node = findNode(node, [seg]);
    }
    return node;
  }
  get text(): string {
    this.flush();
    return this.current;
  }
  get value(): unknown {
    this.flush();
    if (this.cachedValue === undefined) this.cachedValue = this.root ? nodeToValue(this.root) : {};
    return this.cachedValue;
  }
  get(p: readonly string[]): unknown {
    if (this.touchesPending(p)) this.flush();
    const node = this.find(p);
    return node ? nodeToValue(node) : undefined;
  }
  get changed(): boolean {
    return this.text !== (this.originalText ?? '{}\n');
  }
  /** Set `p` to `value`, creating missing parent objects; false when it already holds an equal value. */
  set(p: readonly string[], value: unknown): boolean {
    if (this.touchesPending(p)) this.flush();
    const existing = this.find(p);
    if (existing && isDeepStrictEqual(nodeToValue(existing), value)) return false;
    if (existing) {
      this.pending.set(pathKey(p), replaceValueEdit(existing, [], value, this.style));
      for (let i = 0; i < p.length; i++) this.pendingPrefixes.add(pathKey(p.slice(0, i)));
      this.cachedValue = undefined;
      return true;
    }
    this.flush();
    let depth = p.length;
    while (depth > 0 && !this.find(p.slice(0, depth))) depth--;
    const parent = this.find(p.slice(0, depth));
    if (!parent || parent.type !== 'object')
      throw new ApplyError(`Invalid path shape at ${p.slice(0, depth).join('.') || '<root>'}.`);
    let nested: unknown = value;
    for (let i = p.length - 1; i > depth; i--) {
      if (/^\d+$/.test(p[i])) {
        if (p[i] !== '0') throw new ApplyError(`Invalid path shape at ${p.slice(0, i).join('.')}.`);
        nested = [nested];
      } else nested = { [p[i]]: nested };
    }
    return this.edit(setValueEdit(this.current, this.root, p.slice(0, depth + 1), nested, this.style));
  }
  remove(p: readonly string[]): boolean {
    this.flush();
    if (!this.find(p)) return false;
    const parent = this.find(p.slice(0, -1));
    if (!parent || parent.type !== 'object') throw new ApplyError(`Invalid path shape at ${p.slice(0, -1).join('.')}.`);
    return this.edit(removeMemberEdit(this.current, this.root, p));
  }
  private edit(e: TextEdit): boolean {
    this.current = applyTextEdits(this.current, [e]);
    this.root = this.reparse();
    return true;
  }
}

// ---------- plain JSON documents (auth-profiles.json) ----------

function getPath(root: unknown, p: readonly string[]): unknown {
  let node = root;
  for (const seg of p) {
    if (Array.isArray(node)) node = /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
    else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, seg)) node = node[seg];
    else return undefined;
  }
  return node;
}

/** OpenClaw's setPathCreateStrict: create `{}`/`[]` parents, refuse a parent of the wrong type. */
function setPathStrict(root: Record<string, unknown>, p: readonly string[], value: unknown): boolean {
  let node: unknown = root;
  for (let i = 0; i < p.length - 1; i++) {
    const seg = p[i];
    const nextIsIndex = /^\d+$/.test(p[i + 1]);
    const container = node as Record<string, unknown>;
    let child = Array.isArray(container) ? container[Number(seg)] : container[seg];
    if (child === undefined) {
      child = nextIsIndex ? [] : {};
      if (Array.isArray(container)) container[Number(seg)] = child;
      else
        Object.defineProperty(container, seg, { value: child, enumerable: true, writable: true, configurable: true });
    } else if (typeof child !== 'object' || child === null || Array.isArray(child) !== nextIsIndex) {
      throw new ApplyError(`Invalid path shape at ${p.slice(0, i + 1).join('.')}.`);
    }
    node = child;
  }
  const last = p[p.length - 1];
  const container = node as Record<string, unknown>;
  const current = Array.isArray(container) ? container[Number(last)] : container[last];
  if (isDeepStrictEqual(current, value)) return false;
  if (Array.isArray(container)) container[Number(last)] = structuredClone(value);
  else
    Object.defineProperty(container, last, {
      value: structuredClone(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return true;
}

function deletePath(root: unknown, p: readonly string[]): boolean {
  const parent = getPath(root, p.slice(0, -1));
  const key = p[p.length - 1];
  if (!isRecord(parent) || !Object.prototype.hasOwnProperty.call(parent, key)) return false;
  delete parent[key];
  return true;
}

// ---------- state files ----------

async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readRegularFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as RegularFileError).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    // Not a regular file (FIFO, device, directory) or too big: say so, never block or read it all.
    if (err instanceof RegularFileError) throw new ApplyError(err.message);
    throw new ApplyError(`Cannot read ${file} (${code ?? 'error'}).`);
  }
}

interface AuthStore {
  path: string;
  existed: boolean;
  store: Record<string, unknown>;
  changed: boolean;
  /** set for an agent's SQLite store: the row as read (undefined when absent), or why it could not be read */
  sqlite?: { raw?: string; unreadable?: string };
  /** the plan targets bound for this store, as a refusal names them */
  targets?: string[];
}

/** The agent dir OpenClaw uses: `agents.list[].agentDir` when configured, else `<stateDir>/agents/<id>/agent`. */
export function agentDirFor(config: unknown, agentId: string, stateDir: string, env: NodeJS.ProcessEnv): string {
  const list = getPath(config, ['agents', 'list']);
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (isRecord(entry) && entry.id === agentId && isNonEmptyString(entry.agentDir))
        return path.resolve(expandHome(entry.agentDir.trim(), env));
    }
  }
  return path.join(stateDir, 'agents', agentId, 'agent');
}

export function authStorePathFor(agentDir: string): string {
  return path.join(agentDir, 'auth-profiles.json');
}

/** Every auth store that exists: each `<stateDir>/agents/*\/agent/` plus configured agent dirs. */
async function listAuthStorePaths(config: unknown, stateDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const paths = new Set<string>(listAgentDirs(stateDir).map(authStorePathFor));
  const list = getPath(config, ['agents', 'list']);
  if (Array.isArray(list)) {
    for (const entry of list)
      if (isRecord(entry) && isNonEmptyString(entry.id))
        paths.add(authStorePathFor(agentDirFor(config, entry.id.trim(), stateDir, env)));
  }
  return [...paths].sort();
}

async function loadAuthStore(stores: Map<string, AuthStore>, file: string): Promise<AuthStore | undefined> {
  const known = stores.get(file);
  if (known) return known;
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  let store: unknown;
  try {
    store = JSON.parse(text);
  } catch {
    // Never overwrite a store we cannot read: it may hold credentials we would lose.
    throw new ApplyError(`Cannot apply secrets plan: ${file} is not valid JSON.`);
  }
  const entry: AuthStore = { path: file, existed: true, store: isRecord(store) ? store : {}, changed: false };
  stores.set(file, entry);
  return entry;
}

/** An agent's SQLite auth-profile store, where 2026.9.6 keeps what plan targets change (empty when absent). */
function loadSqliteAuthStore(stores: Map<string, AuthStore>, agentDir: string): AuthStore {
  const file = path.join(agentDir, 'openclaw-agent.sqlite');
  const known = stores.get(file);
  if (known) return known;
  const read = readAgentAuthProfileStore(agentDir);
  const entry: AuthStore = {
    path: file,
    existed: read !== undefined,
    store: read?.payload ?? {},
    changed: false,
    sqlite: { raw: read?.raw, unreadable: read?.problem },
  };
  stores.set(file, entry);
  return entry;
}

function ensureMutableStore(entry: AuthStore): Record<string, unknown> {
  const s = entry.store;
  if (typeof s.version !== 'number' || !Number.isFinite(s.version)) s.version = 1;
  if (!isRecord(s.profiles)) s.profiles = {};
  return s;
}

/** Drop only the lines of known credential variables whose value was migrated; keep every other byte. */
export function scrubDotEnv(
  text: string,
  migrated: ReadonlySet<string>,
  knownKeys: ReadonlySet<string>,
): { text: string; removed: number } {
  if (migrated.size === 0) return { text, removed: 0 };
  const drop = new Set(
    parseDotEnv(text)
      .filter((e) => knownKeys.has(e.key) && migrated.has(e.value))
      .map((e) => e.line),
  );
  if (drop.size === 0) return { text, removed: 0 };
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return { text: lines.filter((_, i) => !drop.has(i)).join(''), removed: drop.size };
}

// ---------- projection ----------

export interface ApplyProjection {
  configPath: string;
  config: ConfigTextEditor;
  authStores: Map<string, AuthStore>;
  envFiles: Map<string, string>;
  changedFiles: Set<string>;
  warnings: string[];
  /** each target with the plaintext it held before (compared with what its new ref resolves to) */
  resolvedTargets: Array<{ target: PlanTarget; resolved: ResolvedPlanTarget; previous?: string }>;
}

function planHasExec(plan: SecretsPlan): boolean {
  return (
    plan.targets.some((t) => t.ref.source === 'exec') ||
    Object.values(plan.providerUpserts ?? {}).some((p) => p.source === 'exec')
  );
}

function checkConfigValid(config: ConfigTextEditor): void {
  if (validateSecretsSections(config.value).length > 0)
    throw new ApplyError('Cannot apply secrets plan: config is invalid.');
}

function applyProviderMutations(config: ConfigTextEditor, plan: SecretsPlan): boolean {
  const current = config.get(['secrets', 'providers']);
  const providers: Record<string, unknown> = isRecord(current) ? { ...current } : {};
  let changed = false;
  for (const alias of plan.providerDeletes ?? []) {
    if (!Object.prototype.hasOwnProperty.call(providers, alias)) continue;
    delete providers[alias];
    config.remove(['secrets', 'providers', alias]);
    changed = true;
  }
  for (const [alias, provider] of Object.entries(plan.providerUpserts ?? {})) {
    if (isDeepStrictEqual(providers[alias], provider)) continue;
    providers[alias] = provider;
    config.set(['secrets', 'providers', alias], provider);
    changed = true;
  }
  if (changed && Object.keys(providers).length === 0 && config.get(['secrets', 'providers']) !== undefined)
    config.remove(['secrets', 'providers']);
  return changed;
}

async function applyAuthProfileTarget(
  projection: ApplyProjection,
  target: PlanTarget,
  resolved: ResolvedPlanTarget,
  location: ConfigLocation,
  env: NodeJS.ProcessEnv,
  scrubbed: Set<string>,
): Promise<void> {
  const agentId = (target.agentId ?? '').trim();
  if (!agentId) throw new ApplyError(`Missing required agentId for auth-profiles target ${target.path}.`);
  const entry = loadSqliteAuthStore(
    projection.authStores,
    agentDirFor(projection.config.value, agentId, location.stateDir, env),
  );
  const file = entry.path;
  (entry.targets ??= []).push(`${target.path} (agent "${agentId}")`);
  if (entry.sqlite?.unreadable) {
    // Without its contents (e.g. Node 20 has no node:sqlite) the dry-run still names the file; the write refuses.
    entry.changed = true;
    projection.changedFiles.add(file);
    return;
  }
  const store = ensureMutableStore(entry);
  const profilePath = resolved.pathSegments.slice(0, 2);
  const profileId = profilePath[1];
  const current = getPath(store, profilePath);
  const expectedType = resolved.entry.authProfileType;
  let changed = false;
  if (isRecord(current)) {
    if (expectedType && typeof current.type === 'string' && current.type !== expectedType) {
      throw new ApplyError(
        `Auth profile "${profileId}" type mismatch for ${target.path}: expected "${expectedType}", got "${displayString(current.type)}".`,
      );
    }
    if (!isNonEmptyString(current.provider) && isNonEmptyString(target.authProfileProvider))
      changed = setPathStrict(store, [...profilePath, 'provider'], target.authProfileProvider) || changed;
  } else {
    const provider = (target.authProfileProvider ?? '').trim();
    if (!provider)
      throw new ApplyError(`Cannot create auth profile "${profileId}" for ${target.path} without authProfileProvider.`);
    changed = setPathStrict(store, profilePath, { type: expectedType, provider }) || changed;
  }
  const previous = getPath(store, resolved.pathSegments);
  if (isNonEmptyString(previous)) {
    scrubbed.add(previous.trim());
    const last = projection.resolvedTargets[projection.resolvedTargets.length - 1];
    if (last?.target === target) last.previous = previous;
  }
  changed = setPathStrict(store, resolved.refPathSegments, target.ref) || changed;
  if (resolved.refPathSegments !== resolved.pathSegments) changed = deletePath(store, resolved.pathSegments) || changed;
  if (changed) {
    entry.changed = true;
    projection.changedFiles.add(file);
  }
}

/** In every auth store, drop plaintext (and unusable refs) of profiles whose provider the plan migrated. */
async function scrubAuthStores(
  projection: ApplyProjection,
  providers: Set<string>,
  location: ConfigLocation,
  env: NodeJS.ProcessEnv,
  scrubbed: Set<string>,
): Promise<void> {
  if (providers.size === 0) return;
  const defaults = projection.config.get(['secrets', 'defaults']) as SecretDefaults | undefined;
  for (const file of await listAuthStorePaths(projection.config.value, location.stateDir, env)) {
    const entry = await loadAuthStore(projection.authStores, file);
    if (!entry || !isRecord(entry.store.profiles)) continue;
    let mutated = false;
    for (const profile of Object.values(entry.store.profiles)) {
      if (!isRecord(profile) || !isNonEmptyString(profile.provider)) continue;
      const provider = profile.provider.trim().toLowerCase();
      if (!providers.has(provider)) continue;
      const fields =
        profile.type === 'api_key' ? ['key', 'keyRef'] : profile.type === 'token' ? ['token', 'tokenRef'] : undefined;
      if (fields) {
        const [valueField, refField] = fields;
        if (isNonEmptyString(profile[valueField])) scrubbed.add((profile[valueField] as string).trim());
        if (valueField in profile) {
          delete profile[valueField];
          mutated = true;
        }
        if (refField in profile && coerceSecretRef(profile[refField], defaults) === undefined) {
          delete profile[refField];
          mutated = true;
        }
      } else if (profile.type === 'oauth' && (isNonEmptyString(profile.access) || isNonEmptyString(profile.refresh))) {
        projection.warnings.push(
          `Provider "${provider}" has OAuth credentials in ${file}; those still take precedence and are out of scope for static SecretRef migration.`,
        );
      }
    }
    if (mutated) {
      entry.changed = true;
      projection.changedFiles.add(file);
    }
  }
}

/** Build the projected state of every file the plan touches, without writing anything. */
export async function projectSecretsPlan(opts: {
  plan: SecretsPlan;
  location: ConfigLocation;
  env: NodeJS.ProcessEnv;
}): Promise<ApplyProjection> {
  const { plan, location, env } = opts;
  const configPath = path.resolve(location.configPath);
  const config = new ConfigTextEditor(configPath, await readTextIfExists(configPath));
  checkConfigValid(config);
  const options = normalizePlanOptions(plan.options);
  const projection: ApplyProjection = {
    configPath,
    config,
    authStores: new Map(),
    envFiles: new Map(),
    changedFiles: new Set(),
    warnings: [],
    resolvedTargets: [],
  };
  applyProviderMutations(config, plan);
  const scrubbed = new Set<string>();
  const providerTargets = new Set<string>();
  for (const target of plan.targets) {
    const check = resolvePlanTarget(target);
    if (!check.ok) throw new ApplyError(`Invalid plan target path for ${target.type}: ${target.path}`);
    const resolved = check.resolved;
    projection.resolvedTargets.push({ target, resolved });
    if (resolved.entry.configFile === 'auth-profiles.json') {
      await applyAuthProfileTarget(projection, target, resolved, location, env, scrubbed);
      continue;
    }
    const previous = config.get(resolved.pathSegments);
    if (isNonEmptyString(previous)) {
      scrubbed.add(previous.trim());
      projection.resolvedTargets[projection.resolvedTargets.length - 1].previous = previous;
    }
    config.set(resolved.refPathSegments, target.ref);
    if (resolved.refPathSegments !== resolved.pathSegments) config.remove(resolved.pathSegments);
    if (resolved.entry.trackProviderShadowing && resolved.providerId)
      providerTargets.add(resolved.providerId.trim().toLowerCase());
  }
  if (config.changed) projection.changedFiles.add(configPath);
  if (options.scrubAuthProfilesForProviderTargets)
    await scrubAuthStores(projection, providerTargets, location, env, scrubbed);
  if (options.scrubEnv && scrubbed.size > 0) {
    for (const envPath of dotEnvPaths(location).map((p) => path.resolve(p))) {
      const current = await readTextIfExists(envPath);
      if (current === undefined) continue;
      const next = scrubDotEnv(current, scrubbed, KNOWN_SECRET_ENV_VARS);
      if (next.removed > 0 && next.text !== current) {
        projection.envFiles.set(envPath, next.text);
        projection.changedFiles.add(envPath);
      }
    }
  }
  return projection;
}

/** The environment refs resolve in: the process env over the `.env` files OpenClaw loads at start-up. */

function valueMatches(value: unknown, expected: 'string' | 'string-or-object'): boolean {
  // A store secret seen by name only (openclaw CLI fallback): OpenClaw never keeps an empty secret.
  if (isNonEmptyString(value) || value === WITHHELD) return true;
  return expected === 'string-or-object' && isRecord(value) && Object.keys(value).length > 0;
}

/** Every ref the projected config and auth stores hold, as OpenClaw's runtime snapshot would resolve them. */
function collectRuntimeRefs(
  projection: ApplyProjection,
): Array<{ ref: SecretRef; expected: 'string' | 'string-or-object' }> {
  const config = projection.config.value;
  const { defaults } = readConfigSecrets(config);
  const out: Array<{ ref: SecretRef; expected: 'string' | 'string-or-object' }> = [];
  const add = (fields: ReturnType<typeof collectCredentialFields>) => {
    for (const field of fields) {
      const ref = refOfField(field, defaults)?.ref;
      if (ref) out.push({ ref, expected: field.target.expectedResolvedValue });
    }
  };
  add(collectCredentialFields('openclaw.json', config));
  for (const entry of projection.authStores.values()) add(collectCredentialFields('auth-profiles.json', entry.store));
  return out;
}

async function validateProjection(
  projection: ApplyProjection,
  opts: {
    env: NodeJS.ProcessEnv;
    write: boolean;
    allowExec: boolean;
    force: boolean;
    refuseValueLossInDryRun?: boolean;
    onNotice?: (line: string) => void;
  },
): Promise<{ refsChecked: number; skippedExecRefs: number; resolvabilityComplete: boolean }> {
  const input = readConfigSecrets(projection.config.value);
  let refsChecked = 0;
  let skippedExecRefs = 0;
  const toResolve: Array<{ ref: SecretRef; expected: 'string' | 'string-or-object'; path: string; previous?: string }> =
    [];
  for (const { target, resolved, previous } of projection.resolvedTargets) {
    if (target.ref.source === 'exec' && !opts.allowExec) {
      skippedExecRefs++;
      // Without consent nothing runs, but an unknown provider or a source mismatch is still an error.
      const provider = resolveProviderFor(target.ref, input);
      if (!provider.ok) throw new ApplyError(provider.error.message);
      continue;
    }
    toResolve.push({ ref: target.ref, expected: resolved.entry.expectedResolvedValue, path: target.path, previous });
  }
  // Exec runs only with consent: a write is refused earlier when the plan needs exec, and exec refs elsewhere
  // in the config are left out of the runtime check (and counted as skipped) rather than run unasked.
  const allowExec = opts.allowExec;
  if (toResolve.length) {
    const outcomes = await resolveRefs(
      toResolve.map((t) => t.ref),
      input,
      { env: opts.env, allowExec },
    );
    const conflicts: ValueConflict[] = [];
    for (const { ref, expected, path: targetPath, previous } of toResolve) {
      const outcome = outcomes.get(secretRefKey(ref));
      if (!outcome) throw new ApplyError(`Secret reference "${secretRefKey(ref)}" resolved to no value.`);
      if (!outcome.ok) throw new ApplyError(outcome.error.message);
      refsChecked++;
      if (!valueMatches(outcome.value, expected)) {
        throw new ApplyError(
          expected === 'string'
            ? `Ref ${secretRefKey(ref)} is not a non-empty string.`
            : `Ref ${secretRefKey(ref)} is not string/object.`,
        );
      }
      if (previous !== undefined && typeof outcome.value === 'string' && outcome.value.trim() !== previous.trim()) {
        conflicts.push({
          path: targetPath,
          refKey: secretRefKey(ref),
          held: fingerprint(previous),
          resolved: fingerprint(outcome.value),
        });
      }
    }
    if (conflicts.length > 0 && !opts.force) {
      const refusal = new ValueLossError(conflicts);
      // A dry-run keeps OpenClaw's answer (plans are its format); the write is what refuses, and the caller is told now.
      if (opts.write || opts.refuseValueLossInDryRun) throw refusal;
      opts.onNotice?.(`Note: a write would be refused. ${refusal.message}.`);
    }
  }
  // OpenClaw then prepares the whole runtime snapshot: every ref in the projected files must resolve.
  const fullCheck = opts.write ? projection.changedFiles.size > 0 : opts.allowExec;
  if (fullCheck) {
    const everything = collectRuntimeRefs(projection);
    const all = everything.filter((r) => allowExec || r.ref.source !== 'exec');
    if (opts.write) skippedExecRefs += everything.length - all.length;
    if (all.length) {
      const outcomes = await resolveRefs(
        all.map((r) => r.ref),
        input,
        { env: opts.env, allowExec },
      );
      for (const { ref } of all) {
        const outcome = outcomes.get(secretRefKey(ref));
        if (outcome && !outcome.ok) throw new ApplyError(outcome.error.message);
      }
    }
  }
  return { refsChecked, skippedExecRefs, resolvabilityComplete: opts.allowExec || skippedExecRefs === 0 };
}

/** Write every changed file as one transaction (applyTransaction.ts): all of them or none, even across a kill. */
async function commitProjection(projection: ApplyProjection, stateDir: string, planPath: string): Promise<void> {
  const writes: FileWrite[] = [];
  if (projection.changedFiles.has(projection.configPath))
    writes.push({ file: projection.configPath, content: projection.config.text });
  for (const [file, content] of projection.envFiles) writes.push({ file, content });
  const sqliteStores = [...projection.authStores.values()].filter((e) => e.changed && e.sqlite);
  for (const entry of projection.authStores.values())
    if (entry.changed && !entry.sqlite)
      writes.push({ file: entry.path, content: `${JSON.stringify(entry.store, null, 2)}\n` });
  // Refuse before anything is written when a database cannot be written here.
  for (const entry of sqliteStores) {
    const ctx = { targets: entry.targets, planPath };
    const problem = !entry.sqlite?.unreadable
      ? authProfileStoreWriteProblem(entry.path, ctx)
      : nodeSqliteAvailable()
        ? `Cannot write ${entry.path}: ${entry.sqlite.unreadable}.`
        : noSqliteRefusal(entry.path, ctx);
    if (problem) throw new ApplyError(problem);
  }
  // Order: each database row is staged (write-locked, checked unchanged), then the files are committed, then the
  // databases. A failure before the last step changes nothing; a crash in it leaves plaintext in place, never lost.
  const pending: PendingAuthProfileStoreWrite[] = [];
  try {
    for (const entry of sqliteStores)
      pending.push(stageAgentAuthProfileStore(entry.path, entry.sqlite?.raw, JSON.stringify(entry.store)));
    try {
      await commitFileWrites(stateDir, writes);
    } catch (err) {
      for (const p of pending.splice(0)) p.rollback();
      throw err;
    }
    // A commit that fails leaves the rest in `pending`, rolled back below.
    while (pending.length > 0) pending.shift()!.commit();
  } catch (err) {
    for (const p of pending) p.rollback();
    if (err instanceof AuthProfileStoreWriteError) throw new ApplyError(err.message);
    // fs errors name the path and the syscall, never file content.
    throw new ApplyError(err instanceof ApplyTransactionError ? err.message : `Secrets apply failed: ${String(err)}`);
  }
}

/** `openclaw secrets apply`: the 9.6 result shape; throws ApplyError with OpenClaw's message on failure. */
export async function applySecretsPlan(opts: ApplyOptions): Promise<ApplyResult> {
  const write = !opts.dryRun;
  if (write && planHasExec(opts.plan) && !opts.allowExec) throw new ApplyError(EXEC_CONSENT_MESSAGE);
  if (!write) return await projectCheckAndWrite(opts, false);
  // A write reads, checks and writes under the lock, so a concurrent apply sees this one's result, never its base.
  const stateDir = path.resolve(opts.location.stateDir);
  const lock = await acquireApplyLock(stateDir, opts.lockWaitMs ?? 120_000).catch((err: unknown) => {
    throw new ApplyError(err instanceof Error ? err.message : String(err));
  });
  if (!lock)
    throw new ApplyError(
      `Another secrets apply (${describeLockHolder(stateDir)}) is still running; try again when it has finished.`,
    );
  try {
    const notice = describeRecovery(await recoverInterruptedApply(stateDir));
    if (notice) opts.onNotice?.(notice);
    return await projectCheckAndWrite(opts, true);
  } finally {
    await lock.release();
  }
}

async function projectCheckAndWrite(opts: ApplyOptions, write: boolean): Promise<ApplyResult> {
  const projection = await projectSecretsPlan({ plan: opts.plan, location: opts.location, env: opts.env });
  const env = auditEnvironment(opts.location, opts.env);
  const checks = await validateProjection(projection, {
    env,
    write,
    allowExec: opts.allowExec,
    force: opts.force === true,
    refuseValueLossInDryRun: opts.refuseValueLossInDryRun,
    onNotice: opts.onNotice,
  });
  const changedFiles = [...projection.changedFiles].sort();
  const result: ApplyResult = {
    mode: write ? 'write' : 'dry-run',
    changed: changedFiles.length > 0,
    changedFiles,
    checks: { resolvability: true, resolvabilityComplete: checks.resolvabilityComplete },
    refsChecked: checks.refsChecked,
    skippedExecRefs: checks.skippedExecRefs,
    warningCount: projection.warnings.length,
    warnings: projection.warnings,
  };
  if (write && changedFiles.length > 0)
    await commitProjection(projection, path.resolve(opts.location.stateDir), opts.planPath);
  return result;
}
