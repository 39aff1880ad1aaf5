// Validates a config against OpenClaw's schema with Ajv (draft-07), compiled lazily in pieces: compiling
// the whole 1.9 MB schema takes tens of seconds, so each plain object level is compiled on its own with its
// object-valued children replaced by `true`, and a child is compiled only when the config has a value there.
// The split keeps draft-07 semantics: `properties`, `additionalProperties` and `items` apply per member.
// Errors are then reduced (one branch of an anyOf/oneOf, enums merged) and never carry a value.
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isRecord } from '../config/jsonValue';
import { isDeferredMember, nullPrototypeMaps, splittable, type JsonSchema } from './prepareSchema';
import { PieceCodeCache } from './pieceCodeCache';
import { noteColdWork } from '../runtime/coldWork';

export type SchemaIssueTarget = 'key' | 'value';

export interface SchemaIssue {
  /** path of the offending value; for `key` issues the path of the member whose key is wrong */
  path: (string | number)[];
  target: SchemaIssueTarget;
  /** Ajv keyword that failed (`additionalProperties`, `enum`, `type`, ...) */
  keyword: string;
  message: string;
}

interface Piece {
  validate: ValidateFunction;
  /** the schema's `properties` (read only for members in `split`: a cached root parses a member when read) */
  members: Record<string, JsonSchema>;
  /** names of the members validated separately */
  split: Set<string>;
  patterns: Array<[RegExp, JsonSchema]>;
  /** schema for members no property/pattern names, when validated separately */
  additional?: JsonSchema;
  /** schema for every array item, when validated separately */
  items?: JsonSchema;
  /** property names and patterns the shell knows (to tell which members are additional) */
  known: Set<string>;
  knownPatterns: RegExp[];
}

/** A schema pattern as Ajv reads it (unicode when valid so, else plain); one that compiles neither way matches nothing. */
function patternRegExp(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch {
      return /(?!)/;
    }
  }
}

/** A child gets its own piece only when it is itself a plain object/array schema. */
function worthSplitting(schema: unknown): schema is JsonSchema {
  return isRecord(schema) && splittable(schema);
}

export interface ValidatorOptions {
  /** where compiled pieces are kept as code between runs (the CLI's user cache dir); none: compile every run */
  pieceCacheFile?: string;
}

export class ConfigSchemaValidator {
  private ajvInstance?: Ajv;
  private readonly pieceCache?: PieceCodeCache;
  private readonly pieces = new WeakMap<JsonSchema, Piece>();
  /** how many pieces Ajv compiled in this process; pieces loaded from the piece cache are not counted (tests, bench) */
  compiledPieces = 0;
  /** schema parts Ajv refused, by config path: reported, never thrown */
  readonly uncompilable = new Map<string, string>();

  constructor(
    readonly schema: JsonSchema,
    options: ValidatorOptions = {},
  ) {
    if (options.pieceCacheFile) this.pieceCache = new PieceCodeCache(options.pieceCacheFile);
  }

  /** Ajv is loaded on the first piece the cache does not hold (a warm CLI run never loads it). */
  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a piece must be compiled
      const AjvClass = (require('ajv') as typeof import('ajv')).default;
      // Formats are not checked: OpenClaw's own checks of `uri`/`email` fields differ from Ajv's formats.
      this.ajvInstance = new AjvClass({
        allErrors: true,
        strict: false,
        validateSchema: false,
        validateFormats: false,
        logger: false,
        unicodeRegExp: false,
        ...(this.pieceCache ? { code: { source: true } } : {}),
      });
    }
    return this.ajvInstance;
  }

  /** A shell's validator: from the piece cache when it holds this shell, else compiled by Ajv (and cached). */
  private compileShell(shell: JsonSchema): ValidateFunction {
    const cache = this.pieceCache;
    const cached = cache?.load(shell);
    if (cached) return cached;
    this.compiledPieces++;
    noteColdWork();
    const validate = this.ajv.compile(shell);
    cache?.store(shell, this.ajv, validate);
    return validate;
  }

  private piece(schema: JsonSchema): Piece {
    let p = this.pieces.get(schema);
    if (p) return p;
    // A schema read back from the CLI's cache gets null-prototype maps piece by piece (restorePrepared).
    nullPrototypeMaps(schema);
    const shell: JsonSchema = { ...schema };
    const members = (isRecord(schema.properties) ? schema.properties : {}) as Record<string, JsonSchema>;
    const split = new Set<string>();
    const patterns: Array<[RegExp, JsonSchema]> = [];
    let additional: JsonSchema | undefined;
    let items: JsonSchema | undefined;
    const known = new Set<string>();
    const knownPatterns: RegExp[] = [];
    if (splittable(schema)) {
      if (isRecord(schema.properties)) {
        const props: Record<string, unknown> = Object.create(null);
        for (const name of Object.keys(members)) {
          known.add(name);
          if (isDeferredMember(members, name) || worthSplitting(members[name])) {
            split.add(name);
            props[name] = true;
          } else props[name] = members[name];
        }
        shell.properties = props;
      }
      if (isRecord(schema.patternProperties)) {
        for (const source of Object.keys(schema.patternProperties)) {
          const re = patternRegExp(source);
          knownPatterns.push(re);
          const sub = schema.patternProperties[source];
          if (worthSplitting(sub)) patterns.push([re, sub]);
        }
        if (patterns.length) {
          const pp: Record<string, unknown> = Object.create(null);
          for (const source of Object.keys(schema.patternProperties))
            pp[source] = worthSplitting(schema.patternProperties[source]) ? true : schema.patternProperties[source];
          shell.patternProperties = pp;
        }
      }
      if (worthSplitting(schema.additionalProperties)) {
        additional = schema.additionalProperties;
        shell.additionalProperties = true;
      }
      if (worthSplitting(schema.items)) {
        items = schema.items;
        shell.items = true;
      }
    }
    p = { validate: this.compileShell(shell), members, split, patterns, additional, items, known, knownPatterns };
    this.pieces.set(schema, p);
    return p;
  }

  /** Every problem with `value`, reduced to the most relevant error per place. */
  validate(value: unknown): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    this.check(this.schema, value, [], issues);
    this.pieceCache?.save();
    return issues;
  }

  /** A split member: reading it may parse it (a cached root), and a member that does not parse is reported too. */
  private checkMember(
    members: Record<string, JsonSchema>,
    key: string,
    value: unknown,
    at: (string | number)[],
    issues: SchemaIssue[],
  ): void {
    let sub: JsonSchema;
    try {
      sub = members[key];
    } catch (err) {
      this.reportUncompilable(at, err);
      return;
    }
    this.check(sub, value, at, issues);
  }

  private reportUncompilable(at: (string | number)[], err: unknown): void {
    const where = at.join('.') || '<root>';
    if (!this.uncompilable.has(where))
      this.uncompilable.set(
        where,
        `the schema for ${where} cannot be compiled (${String((err as Error)?.message ?? err).slice(0, 160)})`,
      );
  }

  /** `at` is one mutable path (pushed and popped), copied only into an issue. */
  private check(schema: JsonSchema, value: unknown, at: (string | number)[], issues: SchemaIssue[]): void {
    let piece: Piece;
    try {
      piece = this.piece(schema);
    } catch (err) {
      // A part Ajv cannot compile (a user's schema file): say where, check the rest.
      this.reportUncompilable(at, err);
      return;
    }
    if (!piece.validate(value)) for (const e of reduceErrors(piece.validate.errors ?? [])) issues.push(toIssue(e, at));
    if (isRecord(value)) {
      const { split, patterns, additional } = piece;
      if (!split.size && !patterns.length && !additional) return;
      // Index loops, no destructuring: this runs cold (interpreted) over thousands of members per audit, where
      // for-of and [a, b] patterns each go through the iterator protocol.
      const keys = Object.keys(value);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        const child = value[key];
        at.push(key);
        if (split.has(key)) this.checkMember(piece.members, key, child, at, issues);
        else {
          for (let p = 0; p < patterns.length; p++)
            if (patterns[p][0].test(key)) this.check(patterns[p][1], child, at, issues);
          if (additional && !piece.known.has(key) && !matchesAny(piece.knownPatterns, key))
            this.check(additional, child, at, issues);
        }
        at.pop();
      }
    } else if (Array.isArray(value) && piece.items) {
      for (let i = 0; i < value.length; i++) {
        at.push(i);
        this.check(piece.items, value[i], at, issues);
        at.pop();
      }
    }
  }
}

function matchesAny(patterns: readonly RegExp[], key: string): boolean {
  for (let p = 0; p < patterns.length; p++) if (patterns[p].test(key)) return true;
  return false;
}

function pointerToPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toPath(pointer: string, at: (string | number)[]): (string | number)[] {
  return [...at, ...pointerToPath(pointer).map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s))];
}

/** An error kept after reduction, possibly a merged enum of several `const` branches. */
interface ReducedError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
  allowed?: unknown[];
  types?: string[];
}

const COMBINATORS = new Set(['anyOf', 'oneOf']);

/** Replaces each failing anyOf/oneOf and its branch errors by the one branch that came closest. */
export function reduceErrors(errors: readonly ErrorObject[]): ReducedError[] {
  return reduce(errors.map((e) => ({ e, schemaPath: e.schemaPath })));
}

interface Item {
  e: ErrorObject;
  schemaPath: string;
}

function plain(e: ErrorObject): ReducedError {
  return {
    instancePath: e.instancePath,
    keyword: e.keyword,
    params: e.params as Record<string, unknown>,
    message: e.message ?? 'is invalid',
  };
}

function reduce(items: Item[]): ReducedError[] {
  const combinators = items.filter(
    (i) =>
      COMBINATORS.has(i.e.keyword) &&
      !(i.e.keyword === 'oneOf' && Array.isArray((i.e.params as { passingSchemas?: unknown }).passingSchemas)),
  );
  // Outermost first: a combinator whose path lies under another one is handled by the recursion.
  const outer = combinators.filter(
    (c) => !combinators.some((o) => o !== c && c.schemaPath.startsWith(o.schemaPath + '/')),
  );
  const consumed = new Set<Item>();
  const out: ReducedError[] = [];
  for (const c of outer) {
    const branches = new Map<string, Item[]>();
    for (const i of items) {
      if (i === c || !i.schemaPath.startsWith(c.schemaPath + '/')) continue;
      consumed.add(i);
      const rest = i.schemaPath.slice(c.schemaPath.length + 1);
      const idx = rest.split('/')[0];
      let list = branches.get(idx);
      if (!list) branches.set(idx, (list = []));
      list.push(i);
    }
    consumed.add(c);
    out.push(...pickBranch(c, [...branches.values()]));
  }
  for (const i of items) if (!consumed.has(i)) out.push(plain(i.e));
  return out;
}

function isChildOf(pointer: string, parent: string): boolean {
  return pointer.startsWith(parent + '/') && !pointer.slice(parent.length + 1).includes('/');
}

function depth(pointer: string): number {
  return pointer ? pointer.split('/').length : 0;
}

function pickBranch(c: Item, branches: Item[][]): ReducedError[] {
  const at = c.e.instancePath;
  const reducedBranches = branches.map((b) => reduce(b));
  // Every branch failed right at the value with a const/enum/type: one merged error.
  const shallow = reducedBranches.every(
    (b) =>
      b.length > 0 &&
      b.every((e) => e.instancePath === at && (e.keyword === 'const' || e.keyword === 'enum' || e.keyword === 'type')),
  );
  if (shallow && reducedBranches.length) {
    const allowed: unknown[] = [];
    const types: string[] = [];
    for (const b of reducedBranches) {
      for (const e of b) {
        if (e.keyword === 'const') allowed.push(e.params.allowedValue);
        else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) allowed.push(...e.params.allowedValues);
        else if (e.allowed) allowed.push(...e.allowed);
        if (e.keyword === 'type') types.push(...String(e.params.type).split(','));
        if (e.types) types.push(...e.types);
      }
    }
    // A branch that failed only on type while others list values: the value's type was wrong for that branch.
    if (allowed.length)
      return [
        {
          instancePath: at,
          keyword: 'enum',
          params: { allowedValues: allowed },
          message: 'must be one of the allowed values',
          allowed,
        },
      ];
    return [
      {
        instancePath: at,
        keyword: 'type',
        params: { type: [...new Set(types)].join(',') },
        message: `must be ${[...new Set(types)].join(' or ')}`,
        types: [...new Set(types)],
      },
    ];
  }
  // A discriminator (`source: "env" | "file" | ...`): a member whose const/enum failed in a branch means the
  // value is not that variant. When every branch says so for the same member, that member is the problem.
  const discriminators = reducedBranches.map(
    (b) =>
      new Set(
        b
          .filter((e) => (e.keyword === 'const' || e.keyword === 'enum') && isChildOf(e.instancePath, at))
          .map((e) => e.instancePath),
      ),
  );
  const common = discriminators.length
    ? [...discriminators[0]].filter((p) => discriminators.every((d) => d.has(p)))
    : [];
  if (common.length && reducedBranches.length > 1) {
    const member = common[0];
    const allowed: unknown[] = [];
    for (const b of reducedBranches)
      for (const e of b)
        if (e.instancePath === member)
          allowed.push(
            ...(e.keyword === 'const'
              ? [e.params.allowedValue]
              : (e.allowed ?? (e.params.allowedValues as unknown[]) ?? [])),
          );
    return [
      {
        instancePath: member,
        keyword: 'enum',
        params: { allowedValues: allowed },
        message: 'must be one of the allowed values',
        allowed: [...new Set(allowed)],
      },
    ];
  }
  // Otherwise the branch that got furthest into the value (deepest error), then the one with fewest errors;
  // a branch that failed on the value's type, or on a discriminator, is the least relevant.
  let best: ReducedError[] | undefined;
  let bestScore = -Infinity;
  for (const [i, b] of reducedBranches.entries()) {
    if (!b.length) continue;
    const typeAtValue = b.some((e) => e.instancePath === at && e.keyword === 'type');
    const wrongVariant = discriminators[i].size > 0;
    const score =
      (typeAtValue ? -1000 : 0) +
      (wrongVariant ? -500 : 0) +
      Math.max(...b.map((e) => depth(e.instancePath))) * 10 -
      b.length;
    if (score > bestScore) {
      bestScore = score;
      best = b;
    }
  }
  return best ?? [plain(c.e)];
}

function toIssue(e: ReducedError, at: (string | number)[]): SchemaIssue {
  const path = toPath(e.instancePath, at);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      return {
        path: [...path, key],
        target: 'key',
        keyword: e.keyword,
        message: `Unknown key "${key}": OpenClaw's schema does not allow it here.`,
      };
    }
    case 'propertyNames': {
      const key = String(e.params.propertyName);
      return {
        path: [...path, key],
        target: 'key',
        keyword: e.keyword,
        message: `Key "${key}" is not an allowed name here.`,
      };
    }
    case 'required':
      return {
        path,
        target: 'key',
        keyword: e.keyword,
        message: `Missing required key "${String(e.params.missingProperty)}".`,
      };
    case 'enum':
    case 'const': {
      const allowed =
        e.allowed ?? (e.keyword === 'const' ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]));
      return {
        path,
        target: 'value',
        keyword: 'enum',
        message: `Invalid value (allowed: ${allowed.map((v) => JSON.stringify(v)).join(', ')}).`,
      };
    }
    case 'type':
      return {
        path,
        target: 'value',
        keyword: e.keyword,
        message: `Expected ${String(e.params.type).split(',').join(' or ')}.`,
      };
    default:
      // Ajv's own messages name limits and patterns, never the value (no `verbose`).
      return { path, target: 'value', keyword: e.keyword, message: `Invalid value: ${e.message}.` };
  }
}
