// Turns the schema `openclaw config schema` prints into one Ajv can validate in pieces: checks it is a
// draft-07 object schema, inlines the few local `$ref`s (plugin configs point at their own `$defs`),
// drops nested `$schema` markers, and lets a key with a `default` be omitted (the schema is zod's output
// shape, where defaulted keys are `required`; OpenClaw accepts them missing).
import { isRecord } from '../config/jsonValue';

export type JsonSchema = Record<string, unknown>;

export class SchemaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaFormatError';
  }
}

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

/** Keywords whose value is one subschema, a list of them, or a name -> subschema map (draft-07). */
const ONE_SCHEMA = [
  'additionalProperties',
  'items',
  'additionalItems',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
] as const;
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'items'] as const;
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'] as const;
// Set lookups: prepareSchema asks these for every key of OpenClaw's 1.9 MB schema on each CLI run.
const IS_ONE_SCHEMA = new Set<string>(ONE_SCHEMA);
const IS_SCHEMA_LIST = new Set<string>(SCHEMA_LISTS);
const IS_SCHEMA_MAP = new Set<string>(SCHEMA_MAPS);
/**
 * Keywords that only annotate (Ajv validates nothing with them); half of OpenClaw's schema is their text.
 * `default` stays: it decides which required keys may be omitted (above).
 */
const ANNOTATIONS = new Set(['title', 'description', 'markdownDescription', 'examples', '$comment']);

export interface PrepareOptions {
  /** drop annotation keywords (titles, descriptions, examples): for a validator that never shows them */
  validationOnly?: boolean;
}

/** Every direct subschema of a schema, with the keyword path that reaches it. */
export function childSchemas(schema: JsonSchema): Array<[string[], JsonSchema]> {
  const out: Array<[string[], JsonSchema]> = [];
  for (const k of ONE_SCHEMA) if (isRecord(schema[k])) out.push([[k], schema[k] as JsonSchema]);
  for (const k of SCHEMA_LISTS) {
    const list = schema[k];
    if (Array.isArray(list)) list.forEach((s, i) => isRecord(s) && out.push([[k, String(i)], s]));
  }
  for (const k of SCHEMA_MAPS) {
    const map = schema[k];
    if (isRecord(map))
      for (const name of Object.keys(map)) if (isRecord(map[name])) out.push([[k, name], map[name] as JsonSchema]);
  }
  return out;
}

/** Throws a SchemaFormatError naming what is wrong when the value is not a draft-07 object schema. */
export function checkDraft07(value: unknown): asserts value is JsonSchema {
  if (!isRecord(value))
    throw new SchemaFormatError(
      `not a JSON Schema: the top level is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}, not an object`,
    );
  const declared = value.$schema;
  if (declared !== undefined && (typeof declared !== 'string' || !DRAFT_07.test(declared))) {
    throw new SchemaFormatError(
      `not a draft-07 JSON Schema: $schema is ${typeof declared === 'string' ? JSON.stringify(declared.slice(0, 80)) : typeof declared}`,
    );
  }
  if (value.type !== 'object' || !isRecord(value.properties))
    throw new SchemaFormatError(
      'not a schema of openclaw.json: the top level must be `type: "object"` with `properties`',
    );
}

function decodePointer(ref: string): string[] | undefined {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveIn(base: JsonSchema, tokens: string[]): JsonSchema | undefined {
  let cur: unknown = base;
  for (const t of tokens) cur = isRecord(cur) && Object.hasOwn(cur, t) ? cur[t] : undefined;
  return isRecord(cur) ? cur : undefined;
}

/**
 * A prepared copy: `#/...` refs inlined against the nearest enclosing schema that has `$defs`/`definitions`
 * (that is how the plugin config schemas embedded in OpenClaw's schema mean them), else the root.
 */
export function prepareSchema(raw: unknown, options: PrepareOptions = {}): JsonSchema {
  checkDraft07(raw);
  const dropAnnotations = options.validationOnly === true;
  const root = raw;
  const copy = (schema: JsonSchema, scopes: JsonSchema[], expanding: Set<JsonSchema>, isRoot: boolean): JsonSchema => {
    const scope = isRecord(schema.$defs) || isRecord(schema.definitions) ? [...scopes, schema] : scopes;
    if (typeof schema.$ref === 'string') {
      const tokens = decodePointer(schema.$ref);
      const target = tokens && (resolveIn(scope[scope.length - 1] ?? root, tokens) ?? resolveIn(root, tokens));
      if (!target) throw new SchemaFormatError(`unresolvable $ref ${JSON.stringify(schema.$ref.slice(0, 120))}`);
      // A recursive ref cannot be inlined: accept anything there rather than loop.
      if (expanding.has(target)) return {};
      expanding.add(target);
      const { $ref: _ref, ...rest } = schema;
      const inlined = copy(target, scope, expanding, false);
      expanding.delete(target);
      return Object.keys(rest).length ? { allOf: [inlined, copy(rest, scope, expanding, false)] } : inlined;
    }
    const out: JsonSchema = {};
    for (const key of Object.keys(schema)) {
      const v = schema[key];
      if (key === '$schema' && !isRoot) continue;
      if (key === '$defs' || key === 'definitions') continue; // inlined where used
      if (dropAnnotations && ANNOTATIONS.has(key)) continue;
      if (IS_ONE_SCHEMA.has(key) && isRecord(v)) out[key] = copy(v, scope, expanding, false);
      else if (IS_SCHEMA_LIST.has(key) && Array.isArray(v))
        out[key] = v.map((s) => (isRecord(s) ? copy(s, scope, expanding, false) : s));
      else if (IS_SCHEMA_MAP.has(key) && isRecord(v)) {
        const m: Record<string, unknown> = Object.create(null);
        for (const name of Object.keys(v))
          m[name] = isRecord(v[name]) ? copy(v[name] as JsonSchema, scope, expanding, false) : v[name];
        out[key] = m;
      } else out[key] = v;
    }
    if (Array.isArray(out.required) && isRecord(out.properties)) {
      const props = out.properties;
      out.required = out.required.filter(
        (name) =>
          !(typeof name === 'string' && isRecord(props[name]) && (props[name] as JsonSchema).default !== undefined),
      );
    }
    return out;
  };
  return copy(root, [], new Set(), true);
}

/** Gives a schema's name -> subschema maps a null prototype (as prepareSchema makes them), in place. */
export function nullPrototypeMaps(schema: JsonSchema): void {
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (isRecord(map) && Object.getPrototypeOf(map) !== null) Object.setPrototypeOf(map, null);
  }
}

/**
 * Root members whose JSON is longer than this are kept as their own text and parsed when first read. Small:
 * parsing the first line costs about 45 ns a character (every schema object has a shape of its own), and a
 * config reaches few of the 44 members.
 */
const DEFERRED_MEMBER_CHARS = 256;
/** Marks serializePrepared's form (the first line's `format`); anything else in the cache is not ours. */
const PREPARED_FORMAT = 'prepared-3';
/** Per root `properties` map read back by restorePrepared: the members still unparsed when it was made. */
const deferredMembers = new WeakMap<object, ReadonlySet<string>>();

/** Keywords that look at an object as a whole, beyond one member at a time. */
const WHOLE_OBJECT = ['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'dependencies', '$ref', 'const', 'enum'];

/** A plain object or array schema: its members (items) can be judged one at a time, each by its own subschema. */
export function splittable(schema: JsonSchema): boolean {
  return (schema.type === 'object' || schema.type === 'array') && !WHOLE_OBJECT.some((k) => schema[k] !== undefined);
}

/**
 * Whether `map[name]` is a member restorePrepared left unparsed; such members are always splittable, so a
 * validator can make them pieces of their own without reading (and parsing) them first.
 */
export function isDeferredMember(map: object, name: string): boolean {
  return deferredMembers.get(map)?.has(name) === true;
}

/**
 * The CLI's cached form of a prepared schema: one header line (the root, with each large object-or-array
 * member of `properties` as a byte range) and then those members' JSON. A short audit reaches two or three
 * of OpenClaw's 44 top-level keys; parsing all of them took 15 ms of it.
 */
export function serializePrepared(prepared: JsonSchema): Buffer {
  const props = prepared.properties as Record<string, unknown>;
  const members: unknown[] = [];
  const texts: string[] = [];
  let offset = 0;
  for (const name of Object.keys(props)) {
    const text = JSON.stringify(props[name]);
    const sub = props[name];
    if (text.length > DEFERRED_MEMBER_CHARS && isRecord(sub) && splittable(sub)) {
      const bytes = Buffer.byteLength(text);
      members.push([name, offset, offset + bytes]);
      texts.push(text);
      offset += bytes + 1; // and its newline
    } else members.push([name, sub]);
  }
  // `properties: 0` holds the key's place, so the root reads back with its keys in the same order.
  const header = JSON.stringify({ format: PREPARED_FORMAT, root: { ...prepared, properties: 0 }, members });
  return Buffer.from([header, ...texts].join('\n'), 'utf8');
}

/**
 * A prepared schema read back from serializePrepared's bytes. Large members are parsed on first read; only the
 * root's maps get their null prototype back here, the validator does the same for each piece it visits
 * (ConfigSchemaValidator.piece), because a walk over the whole 0.5 MB schema cost more than a short audit's
 * schema work. Throws SchemaFormatError on anything else; a member that does not parse when read comes from
 * `recoverMember` (else throws then).
 */
export function restorePrepared(bytes: Buffer, recoverMember?: (name: string) => unknown): JsonSchema {
  const headerEnd = bytes.indexOf(0x0a);
  const bodyStart = headerEnd < 0 ? bytes.length : headerEnd + 1;
  const notOurs = () => new SchemaFormatError('the cached schema is not ours');
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', 0, headerEnd < 0 ? bytes.length : headerEnd));
  } catch {
    throw notOurs();
  }
  if (
    !isRecord(header) ||
    header.format !== PREPARED_FORMAT ||
    !isRecord(header.root) ||
    !Array.isArray(header.members)
  )
    throw notOurs();
  const root = header.root;
  const props: Record<string, unknown> = Object.create(null);
  const deferred = new Set<string>();
  for (const member of header.members as unknown[]) {
    if (!Array.isArray(member) || typeof member[0] !== 'string') throw notOurs();
    const [name, start, end] = member as [string, unknown, unknown];
    if (member.length === 2) {
      props[name] = member[1];
      continue;
    }
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      (start as number) < 0 ||
      (end as number) < (start as number) ||
      bodyStart + (end as number) > bytes.length
    )
      throw notOurs();
    deferred.add(name);
    const settle = (value: unknown): void => {
      Object.defineProperty(props, name, { value, enumerable: true, writable: true, configurable: true });
    };
    Object.defineProperty(props, name, {
      enumerable: true,
      configurable: true,
      get() {
        let value: unknown;
        try {
          value = JSON.parse(bytes.toString('utf8', bodyStart + (start as number), bodyStart + (end as number)));
        } catch {
          if (!recoverMember) throw new SchemaFormatError(`the cached schema's "${name}" is not JSON`);
          value = recoverMember(name);
        }
        settle(value);
        return value;
      },
      set: settle,
    });
  }
  root.properties = props;
  checkDraft07(root);
  nullPrototypeMaps(root);
  deferredMembers.set(props, deferred);
  return root;
}

/** The schema's `title`/`description` texts, for hover. */
export function schemaDocs(schema: JsonSchema): { title?: string; description?: string } {
  return {
    ...(typeof schema.title === 'string' ? { title: schema.title } : {}),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
  };
}
