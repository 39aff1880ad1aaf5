// One call for "is this config valid for OpenClaw": the schema (Ajv) plus the named cross-field rules,
// each problem placed on the exact key or value in the JSON5 text.
import {
  formatPath,
  type ConfigDocument,
  type ConfigNode,
  type MemberNode,
  type ObjectNode,
} from '../config/configDocument';
import { checkConfigRules } from './configRules';
import type { SchemaIssue } from './schemaValidator';
import type { LoadedSchema, SchemaChoice } from './schemaSource';
import type { Finding } from '../analyze/analyze';

export interface LocatedSchemaIssue extends SchemaIssue {
  start: number;
  end: number;
}

/** Schema and rule problems of a parsed config; empty when OpenClaw would accept it. */
export function configSchemaIssues(config: unknown, schema: LoadedSchema | undefined): SchemaIssue[] {
  const issues = schema ? schema.validator.validate(config) : [];
  issues.push(...checkConfigRules(config));
  return issues;
}

/** Members by key for big objects, so placing thousands of issues stays linear (last duplicate wins). */
type MemberIndex = WeakMap<ObjectNode, Map<string, MemberNode>>;

function memberOf(obj: ObjectNode, key: string, index: MemberIndex): MemberNode | undefined {
  if (obj.members.length < 16) {
    for (let i = obj.members.length - 1; i >= 0; i--) if (obj.members[i].key === key) return obj.members[i];
    return undefined;
  }
  let byKey = index.get(obj);
  if (!byKey) {
    byKey = new Map();
    for (const m of obj.members) byKey.set(m.key, m);
    index.set(obj, byKey);
  }
  return byKey.get(key);
}

/**
 * The nodes along the last path located, so the next issue walks on from the prefix they share (thousands of
 * issues in a large file sit under the same few objects, in document order).
 */
interface LocateMemo {
  segments: (string | number)[];
  /** nodes[i] is reached by segments[0..i): nodes[0] is the root */
  nodes: ConfigNode[];
  /** members[i] led to nodes[i] (undefined for the root and for array items) */
  members: (MemberNode | undefined)[];
}

/** Where an issue goes in the text: the key for `key` issues, the value otherwise; the closest existing node when missing. */
export function locateIssue(
  doc: ConfigDocument,
  issue: SchemaIssue,
  index: MemberIndex = new WeakMap(),
  memo?: LocateMemo,
): { start: number; end: number } {
  const root = doc.root;
  if (!root) return { start: 0, end: 0 };
  // Walk down as far as the path exists, remembering the member that led to each node.
  let node: ConfigNode = root;
  let member: MemberNode | undefined;
  let depth = 0;
  if (memo && memo.nodes[0] === root) {
    // Resume from the deepest node the previous issue's path shares with this one.
    const max = Math.min(memo.segments.length, issue.path.length, memo.nodes.length - 1);
    while (depth < max && memo.segments[depth] === issue.path[depth]) depth++;
    node = memo.nodes[depth];
    member = memo.members[depth];
    memo.segments.length = depth;
    memo.nodes.length = depth + 1;
    memo.members.length = depth + 1;
  } else if (memo) {
    memo.segments.length = 0;
    memo.nodes.length = 0;
    memo.members.length = 0;
    memo.nodes.push(root);
    memo.members.push(undefined);
  }
  for (let i = depth; i < issue.path.length; i++) {
    const seg = issue.path[i];
    let next: ConfigNode | undefined;
    let via: MemberNode | undefined;
    if (node.type === 'object') {
      via = memberOf(node, String(seg), index);
      next = via?.value;
    } else if (node.type === 'array') {
      const n = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : NaN;
      next = Number.isInteger(n) ? node.items[n] : undefined;
    }
    if (!next) break;
    node = next;
    member = via;
    depth++;
    if (memo) {
      memo.segments.push(seg);
      memo.nodes.push(next);
      memo.members.push(via);
    }
  }
  const complete = depth === issue.path.length;
  if (member && (issue.target === 'key' || !complete)) return { start: member.keyStart, end: member.keyEnd };
  if (depth === 0) return { start: root.start, end: Math.min(root.end, root.start + 1) };
  return { start: node.start, end: node.end };
}

/** A fresh memo for locating many issues of one document in a row. */
export function newLocateMemo(): LocateMemo {
  return { segments: [], nodes: [], members: [] };
}

export function locateIssues(doc: ConfigDocument, issues: readonly SchemaIssue[]): LocatedSchemaIssue[] {
  const index: MemberIndex = new WeakMap();
  const memo = newLocateMemo();
  return issues.map((i) => {
    const { start, end } = locateIssue(doc, i, index, memo);
    return { path: i.path, target: i.target, keyword: i.keyword, message: i.message, start, end };
  });
}

/** One line per issue for the CLI's stderr: `path: message`. */
export function describeIssue(issue: SchemaIssue): string {
  return `${formatPath(issue.path) || '<root>'}: ${issue.message}`;
}

/** Schema findings for the editor; a place another check already explains (a bad ref, a bad provider) is left to it. */
export function schemaFindings(doc: ConfigDocument, choice: SchemaChoice, existing: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const problem of choice.problems) {
    out.push({
      code: 'SCHEMA_UNAVAILABLE',
      severity: 'warning',
      start: 0,
      end: 0,
      path: [],
      message: `${problem}. Using ${choice.schema?.label ?? 'no schema'} instead.`,
      data: { jsonPath: '<root>' },
    });
  }
  if (!doc.root) return out;
  const explained = existing
    .filter((f) => f.code !== 'PLAINTEXT_FOUND' && f.code !== 'KNOWN_CREDENTIAL_FORMAT' && f.path.length > 0)
    .map((f) => f.path);
  const within = (a: readonly (string | number)[], b: readonly (string | number)[]) =>
    a.length <= b.length && a.every((s, i) => String(s) === String(b[i]));
  const issues = configSchemaIssues(doc.value, choice.schema);
  for (const problem of choice.schema?.validator.uncompilable.values() ?? []) {
    out.push({
      code: 'SCHEMA_UNAVAILABLE',
      severity: 'warning',
      start: 0,
      end: 0,
      path: [],
      message: `${choice.schema!.label}: ${problem}; that part is not checked.`,
      data: { jsonPath: '<root>' },
    });
  }
  const version = choice.schema ? ` (${choice.schema.label})` : '';
  // Thousands of issues share a handful of messages: each is worded once.
  const worded = new Map<string, string>();
  const index: MemberIndex = new WeakMap();
  const memo = newLocateMemo();
  for (const issue of issues) {
    if (issue.path.length >= 2 && explained.some((p) => within(p, issue.path) || within(issue.path, p))) continue;
    const { start, end } = locateIssue(doc, issue, index, memo);
    const ruled = issue.keyword.includes('-'); // named rules are 2026.9.6's, not the schema's
    let message = ruled ? issue.message : worded.get(issue.message);
    if (message === undefined) {
      message = `${issue.message.replace(/\.$/, '')}${version}.`;
      worded.set(issue.message, message);
    }
    out.push({
      code: 'CONFIG_SCHEMA_INVALID',
      severity: 'error',
      start,
      end,
      path: issue.path, // made for this issue by the validator: nobody else holds it
      message,
      data: { jsonPath: formatPath(issue.path) || '<root>' },
    });
  }
  return out;
}
