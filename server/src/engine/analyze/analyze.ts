// What the editor shows for an openclaw.json: findings with exact offsets, in OpenClaw's terms, never a
// value. Pure and synchronous (the bench times it); file-system checks of providers live in analyzeProviders.
import { readSecretsConfig } from '../config/secretsConfig';
import {
  findMember,
  findNode,
  walkNodes,
  type ConfigDocument,
  type ConfigNode,
  type MemberNode,
  type ObjectNode,
  type PathSegment,
  type ScalarNode,
} from '../config/configDocument';
import {
  SECRET_SOURCES,
  checkRefId,
  defaultProviderAlias,
  hasImplicitDefaultProvider,
  isValidProviderAlias,
  MESSAGES,
  SOURCE_RULES,
  parseEnvShorthand,
  REMOVED_KEYS,
  schemaProblems,
  secretRefKey,
  type SecretDefaults,
  type SecretRef,
  type SecretSource,
} from '../refs/secretRef';
import { egressProxySchema, providerSchema } from '../refs/secretRefSchemas';
import { fingerprint, fingerprinter, legacyFingerprint } from '../runtime/fingerprint';
import { BUILTIN_PATTERNS, detectCredential, type PatternSet } from './credentialPatterns';
import {
  CREDENTIAL_TARGETS,
  formatConfigPath,
  matchCredentialPath,
  matchCredentialRefPath,
  type CredentialConfigFile,
  type CredentialMatch,
} from '../targets/targetRegistry';
import { classifyCredentialValue, KNOWN_SECRET_ENV_VARS } from '../audit/auditClassify';
import { parseDotEnv } from '../config/stateFiles';
import { displayString, isRecord } from '../config/jsonValue';

export type FindingCode =
  | 'SYNTAX_ERROR'
  | 'PLAINTEXT_FOUND'
  | 'KNOWN_CREDENTIAL_FORMAT'
  | 'DOTENV_PLAINTEXT'
  | 'AUTH_PROFILE_PLAINTEXT'
  | 'REF_INVALID_SHAPE'
  | 'REF_INVALID_PROVIDER'
  | 'REF_INVALID_ID'
  | 'REF_PROVIDER_NOT_DECLARED'
  | 'REF_PROVIDER_SOURCE_MISMATCH'
  | 'REF_ENV_NOT_ALLOWLISTED'
  | 'PROVIDERS_BLOCK_MISSING'
  | 'PROVIDER_INVALID'
  | 'PROVIDER_PATH_INSECURE'
  | 'PROVIDER_FILE_TOO_LARGE'
  | 'PROVIDER_KEY_REMOVED'
  | 'REF_UNRESOLVED'
  | 'CONFIG_SCHEMA_INVALID'
  | 'SCHEMA_UNAVAILABLE'
  | 'STORE_UNCHECKED'
  | 'PROVIDER_PLUGIN_MANAGED';

export const FINDING_CODES: readonly FindingCode[] = [
  'SYNTAX_ERROR',
  'PLAINTEXT_FOUND',
  'KNOWN_CREDENTIAL_FORMAT',
  'DOTENV_PLAINTEXT',
  'AUTH_PROFILE_PLAINTEXT',
  'REF_INVALID_SHAPE',
  'REF_INVALID_PROVIDER',
  'REF_INVALID_ID',
  'REF_PROVIDER_NOT_DECLARED',
  'REF_PROVIDER_SOURCE_MISMATCH',
  'REF_ENV_NOT_ALLOWLISTED',
  'PROVIDERS_BLOCK_MISSING',
  'PROVIDER_INVALID',
  'PROVIDER_PATH_INSECURE',
  'PROVIDER_FILE_TOO_LARGE',
  'PROVIDER_KEY_REMOVED',
  'REF_UNRESOLVED',
  'CONFIG_SCHEMA_INVALID',
  'SCHEMA_UNAVAILABLE',
  'STORE_UNCHECKED',
  'PROVIDER_PLUGIN_MANAGED',
];

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

/** What a quick fix needs to know about a finding; never the value itself. */
export interface FindingData {
  /** the path as OpenClaw prints it (`models.providers.openai.apiKey`, `$env.OPENAI_API_KEY`) */
  jsonPath: string;
  /** fingerprint of path + value, what "Ignore this finding" stores */
  ignoreKey?: string;
  /** credential kind from the pattern rules ("an OpenAI API key") */
  kind?: string;
  refKey?: string;
  /** provider alias the finding is about (undeclared alias, insecure provider ...) */
  providerAlias?: string;
  source?: SecretSource;
  /** env var name (allowlist fixes, .env keys) */
  envName?: string;
  /** registry target type of a credential field (plan `type`) */
  targetType?: string;
  /** file provider path with insecure permissions (for the chmod fix) */
  filePath?: string;
  /** an error code from a dry-run resolution */
  resolutionCode?: string;
  limit?: string;
}

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  start: number;
  end: number;
  path: PathSegment[];
  message: string;
  data: FindingData;
}

/** The last dry-run outcome of a ref, by jsonPath (masked: never a value). */
export interface RefResolutionStatus {
  ok: boolean;
  refKey: string;
  code?: string;
  message?: string;
  limit?: string;
  fingerprint?: string;
  lengthClass?: string;
  elapsedMs?: number;
  at?: string;
  skipped?: boolean;
}

export interface AnalyzeContext {
  patterns?: PatternSet;
  /** `jsonPath fingerprint` keys the user chose to ignore */
  ignored?: ReadonlySet<string>;
  resolution?: ReadonlyMap<string, RefResolutionStatus>;
  /** for auth-profiles.json and .env: the `secrets` block of the openclaw.json beside them */
  secrets?: unknown;
}

/**
 * The key `Ignore this finding` stores: the path and a fingerprint of the value, never the value. An entry
 * in the old unkeyed `sha256:` format still matches (and is returned, so the finding stays ignored).
 */
export function ignoreKeyFor(
  jsonPath: string,
  value: string,
  ignored?: ReadonlySet<string>,
  print: (value: string) => string = fingerprint,
): string {
  const key = `${jsonPath} ${print(value)}`;
  if (ignored && ignored.size > 0 && !ignored.has(key)) {
    const legacy = `${jsonPath} ${legacyFingerprint(value)}`;
    if (ignored.has(legacy)) return legacy;
  }
  return key;
}

/** The declared providers and defaults as a resolver sees them. */
export interface SecretsView {
  providersDeclared: boolean;
  providers: Record<string, Record<string, unknown>>;
  defaults: SecretDefaults;
}

export function secretsView(secrets: unknown): SecretsView {
  const read = readSecretsConfig(secrets);
  return { providersDeclared: read.providersDeclared, providers: read.declared, defaults: read.defaults };
}

// Cheap prefilter so the registry matcher only sees nodes whose key could end a credential path.
const openclawLeafKeys = new Set<string>();
const openclawWildcardParents = new Set<string>();
for (const t of CREDENTIAL_TARGETS) {
  if (t.configFile !== 'openclaw.json') continue;
  const segs = t.pathPattern.split('.');
  const last = segs[segs.length - 1];
  if (last === '*') openclawWildcardParents.add(segs[segs.length - 2].replace(/\[\]$/, ''));
  else openclawLeafKeys.add(last.replace(/\[\]$/, ''));
}

function mayBeCredentialPath(path: readonly PathSegment[]): boolean {
  const last = path[path.length - 1];
  if (typeof last === 'string' && openclawLeafKeys.has(last)) return true;
  const parent = path[path.length - 2];
  return typeof parent === 'string' && openclawWildcardParents.has(parent);
}

/**
 * A plaintext finding's data whose `ignoreKey` (path + fingerprint) is computed when first read (an ignore
 * list, the Ignore action): a large file's thousands of plaintexts are not all fingerprinted on every
 * keystroke. The key is a getter on the prototype, so it is not sent with the diagnostic (code actions are
 * answered from the server's own findings); a class keeps every instance one shape (defineProperty did not).
 */
class KeyedFindingData implements Partial<FindingData> {
  jsonPath?: string;
  kind?: string;
  targetType?: string;
  readonly #sink: FindingSink;
  readonly #jsonPath: string;
  readonly #value: string;
  #key: string | undefined;
  constructor(sink: FindingSink, jsonPath: string, value: string, fields: { kind?: string; targetType?: string }) {
    this.#sink = sink;
    this.#jsonPath = jsonPath;
    this.#value = value;
    if (fields.targetType !== undefined) this.targetType = fields.targetType;
    if (fields.kind !== undefined) this.kind = fields.kind;
  }
  get ignoreKey(): string {
    return (this.#key ??= this.#sink.ignoreKey(this.#jsonPath, this.#value));
  }
}

class FindingSink {
  readonly findings: Finding[] = [];
  private printer: ((value: string) => string) | undefined;
  constructor(readonly ctx: AnalyzeContext) {}
  /** The fingerprint of a value, the key looked up once per analysis (thousands of plaintexts in a large file). */
  ignoreKey(jsonPath: string, value: string): string {
    this.printer ??= fingerprinter();
    return ignoreKeyFor(jsonPath, value, this.ctx.ignored, this.printer);
  }
  /** Data for a finding on a plaintext value, its ignore key computed when first read (see KeyedFindingData). */
  keyedData(jsonPath: string, value: string, fields: { kind?: string; targetType?: string }): Partial<FindingData> {
    return new KeyedFindingData(this, jsonPath, value, fields);
  }
  jsonPath(path: readonly PathSegment[]): string {
    // Array indexes are numbers in our paths, so no walk over the parsed value is needed to format them.
    return path.length ? formatConfigPath(path) : '<root>';
  }
  add(
    code: FindingCode,
    severity: FindingSeverity,
    range: { start: number; end: number },
    path: PathSegment[],
    message: string,
    data: Partial<FindingData> = {},
  ): void {
    const jsonPath = data.jsonPath ?? this.jsonPath(path);
    if (this.ctx.ignored?.size && data.ignoreKey && this.ctx.ignored.has(data.ignoreKey)) return;
    data.jsonPath = jsonPath; // each call site passes a fresh object, so no copy is needed
    this.findings.push({
      code,
      severity,
      start: range.start,
      end: range.end,
      path,
      message,
      data: data as FindingData,
    });
  }
}

/** Findings for an openclaw.json document (JSON, JSONC or JSON5). */
export function analyzeConfigDocument(doc: ConfigDocument, ctx: AnalyzeContext = {}): Finding[] {
  const sink = new FindingSink(ctx);
  if (doc.syntaxError || !doc.root) {
    reportSyntax(doc, sink);
    return sink.findings;
  }
  const root = doc.root;
  const secrets = isRecord(doc.value) ? doc.value.secrets : undefined;
  const view = secretsView(secrets);
  analyzeSecretsBlock(root, sink);
  const patterns = ctx.patterns ?? BUILTIN_PATTERNS;

  walkTree(root, (node, path) => {
    if (path.length === 1 && path[0] === 'secrets') return false; // provider declarations are checked above
    const match = path.length && mayBeCredentialPath(path) ? matchCredentialPath('openclaw.json', path) : undefined;
    if (match) {
      analyzeCredentialField(node, [...path], match, view, sink, ctx, patterns, 'PLAINTEXT_FOUND');
      return false;
    }
    if (node.type === 'object') {
      if (objectRefCandidate(node)) {
        analyzeRef(node, [...path], view, sink, ctx);
        return false;
      }
      return true;
    }
    if (node.type === 'string') reportKnownFormat(node, path, sink, patterns);
    return true;
  });
  return sink.findings;
}

/** Depth-first walk with one shared path stack (the large-file path: no array per node); copy `path` to keep it. */
function walkTree(root: ConfigNode, visit: (node: ConfigNode, path: readonly PathSegment[]) => boolean): void {
  const path: PathSegment[] = [];
  const step = (node: ConfigNode): void => {
    if (!visit(node, path)) return;
    if (node.type === 'object') {
      for (const m of node.members) {
        path.push(m.key);
        step(m.value);
        path.pop();
      }
    } else if (node.type === 'array') {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        step(node.items[i]);
        path.pop();
      }
    }
  };
  step(root);
}

function reportSyntax(doc: ConfigDocument, sink: FindingSink): void {
  const p = doc.syntaxError!;
  const end = Math.min(doc.text.length, p.offset + 1);
  sink.add(
    'SYNTAX_ERROR',
    'error',
    { start: p.offset, end: Math.max(end, p.offset) },
    [],
    `${p.message} (line ${p.line}, column ${p.column}). OpenClaw cannot read this file until it parses as JSON5.`,
    { jsonPath: '<root>' },
  );
}

/** An object that is shaped like a ref attempt: it has `source` and `id` or `provider`. */
function objectRefCandidate(node: ObjectNode): boolean {
  let hasSource = false;
  let hasOther = false;
  for (const m of node.members) {
    if (m.key === 'source') hasSource = true;
    else if (m.key === 'id' || m.key === 'provider') hasOther = true;
  }
  return hasSource && hasOther;
}

function reportKnownFormat(
  node: ScalarNode,
  path: readonly PathSegment[],
  sink: FindingSink,
  patterns: PatternSet,
): void {
  const value = node.value as string;
  const rule = detectCredential(value, patterns);
  if (!rule) return;
  const jsonPath = sink.jsonPath(path);
  sink.add(
    'KNOWN_CREDENTIAL_FORMAT',
    'warning',
    node,
    [...path],
    `${jsonPath} looks like ${rule.kind}. OpenClaw does not treat this path as a credential, so it stays in plaintext here; move it to a secret store.`,
    sink.keyedData(jsonPath, value, { kind: rule.kind }),
  );
}

function analyzeCredentialField(
  node: ConfigNode,
  path: PathSegment[],
  match: CredentialMatch,
  view: SecretsView,
  sink: FindingSink,
  ctx: AnalyzeContext,
  patterns: PatternSet,
  plaintextCode: 'PLAINTEXT_FOUND' | 'AUTH_PROFILE_PLAINTEXT',
): void {
  const value = nodeValue(node);
  const cls = classifyCredentialValue(value, match.target, view.defaults, path);
  const jsonPath = sink.jsonPath(path);
  if (cls === 'plaintext') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const rule = typeof value === 'string' ? detectCredential(value, patterns) : undefined;
    const why = rule ? ` It looks like ${rule.kind}.` : '';
    // Channel and plugin paths are credentials in OpenClaw's matrix, but its audit only sees them once that plugin is installed.
    const note = match.target.reportedByLatestAudit
      ? ''
      : ' (OpenClaw 2026.9.6 audits this path only when its channel or plugin is installed.)';
    sink.add(
      plaintextCode,
      'warning',
      node,
      path,
      `${jsonPath} is stored as plaintext.${why} Convert it to a SecretRef so the value lives in a provider.${note}`,
      sink.keyedData(jsonPath, text, { targetType: match.target.targetType, ...(rule ? { kind: rule.kind } : {}) }),
    );
    return;
  }
  if (cls === 'env-shorthand' && node.type === 'string') {
    const ref = parseEnvShorthand(node.value as string, view.defaults);
    if (ref)
      checkRefAgainstProviders(
        { source: 'env', provider: ref.provider, id: ref.id },
        node,
        node,
        node,
        path,
        view,
        sink,
        ctx,
      );
    return;
  }
  if (node.type === 'object') analyzeRef(node, path, view, sink, ctx);
}

function nodeValue(node: ConfigNode): unknown {
  if (node.type === 'object' || node.type === 'array') {
    // Only credential fields get here; their subtrees are small (a ref, a service-account object).
    return nodeToPlain(node);
  }
  return node.value;
}

function nodeToPlain(node: ConfigNode): unknown {
  if (node.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const m of node.members)
      Object.defineProperty(out, m.key, {
        value: nodeToPlain(m.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  if (node.type === 'array') return node.items.map(nodeToPlain);
  return node.value;
}

const REF_KEYS = new Set(['source', 'provider', 'id']);

/** Shape checks in OpenClaw's words, then provider checks, then the last dry-run result. */
function analyzeRef(
  node: ObjectNode,
  path: PathSegment[],
  view: SecretsView,
  sink: FindingSink,
  ctx: AnalyzeContext,
): void {
  const jsonPath = sink.jsonPath(path);
  let shapeOk = true;
  for (const m of node.members) {
    if (!REF_KEYS.has(m.key)) {
      shapeOk = false;
      sink.add(
        'REF_INVALID_SHAPE',
        'error',
        { start: m.keyStart, end: m.keyEnd },
        path,
        `${jsonPath}: Unrecognized key: "${m.key}". A SecretRef has exactly source, provider and id.`,
      );
    }
  }
  const source = findMember(node, 'source');
  const provider = findMember(node, 'provider');
  const id = findMember(node, 'id');
  const sourceValue = source?.value.type === 'string' ? (source.value.value as string) : undefined;
  if (!sourceValue || !(SECRET_SOURCES as readonly string[]).includes(sourceValue)) {
    sink.add(
      'REF_INVALID_SHAPE',
      'error',
      source ? source.value : keyRangeOrNode(node),
      path,
      `${jsonPath}: Invalid input. "source" must be "env", "file", "exec" or "store".`,
    );
    return;
  }
  const src = sourceValue as SecretSource;
  if (!provider) {
    const alias = defaultProviderAlias(view.defaults, src);
    sink.add(
      'REF_INVALID_SHAPE',
      'error',
      source!.value,
      path,
      `${jsonPath}: Invalid input. The ref has no "provider"; OpenClaw 2026.9.6 needs exactly source, provider and id (add "provider": "${alias}").`,
      { source: src, providerAlias: alias },
    );
    shapeOk = false;
  }
  if (!id) {
    sink.add('REF_INVALID_SHAPE', 'error', source!.value, path, `${jsonPath}: Invalid input. The ref has no "id".`, {
      source: src,
    });
    return;
  }
  let aliasOk = false;
  if (provider) {
    if (provider.value.type !== 'string' || !isValidProviderAlias(provider.value.value as string)) {
      sink.add(
        'REF_INVALID_PROVIDER',
        'error',
        provider.value,
        [...path, 'provider'],
        `${jsonPath}.provider: ${MESSAGES.providerAlias}`,
        { source: src },
      );
    } else aliasOk = true;
  }
  const idNode = id.value;
  if (idNode.type !== 'string') {
    sink.add('REF_INVALID_ID', 'error', idNode, [...path, 'id'], `${jsonPath}.id: ${idRuleMessage(src)}`, {
      source: src,
    });
    return;
  }
  const idValue = idNode.value as string;
  const idProblem = checkRefId(src, idValue);
  if (idProblem) {
    sink.add('REF_INVALID_ID', 'error', id.value, [...path, 'id'], `${jsonPath}.id: ${idProblem}`, { source: src });
    return;
  }
  if (!shapeOk || !aliasOk || !provider || provider.value.type !== 'string') return;
  const ref: SecretRef = { source: src, provider: provider.value.value as string, id: idValue };
  checkRefAgainstProviders(ref, node, provider.value, id.value, path, view, sink, ctx);
}

function keyRangeOrNode(node: ObjectNode): { start: number; end: number } {
  return { start: node.start, end: node.end };
}

function idRuleMessage(source: SecretSource): string {
  return SOURCE_RULES[source].idMessage;
}

function checkRefAgainstProviders(
  ref: SecretRef,
  refNode: ConfigNode,
  providerNode: { start: number; end: number },
  idNode: { start: number; end: number },
  path: PathSegment[],
  view: SecretsView,
  sink: FindingSink,
  ctx: AnalyzeContext,
): void {
  const jsonPath = sink.jsonPath(path);
  const key = secretRefKey(ref);
  const base = { refKey: key, providerAlias: ref.provider, source: ref.source };
  const own = Object.hasOwn(view.providers, ref.provider) ? view.providers[ref.provider] : undefined;
  // OpenClaw's implicit env and store providers: the source's default alias uses the built-in reader unless a provider of that alias and source exists.
  const implicitEnv =
    hasImplicitDefaultProvider(ref.source) &&
    own?.source !== ref.source &&
    ref.provider === defaultProviderAlias(view.defaults, ref.source);
  const declared = implicitEnv ? undefined : own;
  if (!declared && !implicitEnv) {
    if (!view.providersDeclared) {
      sink.add(
        'PROVIDERS_BLOCK_MISSING',
        'error',
        providerNode,
        path,
        `${jsonPath}: ${key} uses provider "${ref.provider}" but the config has no secrets.providers block, so OpenClaw cannot resolve it (its audit: Secret provider "${ref.provider}" is not configured). Declare secrets.providers.${ref.provider} with source "${ref.source}".`,
        base,
      );
    } else {
      sink.add(
        'REF_PROVIDER_NOT_DECLARED',
        'error',
        providerNode,
        path,
        `${jsonPath}: Secret provider "${ref.provider}" is not configured (ref: ${key}). Declare it under secrets.providers.`,
        base,
      );
    }
  } else if (declared) {
    const declaredSource = declared.source;
    if (declaredSource !== ref.source) {
      sink.add(
        'REF_PROVIDER_SOURCE_MISMATCH',
        'error',
        providerNode,
        path,
        `${jsonPath}: Secret provider "${ref.provider}" has source "${displayString(declaredSource)}" but ref requests "${ref.source}".`,
        base,
      );
    } else if (ref.source === 'env' && Array.isArray(declared.allowlist) && !declared.allowlist.includes(ref.id)) {
      sink.add(
        'REF_ENV_NOT_ALLOWLISTED',
        'error',
        idNode,
        path,
        `${jsonPath}: Environment variable "${ref.id}" is not allowlisted in secrets.providers.${ref.provider}.allowlist.`,
        { ...base, envName: ref.id },
      );
    } else if (ref.source === 'file') {
      const mode = declared.mode === 'singleValue' ? 'singleValue' : 'json';
      if (mode === 'singleValue' && ref.id !== 'value') {
        sink.add(
          'REF_INVALID_ID',
          'error',
          idNode,
          path,
          `${jsonPath}: singleValue file provider "${ref.provider}" expects ref id "value".`,
          base,
        );
      } else if (mode === 'json' && !ref.id.startsWith('/')) {
        sink.add(
          'REF_INVALID_ID',
          'error',
          idNode,
          path,
          `${jsonPath}: File-backed secret ids must be absolute JSON pointers (for example: "/providers/openai/apiKey"); provider "${ref.provider}" is in json mode.`,
          base,
        );
      }
    }
  }
  const status = ctx.resolution?.get(jsonPath);
  if (status && !status.ok && status.skipped && status.code === 'SECRET_STORE_UNCHECKED' && status.refKey === key) {
    sink.add(
      'STORE_UNCHECKED',
      'information',
      refNode,
      path,
      `${jsonPath}: ${key} cannot be checked here (${status.message ?? 'the secret store could not be read'}).`,
      { ...base, resolutionCode: status.code },
    );
  }
  if (status && !status.ok && !status.skipped && status.refKey === key) {
    const limit = status.limit ? ` Limit: ${status.limit}.` : '';
    sink.add(
      'REF_UNRESOLVED',
      'error',
      refNode,
      path,
      `${jsonPath}: Failed to resolve ${key} (${status.message ?? 'resolution failed'}).${limit}`,
      { ...base, resolutionCode: status.code, ...(status.limit ? { limit: status.limit } : {}) },
    );
  }
}

/** `secrets.*` as OpenClaw 2026.9.6 checks it: removed keys, defaults, each provider's schema. */
function analyzeSecretsBlock(root: ConfigNode, sink: FindingSink): void {
  const secretsMember = findMember(root, 'secrets');
  if (!secretsMember) return;
  const secretsNode = secretsMember.value;
  if (secretsNode.type !== 'object') {
    sink.add('PROVIDER_INVALID', 'error', secretsNode, ['secrets'], 'secrets: Invalid input: expected object.');
    return;
  }
  for (const m of secretsNode.members) {
    if (m.key === 'resolution') {
      sink.add(
        'PROVIDER_KEY_REMOVED',
        'error',
        { start: m.keyStart, end: m.keyEnd },
        ['secrets', 'resolution'],
        `secrets.resolution: ${REMOVED_KEYS.resolution}`,
      );
    } else if (m.key === 'egressProxy') {
      analyzeEgressProxy(m, sink);
    } else if (m.key !== 'providers' && m.key !== 'defaults') {
      sink.add(
        'PROVIDER_INVALID',
        'error',
        { start: m.keyStart, end: m.keyEnd },
        ['secrets'],
        `secrets: Unrecognized key: "${m.key}".`,
      );
    }
  }
  const defaults = findMember(secretsNode, 'defaults');
  if (defaults?.value.type === 'object') {
    for (const m of defaults.value.members) {
      const path: PathSegment[] = ['secrets', 'defaults', m.key];
      if (!(SECRET_SOURCES as readonly string[]).includes(m.key)) {
        sink.add(
          'PROVIDER_INVALID',
          'error',
          { start: m.keyStart, end: m.keyEnd },
          ['secrets', 'defaults'],
          `secrets.defaults: Unrecognized key: "${m.key}".`,
        );
      } else if (m.value.type !== 'string' || !isValidProviderAlias(m.value.value as string)) {
        sink.add('PROVIDER_INVALID', 'error', m.value, path, `secrets.defaults.${m.key}: ${MESSAGES.providerAlias}`);
      }
    }
  }
  const providers = findMember(secretsNode, 'providers');
  if (!providers) return;
  if (providers.value.type !== 'object') {
    sink.add(
      'PROVIDER_INVALID',
      'error',
      providers.value,
      ['secrets', 'providers'],
      'secrets.providers: Invalid input: expected object.',
    );
    return;
  }
  for (const m of providers.value.members) analyzeProviderDeclaration(m, sink);
}

/** `secrets.egressProxy` (2026.9.6): enabled, allowedHosts, bypassHosts and nothing else. */
function analyzeEgressProxy(member: MemberNode, sink: FindingSink): void {
  const base: PathSegment[] = ['secrets', 'egressProxy'];
  const parsed = egressProxySchema.safeParse(nodeToPlain(member.value));
  if (parsed.success) return;
  for (const problem of schemaProblems(parsed.error, base)) {
    const rel = problem.path.slice(base.length);
    const unknownKey = /^Unrecognized keys?: "([^"]+)"/.exec(problem.message);
    const k = unknownKey && member.value.type === 'object' ? findMember(member.value, unknownKey[1]) : undefined;
    const range = k ? { start: k.keyStart, end: k.keyEnd } : (findNode(member.value, rel) ?? member.value);
    const shown = problem.path.map(String).join('.');
    sink.add('PROVIDER_INVALID', 'error', range, problem.path, `${shown}: ${problem.message}`, { jsonPath: shown });
  }
}

function analyzeProviderDeclaration(member: MemberNode, sink: FindingSink): void {
  const alias = member.key;
  const base: PathSegment[] = ['secrets', 'providers', alias];
  const label = `secrets.providers.${alias}`;
  const node = member.value;
  if (node.type !== 'object') {
    sink.add(
      'PROVIDER_INVALID',
      'error',
      node,
      base,
      `${label}: Invalid input: a provider is an object with "source".`,
      { providerAlias: alias },
    );
    return;
  }
  const value = nodeToPlain(node) as Record<string, unknown>;
  for (const m of node.members) {
    const removed = REMOVED_KEYS[m.key];
    if (removed && m.key !== 'resolution') {
      sink.add(
        'PROVIDER_KEY_REMOVED',
        'error',
        { start: m.keyStart, end: m.keyEnd },
        [...base, m.key],
        `${label}.${m.key}: ${removed}`,
        { providerAlias: alias },
      );
      delete value[m.key];
    }
  }
  const parsed = providerSchema.safeParse(value);
  if (parsed.success) {
    const integration = parsed.data.source === 'exec' ? parsed.data.pluginIntegration : undefined;
    const at = integration ? findMember(node, 'pluginIntegration') : undefined;
    if (integration && at) {
      sink.add(
        'PROVIDER_PLUGIN_MANAGED',
        'information',
        { start: at.keyStart, end: at.keyEnd },
        [...base, 'pluginIntegration'],
        `${label}: the command comes from plugin "${integration.pluginId}" (integration "${integration.integrationId}"); OpenClaw reads it from the installed plugin's manifest at startup and reload, and refs on this provider fail closed if the plugin is missing, disabled or untrusted.`,
        { providerAlias: alias },
      );
    }
    return;
  }
  for (const problem of schemaProblems(parsed.error, base)) {
    const rel = problem.path.slice(base.length);
    const unknownKey = /^Unrecognized keys?: "([^"]+)"/.exec(problem.message);
    let range: { start: number; end: number } = node;
    if (unknownKey) {
      const k = findMember(node, unknownKey[1]);
      if (k) range = { start: k.keyStart, end: k.keyEnd };
    } else {
      const at = findNode(node, rel);
      if (at) range = at;
      else if (rel.length) {
        const parent = findNode(node, rel.slice(0, 1));
        if (parent) range = parent;
      }
    }
    const shown = problem.path.map(String).join('.');
    sink.add('PROVIDER_INVALID', 'error', range, problem.path, `${shown}: ${problem.message}`, {
      providerAlias: alias,
      jsonPath: shown,
    });
  }
}

// ---------------------------------------------------------------- auth-profiles.json

/** Findings for an agent's auth-profiles.json: plaintext keys/tokens and their sibling refs. */
export function analyzeAuthProfiles(doc: ConfigDocument, ctx: AnalyzeContext = {}): Finding[] {
  const sink = new FindingSink(ctx);
  if (doc.syntaxError || !doc.root) {
    reportSyntax(doc, sink);
    return sink.findings;
  }
  const view = secretsView(ctx.secrets);
  const patterns = ctx.patterns ?? BUILTIN_PATTERNS;
  walkNodes(doc.root, (node, path) => {
    if (path.length < 3) return true;
    const file: CredentialConfigFile = 'auth-profiles.json';
    const match = matchCredentialPath(file, path);
    if (match) {
      const profile = findNode(doc.root, path.slice(0, -1));
      const type = profile?.type === 'object' ? findMember(profile, 'type')?.value : undefined;
      if (type?.type === 'string' && match.target.authProfileType && type.value !== match.target.authProfileType)
        return false;
      analyzeCredentialField(node, path, match, view, sink, ctx, patterns, 'AUTH_PROFILE_PLAINTEXT');
      return false;
    }
    if (matchCredentialRefPath(file, path)) {
      if (node.type === 'object') analyzeRef(node, path, view, sink, ctx);
      return false;
    }
    if (node.type === 'string') reportKnownFormat(node, path, sink, patterns);
    return true;
  });
  return sink.findings;
}

// ---------------------------------------------------------------- .env

/** Findings for the config dir's `.env`: provider keys in plaintext, and known credential formats. */
export function analyzeDotEnv(text: string, ctx: AnalyzeContext = {}): Finding[] {
  const findings: Finding[] = [];
  const patterns = ctx.patterns ?? BUILTIN_PATTERNS;
  for (const e of parseDotEnv(text)) {
    const jsonPath = `$env.${e.key}`;
    const ignoreKey = ignoreKeyFor(jsonPath, e.value, ctx.ignored);
    if (ctx.ignored?.has(ignoreKey)) continue;
    const range = { start: e.valueStart, end: e.valueEnd };
    if (KNOWN_SECRET_ENV_VARS.has(e.key) && e.value.trim() !== '') {
      const rule = detectCredential(e.value, patterns);
      findings.push({
        code: 'DOTENV_PLAINTEXT',
        severity: 'warning',
        ...range,
        path: ['$env', e.key],
        message: `Potential secret found in .env (${e.key}). OpenClaw loads it into its environment in plaintext${rule ? `; it looks like ${rule.kind}` : ''}.`,
        data: { jsonPath, ignoreKey, envName: e.key, ...(rule ? { kind: rule.kind } : {}) },
      });
      continue;
    }
    const rule = detectCredential(e.value, patterns);
    if (rule) {
      findings.push({
        code: 'KNOWN_CREDENTIAL_FORMAT',
        severity: 'warning',
        ...range,
        path: ['$env', e.key],
        message: `${jsonPath} looks like ${rule.kind} stored in plaintext.`,
        data: { jsonPath, ignoreKey, envName: e.key, kind: rule.kind },
      });
    }
  }
  return findings;
}
