// A single-pass JSON5 parser (a superset of JSON and JSONC) that builds the located tree and the plain value
// together: one scan over char codes, strings sliced without copying when they have no escapes, objects with a
// null prototype, and a nesting limit so hostile input gives a parse error instead of a RangeError.
import type { ArrayNode, ConfigNode, MemberNode, ObjectNode, ScalarNode } from './configDocument';

/** Deeper nesting than any real config; deeper input is refused with a message naming this limit. */
export const MAX_NESTING_DEPTH = 512;

export interface Json5ParseResult {
  root: ConfigNode;
  value: unknown;
}

/** Where a comment sits (for folding); `block` for slash-star comments. */
export interface CommentRange {
  start: number;
  end: number;
  block: boolean;
}

export class Json5SyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'Json5SyntaxError';
  }
}

const enum C {
  Tab = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  Space = 32,
  DQuote = 34,
  Dollar = 36,
  SQuote = 39,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Star = 42,
  UpperA = 65,
  UpperE = 69,
  UpperF = 70,
  UpperI = 73,
  UpperN = 78,
  UpperX = 88,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Underscore = 95,
  LowerA = 97,
  LowerE = 101,
  LowerF = 102,
  LowerN = 110,
  LowerT = 116,
  LowerU = 117,
  LowerX = 120,
  LowerZ = 122,
  LBrace = 123,
  RBrace = 125,
  NBSP = 0xa0,
  LS = 0x2028,
  PS = 0x2029,
  BOM = 0xfeff,
}

const TOKEN_NAMES: Record<number, string> = Object.assign(Object.create(null) as Record<number, string>, {
  [C.Comma]: 'Comma',
  [C.Colon]: 'Colon',
  [C.LBrace]: 'LBrace',
  [C.RBrace]: 'RBrace',
  [C.LBracket]: 'LBracket',
  [C.RBracket]: 'RBracket',
});

// ECMAScript 5.1 IdentifierName characters (JSON5's unquoted member names); shared with the writer's style.
// Built on first use: a Unicode property class costs V8 about 0.7 ms to build, and most texts (every plain-JSON
// config the CLI reads) have no non-ASCII name character or space to test.
let idStart: RegExp | undefined;
let idPart: RegExp | undefined;
let spaceSeparator: RegExp | undefined;
export const isIdStart = (ch: string): boolean => (idStart ??= /[\p{L}\p{Nl}$_]/u).test(ch);
export const isIdPart = (ch: string): boolean =>
  (idPart ??= /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]/u).test(ch);
const isSpaceSeparator = (ch: string): boolean => (spaceSeparator ??= /\p{Zs}/u).test(ch);

function isLineTerminator(c: number): boolean {
  return c === C.LF || c === C.CR || c === C.LS || c === C.PS;
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function hexValue(c: number): number {
  if (c >= C.Zero && c <= C.Nine) return c - C.Zero;
  if (c >= C.UpperA && c <= C.UpperF) return c - C.UpperA + 10;
  if (c >= C.LowerA && c <= C.LowerF) return c - C.LowerA + 10;
  return -1;
}

/**
 * Later duplicate keys win, as JSON.parse does. The object is built as a literal (V8 keeps it in fast mode,
 * unlike Object.create(null)) and loses its prototype once complete, so `__proto__` is defined, never assigned.
 */
function setMember(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** the plain value of the node parseValue just returned (no result object per node: a 1 MB file has 100k nodes) */
  private value: unknown;
  private readonly len: number;
  readonly comments: CommentRange[] = [];

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  parse(): Json5ParseResult {
    this.skipTrivia();
    if (this.pos >= this.len) this.fail('Unexpected end of input found.', this.pos);
    const root = this.parseValue();
    const value = this.value;
    this.skipTrivia();
    if (this.pos < this.len) this.unexpected();
    return { root, value };
  }

  private fail(message: string, offset: number): never {
    throw new Json5SyntaxError(message, offset);
  }

  private unexpected(): never {
    if (this.pos >= this.len) this.fail('Unexpected end of input found.', this.pos);
    const c = this.text.charCodeAt(this.pos);
    const token = TOKEN_NAMES[c];
    if (token) this.fail(`Unexpected token ${token} found.`, this.pos);
    const ch = String.fromCodePoint(this.text.codePointAt(this.pos)!);
    this.fail(`Unexpected character ${JSON.stringify(ch)} found.`, this.pos);
  }

  /** Whitespace (JSON5's set, including Unicode space separators) and both comment forms. */
  private skipTrivia(): void {
    const text = this.text;
    const len = this.len;
    let pos = this.pos;
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === C.Space || c === C.LF || c === C.CR || c === C.Tab) {
        pos++;
      } else if (c === C.Slash) {
        const next = text.charCodeAt(pos + 1);
        const start = pos;
        if (next === C.Slash) {
          pos += 2;
          while (pos < len && !isLineTerminator(text.charCodeAt(pos))) pos++;
          this.comments.push({ start, end: pos, block: false });
        } else if (next === C.Star) {
          const close = text.indexOf('*/', pos + 2);
          if (close < 0) this.fail('Unterminated comment.', pos);
          pos = close + 2;
          this.comments.push({ start, end: pos, block: true });
        } else {
          this.pos = pos;
          this.unexpected();
        }
      } else if (
        c === C.VT ||
        c === C.FF ||
        c === C.NBSP ||
        c === C.BOM ||
        c === C.LS ||
        c === C.PS ||
        (c > 127 && isSpaceSeparator(text[pos]))
      ) {
        pos++;
      } else break;
    }
    this.pos = pos;
  }

  private parseValue(): ConfigNode {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case C.LBrace:
        return this.parseObject();
      case C.LBracket:
        return this.parseArray();
      case C.DQuote:
      case C.SQuote: {
        const start = this.pos;
        const value = this.parseString(c);
        this.value = value;
        return { type: 'string', start, end: this.pos, value };
      }
      case C.LowerT:
        return this.parseKeyword('true', 'boolean', true);
      case C.LowerF:
        return this.parseKeyword('false', 'boolean', false);
      case C.LowerN:
        return this.parseKeyword('null', 'null', null);
      default:
        if (isDigit(c) || c === C.Minus || c === C.Plus || c === C.Dot || c === C.UpperI || c === C.UpperN)
          return this.parseNumber();
        return this.unexpected();
    }
  }

  private parseKeyword(word: string, type: 'boolean' | 'null', value: boolean | null): ConfigNode {
    const start = this.pos;
    if (!this.text.startsWith(word, start)) this.unexpected();
    this.pos += word.length;
    this.value = value;
    return { type, start, end: this.pos, value };
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING_DEPTH)
      this.fail(`Nesting is deeper than ${MAX_NESTING_DEPTH} levels (the limit for objects and arrays).`, this.pos);
  }

  private parseObject(): ObjectNode {
    this.enter();
    const text = this.text;
    const start = this.pos++;
    const members: MemberNode[] = [];
    const value: Record<string, unknown> = {};
    const node: ObjectNode = { type: 'object', start, end: start, members };
    this.skipTrivia();
    while (text.charCodeAt(this.pos) !== C.RBrace) {
      const keyStart = this.pos;
      const key = this.parseKey();
      const keyEnd = this.pos;
      this.skipTrivia();
      if (text.charCodeAt(this.pos) !== C.Colon) this.unexpected();
      this.pos++;
      this.skipTrivia();
      if (this.pos >= this.len) this.unexpected();
      const child = this.parseValue();
      members.push({ key, keyStart, keyEnd, start: keyStart, end: child.end, value: child });
      setMember(value, key, this.value);
      this.skipTrivia();
      const c = text.charCodeAt(this.pos);
      if (c === C.Comma) {
        this.pos++;
        this.skipTrivia();
      } else if (c !== C.RBrace) this.unexpected();
    }
    this.pos++;
    node.end = this.pos;
    this.depth--;
    this.value = Object.setPrototypeOf(value, null);
    return node;
  }

  private parseArray(): ArrayNode {
    this.enter();
    const text = this.text;
    const start = this.pos++;
    const items: ConfigNode[] = [];
    const value: unknown[] = [];
    const node: ArrayNode = { type: 'array', start, end: start, items };
    this.skipTrivia();
    while (text.charCodeAt(this.pos) !== C.RBracket) {
      if (this.pos >= this.len) this.unexpected();
      items.push(this.parseValue());
      value.push(this.value);
      this.skipTrivia();
      const c = text.charCodeAt(this.pos);
      if (c === C.Comma) {
        this.pos++;
        this.skipTrivia();
      } else if (c !== C.RBracket) this.unexpected();
    }
    this.pos++;
    node.end = this.pos;
    this.depth--;
    this.value = value;
    return node;
  }

  /** A member name: a quoted string or an ECMAScript 5.1 IdentifierName (with \uXXXX escapes). */
  private parseKey(): string {
    const c = this.text.charCodeAt(this.pos);
    if (c === C.DQuote || c === C.SQuote) return this.parseString(c);
    if (this.pos >= this.len) this.unexpected();
    return this.parseIdentifier();
  }

  private parseIdentifier(): string {
    const text = this.text;
    const start = this.pos;
    let out = '';
    let chunk = this.pos;
    let first = true;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      const ascii =
        (c >= C.LowerA && c <= C.LowerZ) || (c >= C.UpperA && c <= C.UpperZ) || c === C.Underscore || c === C.Dollar;
      if (ascii || (!first && isDigit(c))) {
        this.pos++;
      } else if (c === C.Backslash) {
        out += text.slice(chunk, this.pos);
        if (text.charCodeAt(this.pos + 1) !== C.LowerU) this.fail('Invalid escape in identifier.', this.pos);
        this.pos += 2;
        const cp = this.readHex(4);
        const ch = String.fromCharCode(cp);
        if (!(first ? isIdStart : isIdPart)(ch)) this.fail('Invalid identifier character.', this.pos - 6);
        out += ch;
        chunk = this.pos;
      } else if (c > 127 && this.pos < this.len) {
        const cp = text.codePointAt(this.pos)!;
        const ch = String.fromCodePoint(cp);
        if (!(first ? isIdStart : isIdPart)(ch)) break;
        this.pos += ch.length;
      } else break;
      first = false;
    }
    if (this.pos === start) this.unexpected();
    return out + text.slice(chunk, this.pos);
  }

  private readHex(digits: number): number {
    let n = 0;
    for (let i = 0; i < digits; i++) {
      const h = hexValue(this.text.charCodeAt(this.pos));
      if (h < 0) this.fail('Invalid hexadecimal escape.', this.pos);
      n = n * 16 + h;
      this.pos++;
    }
    return n;
  }

  private parseString(quote: number): string {
    const text = this.text;
    const len = this.len;
    const start = this.pos;
    let pos = start + 1;
    let chunk = pos;
    let out = '';
    for (;;) {
      if (pos >= len) this.fail('Unterminated string.', start);
      const c = text.charCodeAt(pos);
      if (c === quote) break;
      if (c === C.Backslash) {
        out += text.slice(chunk, pos);
        pos++;
        const e = text.charCodeAt(pos);
        switch (e) {
          case C.LowerN:
            out += '\n';
            pos++;
            break;
          case C.LowerT:
            out += '\t';
            pos++;
            break;
          case 114 /* r */:
            out += '\r';
            pos++;
            break;
          case 98 /* b */:
            out += '\b';
            pos++;
            break;
          case C.LowerF:
            out += '\f';
            pos++;
            break;
          case 118 /* v */:
            out += '\v';
            pos++;
            break;
          case C.Zero:
            if (isDigit(text.charCodeAt(pos + 1))) this.fail('Octal escapes are not allowed in JSON5.', pos - 1);
            out += '\0';
            pos++;
            break;
          case C.LowerX:
          case C.LowerU: {
            this.pos = pos + 1;
            out += String.fromCharCode(this.readHex(e === C.LowerX ? 2 : 4));
            pos = this.pos;
            break;
          }
          case C.CR:
            pos += text.charCodeAt(pos + 1) === C.LF ? 2 : 1; // line continuation
            break;
          case C.LF:
          case C.LS:
          case C.PS:
            pos++;
            break;
          default:
            if (pos >= len) this.fail('Unterminated string.', start);
            if (isDigit(e)) this.fail('Octal escapes are not allowed in JSON5.', pos - 1);
            out += text[pos];
            pos++;
        }
        chunk = pos;
      } else if (c === C.LF || c === C.CR) {
        this.fail('Unterminated string (a line break must be escaped).', pos);
      } else pos++;
    }
    this.pos = pos + 1;
    return chunk === start + 1 ? text.slice(chunk, pos) : out + text.slice(chunk, pos);
  }

  private parseNumber(): ScalarNode {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let sign = 1;
    let c = text.charCodeAt(pos);
    if (c === C.Minus || c === C.Plus) {
      if (c === C.Minus) sign = -1;
      c = text.charCodeAt(++pos);
    }
    let value: number;
    if (c === C.UpperI) {
      if (!text.startsWith('Infinity', pos)) return this.unexpectedAt(pos);
      pos += 8;
      value = sign * Infinity;
    } else if (c === C.UpperN) {
      if (!text.startsWith('NaN', pos)) return this.unexpectedAt(pos);
      pos += 3;
      value = NaN;
    } else if (c === C.Zero && (text.charCodeAt(pos + 1) | 32) === C.LowerX) {
      pos += 2;
      const digitsStart = pos;
      while (hexValue(text.charCodeAt(pos)) >= 0) pos++;
      if (pos === digitsStart) return this.unexpectedAt(pos);
      value = sign * parseInt(text.slice(digitsStart, pos), 16);
    } else {
      const intStart = pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      const intDigits = pos - intStart;
      if (intDigits > 1 && text.charCodeAt(intStart) === C.Zero)
        this.fail('Leading zeros are not allowed in numbers.', intStart);
      let fracDigits = 0;
      if (text.charCodeAt(pos) === C.Dot) {
        pos++;
        const fracStart = pos;
        while (isDigit(text.charCodeAt(pos))) pos++;
        fracDigits = pos - fracStart;
      }
      if (intDigits === 0 && fracDigits === 0)
        return this.unexpectedAt(intDigits === 0 && text.charCodeAt(intStart) === C.Dot ? intStart + 1 : intStart);
      if ((text.charCodeAt(pos) | 32) === C.LowerE) {
        pos++;
        const s = text.charCodeAt(pos);
        if (s === C.Plus || s === C.Minus) pos++;
        const expStart = pos;
        while (isDigit(text.charCodeAt(pos))) pos++;
        if (pos === expStart) return this.unexpectedAt(pos);
      }
      value = Number(text.slice(start, pos));
    }
    // A number must not run straight into an identifier or digit (`1a`, `Infinityx`).
    const after = text.charCodeAt(pos);
    if (pos < text.length && (isDigit(after) || (after < 128 ? /[A-Za-z_$]/.test(text[pos]) : isIdPart(text[pos]))))
      return this.unexpectedAt(pos);
    this.pos = pos;
    this.value = value;
    return { type: 'number', start, end: pos, value };
  }

  private unexpectedAt(pos: number): never {
    this.pos = pos;
    return this.unexpected();
  }
}

/** Parse JSON5 text (JSON and JSONC included). Throws Json5SyntaxError with the offset of the problem. */
export function parseJson5Text(text: string): Json5ParseResult & { comments: CommentRange[] } {
  const parser = new Parser(text);
  return { ...parser.parse(), comments: parser.comments };
}
