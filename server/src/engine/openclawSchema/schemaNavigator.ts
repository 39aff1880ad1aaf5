// Finds the subschemas that apply at a config path (through properties, patternProperties,
// additionalProperties, items and anyOf/oneOf/allOf, as JSON language services do), and what completion
// and hover need from them: key names with their docs, allowed values, the title and description.
import { isRecord } from '../config/jsonValue';
import type { JsonSchema } from './prepareSchema';

/** The schema and every branch of its anyOf/oneOf/allOf, flattened (depth-limited). */
export function expandCombinators(schema: JsonSchema, depth = 0): JsonSchema[] {
  const out: JsonSchema[] = [schema];
  if (depth > 8) return out;
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[k];
    if (Array.isArray(list)) for (const s of list) if (isRecord(s)) out.push(...expandCombinators(s, depth + 1));
  }
  return out;
}

function childAt(schema: JsonSchema, seg: string | number): JsonSchema[] {
  const out: JsonSchema[] = [];
  if (typeof seg === 'number' || /^\d+$/.test(seg)) {
    const i = Number(seg);
    if (isRecord(schema.items)) out.push(schema.items);
    else if (Array.isArray(schema.items) && isRecord(schema.items[i])) out.push(schema.items[i] as JsonSchema);
    if (typeof seg === 'number') return out;
  }
  const key = String(seg);
  const props = isRecord(schema.properties) ? schema.properties : undefined;
  if (props && Object.hasOwn(props, key) && isRecord(props[key])) return [...out, props[key] as JsonSchema];
  let matched = false;
  if (isRecord(schema.patternProperties)) {
    for (const source of Object.keys(schema.patternProperties)) {
      const sub = schema.patternProperties[source];
      try {
        if (isRecord(sub) && new RegExp(source, 'u').test(key)) {
          out.push(sub);
          matched = true;
        }
      } catch {
        // a pattern JavaScript cannot compile matches nothing here
      }
    }
  }
  if (!matched && isRecord(schema.additionalProperties)) out.push(schema.additionalProperties);
  return out;
}

/** Every subschema that applies at `path`, combinators expanded. */
export function subschemasAt(root: JsonSchema, path: readonly (string | number)[]): JsonSchema[] {
  let current = expandCombinators(root);
  for (const seg of path) {
    const next: JsonSchema[] = [];
    for (const s of current) for (const c of childAt(s, seg)) next.push(...expandCombinators(c));
    if (!next.length) return [];
    current = next;
  }
  return current;
}

export interface KeySuggestion {
  key: string;
  title?: string;
  description?: string;
  /** a container value to insert after the key: `{}` / `[]` / nothing */
  container?: 'object' | 'array';
}

/** Keys the schema names at an object path, in schema order, first mention wins. */
export function keySuggestions(root: JsonSchema, path: readonly (string | number)[]): KeySuggestion[] {
  const seen = new Map<string, KeySuggestion>();
  for (const s of subschemasAt(root, path)) {
    if (!isRecord(s.properties)) continue;
    for (const key of Object.keys(s.properties)) {
      const sub = s.properties[key];
      if (!isRecord(sub)) continue;
      const docs = docsOf([sub, ...expandCombinators(sub)]);
      const prev = seen.get(key);
      if (prev) {
        prev.title ??= docs.title;
        prev.description ??= docs.description;
        continue;
      }
      const type = sub.type;
      seen.set(key, {
        key,
        ...docs,
        ...(type === 'object'
          ? { container: 'object' as const }
          : type === 'array'
            ? { container: 'array' as const }
            : {}),
      });
    }
  }
  return [...seen.values()];
}

/** Values the schema allows at a path: const/enum members and booleans. */
export function valueSuggestions(root: JsonSchema, path: readonly (string | number)[]): unknown[] {
  const values: unknown[] = [];
  const add = (v: unknown) => {
    if (!values.some((x) => JSON.stringify(x) === JSON.stringify(v))) values.push(v);
  };
  for (const s of subschemasAt(root, path)) {
    if (s.const !== undefined) add(s.const);
    if (Array.isArray(s.enum)) s.enum.forEach(add);
    if (s.type === 'boolean') {
      add(true);
      add(false);
    }
  }
  return values;
}

/** The first title and description found among the schemas. */
export function docsOf(schemas: readonly JsonSchema[]): { title?: string; description?: string } {
  let title: string | undefined;
  let description: string | undefined;
  for (const s of schemas) {
    if (title === undefined && typeof s.title === 'string') title = s.title;
    if (description === undefined && typeof s.description === 'string') description = s.description;
  }
  return { ...(title !== undefined ? { title } : {}), ...(description !== undefined ? { description } : {}) };
}
