// The one rule for how text we insert into openclaw.json is written: in the document's own style. A file
// written the way OpenClaw's docs write JSON5 (`gateway: { mode: 'local' },`) gets `{ source: 'env', ... }`;
// a plain JSON file gets exactly the JSON we always wrote. Every edit builder (./textEdits) renders through here.
import type { ConfigNode, ObjectNode } from './configDocument';
import { isIdPart, isIdStart } from './json5Parser';

export interface JsonStyle {
  /** write a key bare when it is an IdentifierName (`source:`), else quoted */
  bareKeys: boolean;
  /** the quote for strings and for keys that need quoting */
  quote: '"' | "'";
  /** a member added to an empty multi-line object ends with a comma (non-empty objects keep their own way) */
  trailingCommas: boolean;
}

/** Plain JSON: what a JSON file, an undecided vote or an unparsable text gets. */
export const JSON_STYLE: Readonly<JsonStyle> = Object.freeze({ bareKeys: false, quote: '"', trailingCommas: false });

const ASCII_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** An ECMAScript 5.1 IdentifierName without escapes: JSON5 (ours and OpenClaw's parser) reads it as a bare key. */
export function isIdentifierName(key: string): boolean {
  if (ASCII_IDENTIFIER.test(key)) return true;
  if (key.length === 0 || !/[^ -~]/.test(key)) return false; // printable ASCII, not an identifier
  let first = true;
  for (const ch of key) {
    if (!(first ? isIdStart : isIdPart)(ch)) return false;
    first = false;
  }
  return true;
}

const TRAILING_COMMA = /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*,/;

/** True when the object's last member is followed by a comma (comments between them allowed). */
export function hasTrailingComma(text: string, obj: ObjectNode): boolean {
  const last = obj.members[obj.members.length - 1];
  return last !== undefined && TRAILING_COMMA.test(text.slice(last.end, obj.end - 1));
}

const styles = new WeakMap<ConfigNode, Readonly<JsonStyle>>();

/**
 * The document's style, by majority of what it already holds (ties → JSON):
 * - bare keys: bare keys against quoted keys that could have been bare (`"my-alias"` does not vote);
 * - quote: the quote of string values and quoted keys that contain neither quote character;
 * - trailing commas: multi-line objects (closing brace on its own line) whose last member has a comma, or not.
 * `root` must be the tree parsed from `text`; the answer is cached per tree.
 */
export function detectJsonStyle(text: string, root: ConfigNode | undefined): Readonly<JsonStyle> {
  if (!root) return JSON_STYLE;
  const cached = styles.get(root);
  if (cached) return cached;
  let bare = 0;
  let quotedKeys = 0;
  let single = 0;
  let double = 0;
  let withComma = 0;
  let withoutComma = 0;
  const quoteVote = (at: number, content: string) => {
    if (content.includes("'") || content.includes('"')) return; // its quote was chosen to avoid escaping
    if (text.charCodeAt(at) === 39) single++;
    else double++;
  };
  // One pass over the tree with a plain stack (no paths: a large file is walked once, cheaply).
  const stack: ConfigNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'string') quoteVote(node.start, node.value as string);
    if (node.type === 'array') for (const item of node.items) stack.push(item);
    if (node.type !== 'object') continue;
    for (const m of node.members) {
      stack.push(m.value);
      const c = text.charCodeAt(m.keyStart);
      if (c === 34 || c === 39) {
        if (isIdentifierName(m.key)) quotedKeys++;
        quoteVote(m.keyStart, m.key);
      } else bare++;
    }
    const last = node.members[node.members.length - 1];
    if (last && /[\n\r\u2028\u2029]/.test(text.slice(last.end, node.end - 1))) {
      if (hasTrailingComma(text, node)) withComma++;
      else withoutComma++;
    }
  }
  const style =
    bare > quotedKeys || single > double || withComma > withoutComma
      ? Object.freeze<JsonStyle>({
          bareKeys: bare > quotedKeys,
          quote: single > double ? "'" : '"',
          trailingCommas: withComma > withoutComma,
        })
      : JSON_STYLE;
  styles.set(root, style);
  return style;
}

/** A string literal in the style's quote, escaped for it (JSON's escapes otherwise, so `"` output is JSON). */
export function renderString(value: string, style: Readonly<JsonStyle>): string {
  const json = JSON.stringify(value);
  if (style.quote === '"') return json;
  // In JSON's output every `"` is escaped as `\"`: unescape those, escape `'`, keep every other escape.
  return `'${json.slice(1, -1).replace(/\\[\s\S]|'/g, (m) => (m === "'" ? "\\'" : m === '\\"' ? '"' : m))}'`;
}

/** A member name: bare when the style has bare keys and the key is an IdentifierName, else a string. */
export function renderKey(key: string, style: Readonly<JsonStyle>): string {
  return style.bareKeys && isIdentifierName(key) ? key : renderString(key, style);
}

/** A compact one-line value: `{ "source": "env", "id": "X" }` in JSON, `{ source: 'env', id: 'X' }` in JSON5. */
export function renderInline(value: unknown, style: Readonly<JsonStyle>): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${renderKey(k, style)}: ${renderInline(v, style)}`,
    );
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  if (Array.isArray(value)) return `[${value.map((v) => renderInline(v, style)).join(', ')}]`;
  if (typeof value === 'string') return renderString(value, style);
  return JSON.stringify(value);
}
