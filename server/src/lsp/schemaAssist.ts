// Completion of keys and enum values, and hover docs, from OpenClaw's config schema (titles and
// descriptions), for any place in openclaw.json the SecretRef features do not cover.
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeAtOffset, type ConfigDocument, type ObjectNode } from '../engine/config/configDocument';
import { detectJsonStyle, renderInline, renderKey } from '../engine/config/jsonStyle';
import { docsOf, keySuggestions, subschemasAt, valueSuggestions } from '../engine/openclawSchema/schemaNavigator';
import type { LoadedSchema } from '../engine/openclawSchema/schemaSource';

function docMarkdown(docs: { title?: string; description?: string }, schema: LoadedSchema): string {
  const lines: string[] = [];
  if (docs.title) lines.push(`**${docs.title}**`, '');
  if (docs.description) lines.push(docs.description, '');
  lines.push(`_${schema.label}_`);
  return lines.join('\n');
}

/** Hover on any key (or value) of the config: the schema's title and description of that place. */
export function schemaHover(
  config: ConfigDocument,
  text: TextDocument,
  offset: number,
  schema: LoadedSchema,
): Hover | null {
  const at = nodeAtOffset(config.root, offset);
  if (!at || !at.path.length) return null;
  const docs = docsOf(subschemasAt(schema.validator.schema, at.path));
  if (!docs.title && !docs.description) return null;
  const range = at.onKey
    ? { start: at.onKey.keyStart, end: at.onKey.keyEnd }
    : { start: at.node.start, end: at.node.end };
  return {
    contents: { kind: MarkupKind.Markdown, value: docMarkdown(docs, schema) },
    range: { start: text.positionAt(range.start), end: text.positionAt(range.end) },
  };
}

function keyItems(
  config: ConfigDocument,
  text: TextDocument,
  object: ObjectNode | undefined,
  path: (string | number)[],
  schema: LoadedSchema,
  replace: { start: number; end: number },
  current?: string,
): CompletionItem[] {
  const present = new Set((object?.members ?? []).map((m) => m.key).filter((k) => k !== current));
  // Follow the file's style: quoted keys if this object's first key is quoted, bare keys if it is bare, the
  // document's way in an empty object; the quote character is the document's.
  const docStyle = detectJsonStyle(config.text, config.root);
  const isQuote = (c: string | undefined) => c === '"' || c === "'";
  const first = object?.members.find((m) => m.key !== current) ?? undefined;
  const quoted = first
    ? isQuote(config.text[first.keyStart])
    : current !== undefined
      ? isQuote(config.text[replace.start])
      : !docStyle.bareKeys;
  const range = { start: text.positionAt(replace.start), end: text.positionAt(replace.end) };
  const style = { ...docStyle, bareKeys: !quoted };
  return keySuggestions(schema.validator.schema, path)
    .filter((k) => !present.has(k.key))
    .map((k) => {
      const name = renderKey(k.key, style);
      const newText = current !== undefined ? name : `${name}: `;
      return {
        label: k.key,
        kind: CompletionItemKind.Property,
        ...(k.title ? { detail: k.title } : {}),
        ...(k.description ? { documentation: { kind: MarkupKind.Markdown, value: k.description } } : {}),
        filterText: name,
        textEdit: { range, newText },
      };
    });
}

/** Completion from the schema at the cursor: keys inside an object or a key, allowed values inside a value. */
export function schemaCompletion(
  config: ConfigDocument,
  text: TextDocument,
  offset: number,
  schema: LoadedSchema,
): CompletionItem[] {
  const at = nodeAtOffset(config.root, offset);
  if (!at) return [];
  if (at.onKey) {
    const parentPath = at.path.slice(0, -1);
    const parent = nodeAtOffset(config.root, at.onKey.keyStart - 1);
    const object = parent?.node.type === 'object' ? parent.node : undefined;
    const quoted = config.text[at.onKey.keyStart] === '"' || config.text[at.onKey.keyStart] === "'";
    const replace = quoted
      ? { start: at.onKey.keyStart + 1, end: at.onKey.keyEnd - 1 }
      : { start: at.onKey.keyStart, end: at.onKey.keyEnd };
    return keyItems(config, text, object, parentPath, schema, replace, at.onKey.key).map((item) =>
      quoted && item.textEdit && 'range' in item.textEdit
        ? { ...item, textEdit: { ...item.textEdit, newText: item.label } }
        : item,
    );
  }
  const node = at.node;
  if (node.type === 'object') return keyItems(config, text, node, at.path, schema, { start: offset, end: offset });
  const values = valueSuggestions(schema.validator.schema, at.path);
  if (!values.length) return [];
  const style = detectJsonStyle(config.text, config.root);
  const inString = node.type === 'string' && offset > node.start && offset < node.end;
  const range = inString
    ? { start: text.positionAt(node.start + 1), end: text.positionAt(node.end - 1) }
    : { start: text.positionAt(node.start), end: text.positionAt(node.end) };
  return values
    .filter((v) => !inString || typeof v === 'string')
    .map((v) => ({
      label: typeof v === 'string' ? v : JSON.stringify(v),
      kind: CompletionItemKind.EnumMember,
      detail: schema.label,
      textEdit: { range, newText: inString ? String(v) : renderInline(v, style) },
    }));
}
