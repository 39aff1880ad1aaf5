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
 * A prepared schema read back from its JSON (the CLI's cache). Only the root's maps get their null prototype
 * back here; the validator does the same for each piece it visits (ConfigSchemaValidator.piece), because a
 * walk over the whole 0.5 MB schema took longer than the rest of a short audit's schema work.
 */
export function restorePrepared(value: unknown): JsonSchema {
  checkDraft07(value);
  nullPrototypeMaps(value);
  return value;
}

/** The schema's `title`/`description` texts, for hover. */
export function schemaDocs(schema: JsonSchema): { title?: string; description?: string } {
  return {
    ...(typeof schema.title === 'string' ? { title: schema.title } : {}),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
  };
}
