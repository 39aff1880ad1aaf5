// Minimal text edits over the located tree: the file is never re-serialised, so comments, quoting
// style and formatting outside the edited span survive, and what we insert is written in the document's
// style (./jsonStyle: bare keys, quote, trailing commas of a JSON5 file; plain JSON for a JSON file).
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import { findMember, findNode, type ConfigNode, type JsonPath, type ObjectNode } from './configDocument';
import { detectJsonStyle, hasTrailingComma, JSON_STYLE, renderInline, renderKey, type JsonStyle } from './jsonStyle';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export class EditPathError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'EDIT_PATH_MISSING');
    this.name = 'EditPathError';
  }
}

/** Apply edits (non-overlapping) to text; order does not matter. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) throw new Error('overlapping text edits');
    lastStart = e.start;
  }
  // Joined once from the pieces: slicing the whole text per edit made 10,000 edits quadratic.
  const parts: string[] = [];
  let at = text.length;
  for (const e of sorted) {
    parts.push(text.slice(e.end, at), e.newText);
    at = e.start;
  }
  parts.push(text.slice(0, at));
  return parts.reverse().join('');
}

function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, offset));
  return m ? m[0] : '';
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Replace the value at `path` (which must exist). `root` may be a subtree, so the style cannot be detected
 * here: a writer passes `detectJsonStyle(text, documentRoot)`.
 */
export function replaceValueEdit(
  root: ConfigNode | undefined,
  path: JsonPath,
  value: unknown,
  style: Readonly<JsonStyle> = JSON_STYLE,
): TextEdit {
  const node = findNode(root, path);
  if (!node) throw new EditPathError(`No value at ${path.join('.')}`);
  return { start: node.start, end: node.end, newText: renderInline(value, style) };
}

/** Insert `key: value` as the last member of the object at `objectPath` (`root`: the document's whole tree). */
export function insertMemberEdit(
  text: string,
  root: ConfigNode | undefined,
  objectPath: JsonPath,
  key: string,
  value: unknown,
  style: Readonly<JsonStyle> = detectJsonStyle(text, root),
): TextEdit {
  const obj = findNode(root, objectPath);
  if (!obj || obj.type !== 'object') throw new EditPathError(`No object at ${objectPath.join('.') || '<root>'}`);
  return insertIntoObject(text, obj, key, value, style);
}

function insertIntoObject(
  text: string,
  obj: ObjectNode,
  key: string,
  value: unknown,
  style: Readonly<JsonStyle>,
): TextEdit {
  const member = `${renderKey(key, style)}: ${renderInline(value, style)}`;
  const last = obj.members[obj.members.length - 1];
  if (!last) {
    const indent = lineIndentAt(text, obj.start);
    const multiline = text.slice(obj.start, obj.end).includes('\n');
    if (multiline)
      return {
        start: obj.start + 1,
        end: obj.end - 1,
        newText: `${eol(text)}${indent}  ${member}${style.trailingCommas ? ',' : ''}${eol(text)}${indent}`,
      };
    return { start: obj.start + 1, end: obj.end - 1, newText: ` ${member} ` };
  }
  // Keep a trailing comma if the author used one; otherwise add ours after the last value.
  const after = text.slice(last.end, obj.end - 1);
  const trailingComma = hasTrailingComma(text, obj);
  const sameLine = !text.slice(obj.start, last.end).includes('\n');
  if (sameLine) {
    return trailingComma
      ? { start: obj.end - 1, end: obj.end - 1, newText: ` ${member}, ` }
      : { start: last.end, end: last.end, newText: `, ${member}` };
  }
  const indent = lineIndentAt(text, last.start);
  if (trailingComma) {
    const commaAt = last.end + after.indexOf(',') + 1;
    return { start: commaAt, end: commaAt, newText: `${eol(text)}${indent}${member},` };
  }
  return { start: last.end, end: last.end, newText: `,${eol(text)}${indent}${member}` };
}

/** Set `path` to `value`: replace when present, else insert the last key into its (existing) parent. */
export function setValueEdit(
  text: string,
  root: ConfigNode | undefined,
  path: JsonPath,
  value: unknown,
  style: Readonly<JsonStyle> = detectJsonStyle(text, root),
): TextEdit {
  if (findNode(root, path)) return replaceValueEdit(root, path, value, style);
  return insertMemberEdit(text, root, path.slice(0, -1), String(path[path.length - 1]), value, style);
}

/** Remove the member at `path` together with its separating comma. */
export function removeMemberEdit(text: string, root: ConfigNode | undefined, path: JsonPath): TextEdit {
  const parent = findNode(root, path.slice(0, -1));
  if (!parent || parent.type !== 'object') throw new EditPathError(`No object at ${path.slice(0, -1).join('.')}`);
  const key = String(path[path.length - 1]);
  const member = findMember(parent, key);
  if (!member) throw new EditPathError(`No key ${key} at ${path.join('.')}`);
  const idx = parent.members.indexOf(member);
  const next = parent.members[idx + 1];
  const prev = parent.members[idx - 1];
  if (next) return { start: member.start, end: next.start, newText: '' };
  if (prev) {
    // Drop the comma before us; keep anything after the value (comments, closing brace layout).
    const between = text.slice(prev.end, member.start);
    const comma = between.indexOf(',');
    const afterMember = text.slice(member.end, parent.end - 1);
    const trailing = /^\s*,/.exec(afterMember);
    return {
      start: prev.end + (comma >= 0 ? comma : 0),
      end: member.end + (trailing ? trailing[0].length : 0),
      newText: '',
    };
  }
  return { start: parent.start + 1, end: parent.end - 1, newText: '' };
}
