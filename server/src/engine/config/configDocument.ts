// The one parser front-end: openclaw.json is JSON5, so every feature reads text through here and gets
// a small located tree (exact offsets for keys and values) plus the plain value. JSON, JSONC and JSON5 all
// go through one hand-written single-pass parser (./json5Parser), as fast on JSON5 as on JSON.
import { Json5SyntaxError, parseJson5Text, type CommentRange } from './json5Parser';
import { OpenClawSecretsError } from '../../../../shared/src/errors';

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
  /** every comment, in order (absent when the text does not parse) */
  comments?: readonly CommentRange[];
}

export class ConfigSyntaxError extends OpenClawSecretsError {
  constructor(
    readonly fileName: string,
    readonly problem: SyntaxProblem,
  ) {
    super(`${fileName}:${problem.line}:${problem.column}: ${problem.message}`, 'CONFIG_SYNTAX');
    this.name = 'ConfigSyntaxError';
  }
}

export function nodeToValue(node: ConfigNode): unknown {
  switch (node.type) {
    case 'object': {
      // No prototype: `__proto__` is an ordinary key; later duplicates win, as in JSON.parse.
      const out = Object.create(null) as Record<string, unknown>;
      for (const m of node.members) out[m.key] = nodeToValue(m.value);
      return out;
    }
    case 'array':
      return node.items.map(nodeToValue);
    default:
      return node.value;
  }
}

/** Parse JSON, JSONC or JSON5 text. Never throws: a syntax problem is returned with its position. */
export function parseConfigText(text: string, fileName = 'openclaw.json'): ConfigDocument {
  // A UTF-8 BOM is not part of the document; keep offsets aligned by blanking it rather than slicing.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  try {
    const { root, value, comments } = parseJson5Text(source);
    return { fileName, text, root, value, syntaxError: undefined, comments };
  } catch (err) {
    if (!(err instanceof Json5SyntaxError)) throw err;
    const pos = offsetToPosition(text, err.offset);
    return {
      fileName,
      text,
      root: undefined,
      value: undefined,
      syntaxError: { message: err.message, offset: err.offset, line: pos.line + 1, column: pos.character + 1 },
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
export function walkNodes(
  root: ConfigNode | undefined,
  visit: (node: ConfigNode, path: PathSegment[]) => boolean | void,
): void {
  if (!root) return;
  const stack: Array<[ConfigNode, PathSegment[]]> = [[root, []]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (visit(node, path) === false) continue;
    if (node.type === 'object') {
      for (let i = node.members.length - 1; i >= 0; i--)
        stack.push([node.members[i].value, [...path, node.members[i].key]]);
    } else if (node.type === 'array') {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], [...path, i]]);
    }
  }
}

/** Innermost node containing the offset, with its path (for hover, completion, definition). */
export function nodeAtOffset(
  root: ConfigNode | undefined,
  offset: number,
): { node: ConfigNode; path: PathSegment[]; onKey?: MemberNode } | undefined {
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
