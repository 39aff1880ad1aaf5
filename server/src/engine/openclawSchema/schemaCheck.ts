// One call for "is this config valid for OpenClaw": the schema (Ajv) plus the named cross-field rules,
// each problem placed on the exact key or value in the JSON5 text.
import { findMemberAt, findNode, formatPath, type ConfigDocument, type ConfigNode } from '../configDocument';
import { checkConfigRules } from './configRules';
import type { SchemaIssue } from './schemaValidator';
import type { LoadedSchema, SchemaChoice } from './schemaSource';
import type { Finding } from '../analyze';

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

/** Where an issue goes in the text: the key for `key` issues, the value otherwise; the closest existing node when missing. */
export function locateIssue(doc: ConfigDocument, issue: SchemaIssue): { start: number; end: number } {
  const root = doc.root;
  for (let n = issue.path.length; n >= 0; n--) {
    const at = issue.path.slice(0, n);
    const wantKey = issue.target === 'key' || n < issue.path.length;
    const member = findMemberAt(root, at);
    if (member && wantKey) return { start: member.keyStart, end: member.keyEnd };
    const node: ConfigNode | undefined = findNode(root, at);
    if (node) return n === 0 && root ? { start: root.start, end: Math.min(root.end, root.start + 1) } : { start: node.start, end: node.end };
  }
  return { start: 0, end: 0 };
}

export function locateIssues(doc: ConfigDocument, issues: readonly SchemaIssue[]): LocatedSchemaIssue[] {
  return issues.map((i) => ({ ...i, ...locateIssue(doc, i) }));
}

/** One line per issue for the CLI's stderr: `path: message`. */
export function describeIssue(issue: SchemaIssue): string {
  return `${formatPath(issue.path) || '<root>'}: ${issue.message}`;
}

/** Schema findings for the editor; a place another check already explains (a bad ref, a bad provider) is left to it. */
export function schemaFindings(doc: ConfigDocument, choice: SchemaChoice, existing: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const problem of choice.problems) {
    out.push({ code: 'SCHEMA_UNAVAILABLE', severity: 'warning', start: 0, end: 0, path: [], message: `${problem}. Using ${choice.schema?.label ?? 'no schema'} instead.`, data: { jsonPath: '<root>' } });
  }
  if (!doc.root) return out;
  const explained = existing.filter((f) => f.code !== 'PLAINTEXT_FOUND' && f.code !== 'KNOWN_CREDENTIAL_FORMAT' && f.path.length > 0).map((f) => f.path);
  const within = (a: readonly (string | number)[], b: readonly (string | number)[]) => a.length <= b.length && a.every((s, i) => String(s) === String(b[i]));
  const issues = configSchemaIssues(doc.value, choice.schema);
  for (const problem of choice.schema?.validator.uncompilable.values() ?? []) {
    out.push({ code: 'SCHEMA_UNAVAILABLE', severity: 'warning', start: 0, end: 0, path: [], message: `${choice.schema!.label}: ${problem}; that part is not checked.`, data: { jsonPath: '<root>' } });
  }
  for (const issue of locateIssues(doc, issues)) {
    if (issue.path.length >= 2 && explained.some((p) => within(p, issue.path) || within(issue.path, p))) continue;
    const version = choice.schema ? ` (${choice.schema.label})` : '';
    const ruled = issue.keyword.includes('-'); // named rules are 2026.9.6's, not the schema's
    out.push({
      code: 'CONFIG_SCHEMA_INVALID',
      severity: 'error',
      start: issue.start,
      end: issue.end,
      path: [...issue.path],
      message: ruled ? issue.message : `${issue.message.replace(/\.$/, '')}${version}.`,
      data: { jsonPath: formatPath(issue.path) || '<root>' },
    });
  }
  return out;
}
