// A linear pre-scan of JSON/JSONC/JSON5 text for nesting deeper than the parsers and walkers can take:
// past the limit a recursive walk would die with a RangeError, so the text is refused with a clear message.
export const MAX_NESTING_DEPTH = 512;

export interface NestingProblem {
  message: string;
  /** offset of the first bracket past the limit */
  offset: number;
}

/** The first place `text` nests deeper than MAX_NESTING_DEPTH, ignoring brackets in strings and comments. */
export function nestingDepthProblem(text: string, limit = MAX_NESTING_DEPTH): NestingProblem | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      // "..." or '...' (JSON5): skip to the closing quote, honouring backslash escapes
      for (i++; i < n && text.charCodeAt(i) !== c; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return { message: `Nesting is deeper than ${limit} levels (the limit for objects and arrays).`, offset: i };
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}
