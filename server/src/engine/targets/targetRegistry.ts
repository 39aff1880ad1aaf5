// The credential target registry: which paths of openclaw.json and auth-profiles.json hold secrets, and
// the one pattern matcher (`*` = one key, `name[]` = one array index) that audit, plans and the editor share.
import { CREDENTIAL_TARGET_DATA } from './targetRegistryData';
import { isRecord } from '../config/jsonValue';

export type CredentialConfigFile = 'openclaw.json' | 'auth-profiles.json';

export interface CredentialTarget {
  id: string;
  /** the `type` a plan target names; plans may also use an alias */
  targetType: string;
  targetTypeAliases?: readonly string[];
  configFile: CredentialConfigFile;
  pathPattern: string;
  /** sibling_ref only: where the ref lives next to the plaintext field (same wildcards) */
  refPathPattern?: string;
  secretShape: 'secret_input' | 'sibling_ref';
  expectedResolvedValue: 'string' | 'string-or-object';
  includeInPlan: boolean;
  includeInConfigure: boolean;
  includeInAudit: boolean;
  providerIdPathSegmentIndex?: number;
  accountIdPathSegmentIndex?: number;
  authProfileType?: 'api_key' | 'token';
  trackProviderShadowing?: boolean;
  /** true when `openclaw secrets audit` 2026.9.6 (no plugins installed) reports this path */
  reportedByLatestAudit: boolean;
}

export type ConcretePath = readonly (string | number)[];

export interface CredentialMatch {
  target: CredentialTarget;
  /** the concrete segments that filled each `*` / `[]`, as strings */
  captures: string[];
}

export interface CredentialField {
  target: CredentialTarget;
  path: string[];
  refPath?: string[];
  value: unknown;
  refValue?: unknown;
  captures: string[];
  /** the path as OpenClaw prints it in findings (`models.providers["a.b"].apiKey`, `list[0]`) */
  jsonPath: string;
  providerId?: string;
  accountId?: string;
}

type PatternToken = { kind: 'literal'; value: string } | { kind: 'wildcard' } | { kind: 'array'; field: string };

interface CompiledTarget {
  target: CredentialTarget;
  tokens: PatternToken[];
  refTokens?: PatternToken[];
}

function parsePattern(pattern: string): PatternToken[] {
  return pattern.split('.').map((segment): PatternToken => {
    if (segment === '*') return { kind: 'wildcard' };
    if (segment.endsWith('[]')) return { kind: 'array', field: segment.slice(0, -2) };
    return { kind: 'literal', value: segment };
  });
}

const dynamicCount = (tokens: PatternToken[]) => tokens.filter((t) => t.kind !== 'literal').length;

function compile(target: CredentialTarget): CompiledTarget {
  const tokens = parsePattern(target.pathPattern);
  const refTokens = target.refPathPattern ? parsePattern(target.refPathPattern) : undefined;
  // A sibling ref must fill the same wildcards as its plaintext field, or it could point elsewhere.
  if (target.secretShape === 'sibling_ref' && !refTokens)
    throw new Error(`sibling_ref target without refPathPattern: ${target.id}`);
  if (refTokens && dynamicCount(refTokens) !== dynamicCount(tokens))
    throw new Error(`ref path wildcards differ: ${target.id}`);
  return { target, tokens, refTokens };
}

export const CREDENTIAL_TARGETS: readonly CredentialTarget[] = CREDENTIAL_TARGET_DATA;
const COMPILED: readonly CompiledTarget[] = CREDENTIAL_TARGETS.map(compile);

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function asArrayIndex(segment: string | number | undefined): number | undefined {
  if (typeof segment === 'number') return Number.isInteger(segment) && segment >= 0 ? segment : undefined;
  return typeof segment === 'string' && ARRAY_INDEX.test(segment) ? Number(segment) : undefined;
}

/** Match concrete segments against a pattern; the captures fill its `*` and `[]` in order. */
function matchTokens(path: ConcretePath, tokens: PatternToken[]): string[] | undefined {
  const captures: string[] = [];
  let i = 0;
  for (const token of tokens) {
    const segment = path[i];
    if (segment === undefined) return undefined;
    if (token.kind === 'literal') {
      if (String(segment) !== token.value) return undefined;
      i += 1;
    } else if (token.kind === 'wildcard') {
      if (segment === '') return undefined;
      captures.push(String(segment));
      i += 1;
    } else {
      if (String(segment) !== token.field) return undefined;
      const index = asArrayIndex(path[i + 1]);
      if (index === undefined) return undefined;
      captures.push(String(index));
      i += 2;
    }
  }
  return i === path.length ? captures : undefined;
}

function materialize(tokens: PatternToken[], captures: readonly string[]): string[] {
  const out: string[] = [];
  let c = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (token.kind === 'literal') out.push(token.value);
    else if (token.kind === 'wildcard') out.push(captures[c++]);
    else out.push(token.field, captures[c++]);
  }
  return out;
}

/** The first registry target (runtime entries first) whose pattern matches this concrete path. */
export function matchCredentialPath(configFile: CredentialConfigFile, path: ConcretePath): CredentialMatch | undefined {
  for (const compiled of COMPILED) {
    if (compiled.target.configFile !== configFile) continue;
    const captures = matchTokens(path, compiled.tokens);
    if (captures) return { target: compiled.target, captures };
  }
  return undefined;
}

/** When `path` is the sibling ref field of a target (e.g. `profiles.p.keyRef`), that target. */
export function matchCredentialRefPath(
  configFile: CredentialConfigFile,
  path: ConcretePath,
): CredentialMatch | undefined {
  for (const compiled of COMPILED) {
    if (compiled.target.configFile !== configFile || !compiled.refTokens) continue;
    const captures = matchTokens(path, compiled.refTokens);
    if (captures) return { target: compiled.target, captures };
  }
  return undefined;
}

/** Targets a plan `type` may name: by targetType or alias, in registry order. */
export function targetsForPlanType(type: string): CredentialTarget[] {
  return CREDENTIAL_TARGETS.filter((t) => t.targetType === type || (t.targetTypeAliases ?? []).includes(type));
}

/** Concrete path of a target for these captures, and its sibling ref path when it has one. */
export function materializeTargetPath(
  target: CredentialTarget,
  captures: readonly string[],
): { path: string[]; refPath?: string[] } {
  const compiled = COMPILED.find((c) => c.target === target) ?? compile(target);
  return {
    path: materialize(compiled.tokens, captures),
    ...(compiled.refTokens ? { refPath: materialize(compiled.refTokens, captures) } : {}),
  };
}

/** Match a concrete path against one target (for plan validation of a given type). */
export function matchTargetPath(target: CredentialTarget, path: ConcretePath): string[] | undefined {
  const compiled = COMPILED.find((c) => c.target === target) ?? compile(target);
  return matchTokens(path, compiled.tokens);
}

function getOwn(container: unknown, key: string | number): unknown {
  if (Array.isArray(container)) {
    const i = asArrayIndex(key);
    return i === undefined ? undefined : container[i];
  }
  if (isRecord(container) && Object.prototype.hasOwnProperty.call(container, String(key)))
    return container[String(key)];
  return undefined;
}

export function getValueAtPath(root: unknown, path: ConcretePath): unknown {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    node = getOwn(node, path[i]);
    if (node === undefined) return undefined;
  }
  return node;
}

/** One pattern of one target (its value path, or its sibling ref path) as the trie walk reports it. */
interface PatternJob {
  compiled: CompiledTarget;
  /** a path whose last member is absent still counts (a sibling-ref target looks there) */
  withAbsentLeaf: boolean;
}

/** The patterns of one config file merged on their common prefixes, so the config is walked once for all. */
interface PatternTrie {
  literal: Map<string, PatternTrie>;
  wildcard?: PatternTrie;
  array: Map<string, PatternTrie>;
  /** jobs whose pattern ends here */
  ends: number[];
  /** `literal` as a list, made on the first walk (the trie is complete by then) */
  literalList?: Array<[string, PatternTrie]>;
}

const newTrieNode = (): PatternTrie => ({ literal: new Map(), array: new Map(), ends: [] });

function insertPattern(root: PatternTrie, tokens: PatternToken[], job: number): void {
  let node = root;
  for (const token of tokens) {
    let next: PatternTrie | undefined;
    if (token.kind === 'literal') {
      next = node.literal.get(token.value);
      if (!next) node.literal.set(token.value, (next = newTrieNode()));
    } else if (token.kind === 'wildcard') next = node.wildcard ??= newTrieNode();
    else {
      next = node.array.get(token.field);
      if (!next) node.array.set(token.field, (next = newTrieNode()));
    }
    node = next;
  }
  node.ends.push(job);
}

/** Per config file: the jobs in registry order (value pattern, then ref pattern) and their trie. */
const TRIES = new Map<CredentialConfigFile, { jobs: PatternJob[]; trie: PatternTrie }>();

function trieFor(configFile: CredentialConfigFile): { jobs: PatternJob[]; trie: PatternTrie } {
  let built = TRIES.get(configFile);
  if (built) return built;
  const jobs: PatternJob[] = [];
  const trie = newTrieNode();
  for (const compiled of COMPILED) {
    if (compiled.target.configFile !== configFile) continue;
    insertPattern(trie, compiled.tokens, jobs.push({ compiled, withAbsentLeaf: compiled.refTokens !== undefined }) - 1);
    if (compiled.refTokens) insertPattern(trie, compiled.refTokens, jobs.push({ compiled, withAbsentLeaf: true }) - 1);
  }
  TRIES.set(configFile, (built = { jobs, trie }));
  return built;
}

/**
 * The captures of every concrete path each job's pattern reaches in a parsed document, in document order,
 * from one walk (thousands of providers are visited once, not once per pattern). A path whose last member
 * is absent is reached only by a job `withAbsentLeaf`.
 */
function expandAll(root: unknown, jobs: readonly PatternJob[], trie: PatternTrie): string[][][] {
  const out: string[][][] = jobs.map(() => []);
  // One captures array, pushed and popped: copied only where a path is reached.
  const captures: string[] = [];
  // Index loops over arrays, no destructuring: this runs cold (interpreted) once per audit over every provider,
  // where for-of and [a, b] patterns each go through the iterator protocol.
  const walk = (node: unknown, at: PatternTrie): void => {
    const ends = at.ends;
    for (let e = 0; e < ends.length; e++)
      if (node !== undefined || jobs[ends[e]].withAbsentLeaf) out[ends[e]].push(captures.slice());
    if (at.literal.size && isRecord(node)) {
      const literals = (at.literalList ??= [...at.literal]);
      for (let l = 0; l < literals.length; l++) walk(getOwn(node, literals[l][0]), literals[l][1]);
    }
    const wildcard = at.wildcard;
    if (wildcard) {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          captures.push(String(i));
          walk(node[i], wildcard);
          captures.pop();
        }
      } else if (isRecord(node)) {
        const keys = Object.keys(node);
        for (let k = 0; k < keys.length; k++) {
          captures.push(keys[k]);
          walk(node[keys[k]], wildcard);
          captures.pop();
        }
      }
    }
    if (at.array.size && isRecord(node))
      for (const [field, next] of at.array) {
        const items = getOwn(node, field);
        if (!Array.isArray(items)) continue;
        for (let i = 0; i < items.length; i++) {
          captures.push(String(i));
          walk(items[i], next);
          captures.pop();
        }
      }
  };
  walk(root, trie);
  return out;
}

/**
 * Every credential field present in a parsed openclaw.json or auth-profiles.json, in registry order:
 * a field is present when its value (or, for sibling refs, its ref field) exists.
 */
export function collectCredentialFields(configFile: CredentialConfigFile, value: unknown): CredentialField[] {
  const fields: CredentialField[] = [];
  const { jobs, trie } = trieFor(configFile);
  const reached = expandAll(value, jobs, trie);
  for (let j = 0; j < jobs.length; j++) {
    const { compiled } = jobs[j];
    const target = compiled.target;
    // A target's value-pattern job comes right before its ref-pattern job: a field that only has a sibling
    // ref is found by the second. Without a ref pattern an absent value is no field (the walk drops it);
    // with one, the order stays value-pattern paths first (present or not), then ref-pattern paths.
    const candidates = reached[j];
    if (compiled.refTokens && jobs[j + 1]?.compiled === compiled) candidates.push(...reached[++j]);
    // Both patterns of a target fill the same wildcards: a field found by both is the same captures.
    const seen = compiled.refTokens ? new Set<string>() : undefined;
    for (let c = 0; c < candidates.length; c++) {
      const captures = candidates[c];
      const key = seen ? capturesKey(captures) : '';
      if (seen?.has(key)) continue;
      const path = materialize(compiled.tokens, captures);
      const fieldValue = getValueAtPath(value, path);
      const refPath = compiled.refTokens ? materialize(compiled.refTokens, captures) : undefined;
      const refValue = refPath ? getValueAtPath(value, refPath) : undefined;
      if (fieldValue === undefined && refValue === undefined) continue;
      seen?.add(key);
      // Built by assignment, not spreads: a large config has thousands of fields, each built once per audit.
      const field: CredentialField = {
        target,
        path,
        value: fieldValue,
        captures,
        jsonPath: formatConfigPath(path, value),
      };
      if (refPath) {
        field.refPath = refPath;
        field.refValue = refValue;
      }
      const providerId =
        target.providerIdPathSegmentIndex !== undefined ? path[target.providerIdPathSegmentIndex] : undefined;
      if (providerId) field.providerId = providerId;
      const accountId =
        target.accountIdPathSegmentIndex !== undefined ? path[target.accountIdPathSegmentIndex] : undefined;
      if (accountId) field.accountId = accountId;
      fields.push(field);
    }
  }
  return fields;
}

/** An unambiguous key for captures (a key may hold any character, so each is length-prefixed). */
function capturesKey(captures: readonly string[]): string {
  let key = '';
  for (const c of captures) key += `${c.length}:${c}`;
  return key;
}

const PLAIN_PATH_SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$:-]*$/;

/**
 * A concrete path as OpenClaw prints it: dotted identifiers, `["odd.key"]` for other keys, `[0]` for
 * indexes into arrays of `root` (when given) or numeric segments.
 */
export function formatConfigPath(path: ConcretePath, root?: unknown): string {
  let out = '';
  let cursor: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const index = Array.isArray(cursor) ? asArrayIndex(segment) : typeof segment === 'number' ? segment : undefined;
    cursor = getOwn(cursor, segment);
    if (index !== undefined) out += `[${index}]`;
    else {
      const key = String(segment);
      out += PLAIN_PATH_SEGMENT.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
