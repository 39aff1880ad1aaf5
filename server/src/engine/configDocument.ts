// The one parser front-end: openclaw.json is JSON5, so every feature reads text through here and gets
// a small located tree (exact offsets for keys and values) plus the plain value. JSON and JSONC (the
// common case) go through jsonc-parser's streaming visitor, about 5x faster than a JSON5 parse; text
// that only JSON5 accepts (unquoted keys, single quotes, hex, +Infinity...) falls back to momoa.
import { parse as parseJson5, type AnyNode, type ValueNode } from '@humanwhocodes/momoa';
import { visit as visitJsonc } from 'jsonc-parser';
import { nestingDepthProblem } from './nestingGuard';

export type PathSegment = string | number;
export type JsonPath = readonly PathSegment[];

interface NodeBase {
  start: number;
  end: number;
}
export interface ObjectNode extends NodeBase {
  type: 'object';
  members: MemberNode[];
}
export interface MemberNode {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** start of the key through the end of the value */
  start: number;
  end: number;
  value: ConfigNode;
}
export interface ArrayNode extends NodeBase {
  type: 'array';
  items: ConfigNode[];
}
export interface ScalarNode extends NodeBase {
  type: 'string' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
}
export type ConfigNode = ObjectNode | ArrayNode | ScalarNode;

export interface SyntaxProblem {
  message: string;
  offset: number;
  line: number; // 1-based
  column: number; // 1-based
}

export interface ConfigDocument {
  fileName: string;
  text: string;
  root: ConfigNode | undefined;
  /** the plain JS value of the whole document (undefined when it could not be parsed) */
  value: unknown;
  syntaxError: SyntaxProblem | undefined;
}

export class ConfigSyntaxError extends Error {
  constructor(
    readonly fileName: string,
    readonly problem: SyntaxProblem,
  ) {
    super(`${fileName}:${problem.line}:${problem.column}: ${problem.message}`);
    this.name = 'ConfigSyntaxError';
  }
}

function convert(node: ValueNode | AnyNode): ConfigNode {
  const [start, end] = node.range ?? [0, 0];
  switch (node.type) {
    case 'Object':
      return {
        type: 'object',
        start,
        end,
        members: node.members.map((m) => {
          const name = m.name;
          const key = name.type === 'Identifier' ? name.name : name.value;
          const [keyStart, keyEnd] = name.range ?? [0, 0];
          const value = convert(m.value);
          return { key, keyStart, keyEnd, start: keyStart, end: value.end, value };
        }),
      };
    case 'Array':
      return { type: 'array', start, end, items: node.elements.map((e) => convert(e.value)) };
    case 'String':
      return { type: 'string', start, end, value: node.value };
    case 'Number':
      return { type: 'number', start, end, value: node.value };
    case 'Boolean':
      return { type: 'boolean', start, end, value: node.value };
    case 'Null':
      return { type: 'null', start, end, value: null };
    case 'Infinity':
      return { type: 'number', start, end, value: node.sign === '-' ? -Infinity : Infinity };
    case 'NaN':
      return { type: 'number', start, end, value: NaN };
    default:
      throw new Error(`unexpected JSON5 node ${(node as { type: string }).type}`);
  }
}

/** Later duplicate keys win, as JSON.parse does; `__proto__` stays an own key instead of a prototype. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

export function nodeToValue(node: ConfigNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const m of node.members) setOwn(out, m.key, nodeToValue(m.value));
      return out;
    }
    case 'array':
      return node.items.map(nodeToValue);
    default:
      return node.value;
  }
}

class NotJsonc extends Error {}

type Frame =
  | { node: ObjectNode; value: Record<string, unknown>; key?: string; keyStart: number; keyEnd: number }
  | { node: ArrayNode; value: unknown[] };

/** One streaming pass over JSON/JSONC building the located tree and the value together; undefined if not JSONC. */
function parseJsonc(source: string): { root: ConfigNode; value: unknown } | undefined {
  const stack: Frame[] = [];
  let result: { root: ConfigNode; value: unknown } | undefined;
  const attach = (child: ConfigNode, childValue: unknown) => {
    const top = stack[stack.length - 1];
    if (!top) {
      result = { root: child, value: childValue };
    } else if (top.node.type === 'object') {
      const frame = top as Extract<Frame, { key?: string }>;
      if (frame.key === undefined) throw new NotJsonc();
      frame.node.members.push({ key: frame.key, keyStart: frame.keyStart, keyEnd: frame.keyEnd, start: frame.keyStart, end: child.end, value: child });
      setOwn(frame.value, frame.key, childValue);
      frame.key = undefined;
    } else {
      top.node.items.push(child);
      (top.value as unknown[]).push(childValue);
    }
  };
  try {
    visitJsonc(
      source,
      {
        onObjectBegin: (offset) => {
          stack.push({ node: { type: 'object', start: offset, end: offset, members: [] }, value: {}, keyStart: 0, keyEnd: 0 });
        },
        onObjectProperty: (property, offset, length) => {
          const top = stack[stack.length - 1] as Extract<Frame, { key?: string }>;
          top.key = property;
          top.keyStart = offset;
          top.keyEnd = offset + length;
        },
        onObjectEnd: (offset, length) => {
          const frame = stack.pop()!;
          frame.node.end = offset + length;
          attach(frame.node, frame.value);
        },
        onArrayBegin: (offset) => {
          stack.push({ node: { type: 'array', start: offset, end: offset, items: [] }, value: [] });
        },
        onArrayEnd: (offset, length) => {
          const frame = stack.pop()!;
          frame.node.end = offset + length;
          attach(frame.node, frame.value);
        },
        onLiteralValue: (value: unknown, offset, length) => {
          const type = value === null ? 'null' : (typeof value as 'string' | 'number' | 'boolean');
          attach({ type, start: offset, end: offset + length, value: value as ScalarNode['value'] }, value);
        },
        onError: () => {
          throw new NotJsonc();
        },
      },
      { allowTrailingComma: true, disallowComments: false },
    );
  } catch (err) {
    if (err instanceof NotJsonc) return undefined;
    throw err;
  }
  return stack.length === 0 ? result : undefined;
}

/** Parse JSON, JSONC or JSON5 text. Never throws: a syntax problem is returned with its position. */
export function parseConfigText(text: string, fileName = 'openclaw.json'): ConfigDocument {
  // Refused before any recursive parse or walk can overflow the stack (deep input is a syntax problem).
  const tooDeep = nestingDepthProblem(text);
  if (tooDeep) {
    const pos = offsetToPosition(text, tooDeep.offset);
    return { fileName, text, root: undefined, value: undefined, syntaxError: { message: tooDeep.message, offset: tooDeep.offset, line: pos.line + 1, column: pos.character + 1 } };
  }
  // A UTF-8 BOM is not part of the document; keep offsets aligned by blanking it rather than slicing.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const fast = parseJsonc(source);
  if (fast) return { fileName, text, root: fast.root, value: fast.value, syntaxError: undefined };
  return parseConfigTextAsJson5(text, fileName);
}

/** The JSON5 path alone (exported so tests can check both paths agree on JSON text). */
export function parseConfigTextAsJson5(text: string, fileName = 'openclaw.json'): ConfigDocument {
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  try {
    const ast = parseJson5(source, { mode: 'json5', ranges: true, tokens: false });
    const root = convert(ast.body);
    return { fileName, text, root, value: nodeToValue(root), syntaxError: undefined };
  } catch (err) {
    const e = err as { message?: string; line?: number; column?: number; offset?: number };
    const offset = typeof e.offset === 'number' ? e.offset : 0;
    const pos = offsetToPosition(text, offset);
    const message = String(e.message ?? 'Unreadable JSON5').replace(/\s*\(\d+:\d+\)\s*$/, '');
    return {
      fileName,
      text,
      root: undefined,
      value: undefined,
      syntaxError: { message, offset, line: e.line ?? pos.line + 1, column: e.column ?? pos.character + 1 },
    };
  }
}

/** Parse or throw a ConfigSyntaxError naming the file, line and column. */
export function parseConfigTextOrThrow(text: string, fileName: string): ConfigDocument {
  const doc = parseConfigText(text, fileName);
  if (doc.syntaxError) throw new ConfigSyntaxError(fileName, doc.syntaxError);
  return doc;
}

export function findMember(node: ConfigNode | undefined, key: string): MemberNode | undefined {
  if (!node || node.type !== 'object') return undefined;
  // Last one wins, matching the parsed value.
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i].key === key) return node.members[i];
  return undefined;
}

export function findNode(root: ConfigNode | undefined, path: JsonPath): ConfigNode | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (node.type === 'object') node = findMember(node, String(seg))?.value;
    else if (node.type === 'array') {
      const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : NaN;
      node = Number.isInteger(i) ? node.items[i] : undefined;
    } else return undefined;
  }
  return node;
}

/** The member whose value sits at `path` (for key ranges); undefined for array items and the root. */
export function findMemberAt(root: ConfigNode | undefined, path: JsonPath): MemberNode | undefined {
  if (path.length === 0) return undefined;
  const parent = findNode(root, path.slice(0, -1));
  return parent?.type === 'object' ? findMember(parent, String(path[path.length - 1])) : undefined;
}

/** Walk every node depth-first with its path. Return false from the visitor to skip a subtree. */
export function walkNodes(root: ConfigNode | undefined, visit: (node: ConfigNode, path: PathSegment[]) => boolean | void): void {
  if (!root) return;
  const stack: Array<[ConfigNode, PathSegment[]]> = [[root, []]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (visit(node, path) === false) continue;
    if (node.type === 'object') {
      for (let i = node.members.length - 1; i >= 0; i--) stack.push([node.members[i].value, [...path, node.members[i].key]]);
    } else if (node.type === 'array') {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], [...path, i]]);
    }
  }
}

/** Innermost node containing the offset, with its path (for hover, completion, definition). */
export function nodeAtOffset(root: ConfigNode | undefined, offset: number): { node: ConfigNode; path: PathSegment[]; onKey?: MemberNode } | undefined {
  let node = root;
  if (!node || offset < node.start || offset > node.end) return undefined;
  const path: PathSegment[] = [];
  for (;;) {
    if (node.type === 'object') {
      const m: MemberNode | undefined = node.members.find((mm) => offset >= mm.start && offset <= mm.end);
      if (!m) return { node, path };
      if (offset >= m.keyStart && offset <= m.keyEnd) return { node: m.value, path: [...path, m.key], onKey: m };
      path.push(m.key);
      node = m.value;
    } else if (node.type === 'array') {
      const i: number = node.items.findIndex((it) => offset >= it.start && offset <= it.end);
      if (i < 0) return { node, path };
      path.push(i);
      node = node.items[i];
    } else return { node, path };
  }
}

export interface Position {
  line: number; // 0-based
  character: number; // 0-based, UTF-16 units
}

export function offsetToPosition(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: end - lineStart };
}

/** Dotted display path as OpenClaw prints it (`models.providers.openai.apiKey`, arrays as `.0.`). */
export function formatPath(path: JsonPath): string {
  return path.map(String).join('.');
}
