// What the JSON language gave openclaw.json, from our own located tree so it works on JSON5: the outline
// (document symbols and breadcrumbs), folding ranges and selection ranges, all as text offsets.
import type { ConfigDocument, ConfigNode, MemberNode } from './configDocument';

/** As the JSON language service does, stop listing symbols past this many (a 1 MB config has ~50k nodes). */
export const MAX_OUTLINE_SYMBOLS = 5000;

export interface OutlineSymbol {
  name: string;
  kind: ConfigNode['type'];
  /** the whole member (key through value), or the item */
  start: number;
  end: number;
  /** the key, or the item itself */
  selectionStart: number;
  selectionEnd: number;
  /** a short description for scalars (`true`, `12`); never a string's content, which may be a secret */
  detail?: string;
  children: OutlineSymbol[];
}

function scalarDetail(node: ConfigNode): string | undefined {
  if (node.type === 'boolean' || node.type === 'null' || node.type === 'number') return String(node.value);
  return undefined;
}

/** The outline: one symbol per member and array item, nested; breadth-first up to MAX_OUTLINE_SYMBOLS. */
export function outlineSymbols(root: ConfigNode | undefined, limit = MAX_OUTLINE_SYMBOLS): OutlineSymbol[] {
  const top: OutlineSymbol[] = [];
  if (!root) return top;
  let budget = limit;
  // Breadth-first so that a huge document still shows its top levels whole.
  const queue: Array<{ node: ConfigNode; into: OutlineSymbol[] }> = [{ node: root, into: top }];
  for (let q = 0; q < queue.length && budget > 0; q++) {
    const { node, into } = queue[q];
    const add = (
      name: string,
      value: ConfigNode,
      start: number,
      end: number,
      selectionStart: number,
      selectionEnd: number,
    ) => {
      if (budget <= 0) return;
      budget--;
      const detail = scalarDetail(value);
      const symbol: OutlineSymbol = {
        name,
        kind: value.type,
        start,
        end,
        selectionStart,
        selectionEnd,
        children: [],
        ...(detail === undefined ? {} : { detail }),
      };
      into.push(symbol);
      if (value.type === 'object' || value.type === 'array') queue.push({ node: value, into: symbol.children });
    };
    if (node.type === 'object')
      for (const m of node.members) add(m.key === '' ? '""' : m.key, m.value, m.start, m.end, m.keyStart, m.keyEnd);
    else if (node.type === 'array')
      node.items.forEach((item, i) => add(String(i), item, item.start, item.end, item.start, item.end));
  }
  return top;
}

export interface FoldRange {
  startOffset: number;
  endOffset: number;
  kind?: 'comment' | 'region';
}

const REGION_START = /^\s*\/\/\s*#?region\b/;
const REGION_END = /^\s*\/\/\s*#?endregion\b/;

/** Objects, arrays and block comments that span lines, and `// #region` ... `// #endregion` pairs. */
export function foldRanges(doc: ConfigDocument): FoldRange[] {
  const out: FoldRange[] = [];
  const stack: ConfigNode[] = doc.root ? [doc.root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      out.push({ startOffset: node.start, endOffset: node.end });
      for (const m of node.members) if (m.value.type === 'object' || m.value.type === 'array') stack.push(m.value);
    } else if (node.type === 'array') {
      out.push({ startOffset: node.start, endOffset: node.end });
      for (const item of node.items) if (item.type === 'object' || item.type === 'array') stack.push(item);
    }
  }
  const regions: number[] = [];
  for (const c of doc.comments ?? []) {
    if (c.block) {
      out.push({ startOffset: c.start, endOffset: c.end, kind: 'comment' });
      continue;
    }
    const lineStart = doc.text.lastIndexOf('\n', c.start - 1) + 1;
    const line = doc.text.slice(lineStart, c.end);
    if (REGION_START.test(line)) regions.push(c.start);
    else if (REGION_END.test(line) && regions.length)
      out.push({ startOffset: regions.pop()!, endOffset: c.end, kind: 'region' });
  }
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** From the innermost to the whole document: string content, the value, the key, the member, the parent... */
export function selectionChain(doc: ConfigDocument, offset: number): Array<{ start: number; end: number }> {
  const chain: Array<{ start: number; end: number }> = [];
  let node = doc.root;
  if (!node || offset < node.start || offset > node.end) return chain;
  for (;;) {
    chain.push({ start: node.start, end: node.end });
    let member: MemberNode | undefined;
    let next: ConfigNode | undefined;
    if (node.type === 'object') {
      member = node.members.find((m) => offset >= m.start && offset <= m.end);
      if (member) {
        chain.push({ start: member.start, end: member.end });
        if (offset >= member.keyStart && offset <= member.keyEnd) {
          chain.push({ start: member.keyStart, end: member.keyEnd });
          const quote = doc.text[member.keyStart];
          if (member.keyEnd - member.keyStart > 2 && (quote === '"' || quote === "'"))
            chain.push({ start: member.keyStart + 1, end: member.keyEnd - 1 });
          break;
        }
        next = offset >= member.value.start ? member.value : undefined;
      }
    } else if (node.type === 'array') {
      next = node.items.find((it) => offset >= it.start && offset <= it.end);
    } else {
      if (node.type === 'string' && node.end - node.start > 2 && offset > node.start && offset < node.end)
        chain.push({ start: node.start + 1, end: node.end - 1 });
      break;
    }
    if (!next) break;
    node = next;
  }
  // Innermost first; a range equal to the next one out adds no step.
  return chain.reverse().filter((r, i, all) => i === 0 || r.start !== all[i - 1].start || r.end !== all[i - 1].end);
}
