// Completion inside a SecretRef: sources, declared provider aliases (of the ref's source), env ids from
// the provider's allowlist, JSON pointers from a file provider's payload (keys only, never values), and
// the secret store's entry names.
import { CompletionItemKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver/node';
import { secretsView } from '../engine/analyze/analyze';
import { encodePointerToken } from '../engine/resolve/jsonPointer';
import { expandHome } from '../engine/config/configLocation';
import { DEFAULTS, SECRET_SOURCES } from '../engine/refs/secretRef';
import type { DocumentStore } from './documents';
import { refAtOffset } from './refAtCursor';
import { displayString, isRecord } from '../engine/config/jsonValue';
import type { SchemaService } from './openclawSchema';
import { schemaCompletion } from './schemaAssist';
import { readStoreEntryNames } from '../engine/store/storeNames';
import { readRegularFileSync } from '../engine/config/readRegularFile';

/** Pointers to every leaf of a JSON payload; the values themselves are dropped immediately. */
function payloadPointers(payload: unknown, limit = 1000): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (out.length >= limit) return;
    if (isRecord(node)) for (const k of Object.keys(node)) walk(node[k], `${prefix}/${encodePointerToken(k)}`);
    else if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${prefix}/${i}`));
    else out.push(prefix);
  };
  if (isRecord(payload)) walk(payload, '');
  return out;
}

function readPayloadKeys(filePath: string, maxBytes: number, env: NodeJS.ProcessEnv): string[] {
  try {
    const p = expandHome(filePath, env);
    return payloadPointers(JSON.parse(readRegularFileSync(p, { maxBytes, noFollow: true })));
  } catch {
    return [];
  }
}

/** SecretRef completion first; elsewhere in openclaw.json, keys and values from OpenClaw's schema. */
export async function provideCompletion(
  params: CompletionParams,
  store: DocumentStore,
  env: NodeJS.ProcessEnv,
  schemas?: SchemaService,
): Promise<CompletionItem[]> {
  const items = provideRefCompletion(params, store, env);
  const doc = store.get(params.textDocument.uri);
  if (items.length || !schemas || doc?.kind !== 'config' || !doc.config?.root) return items;
  const choice = await schemas.forDocument(doc.uri);
  return choice.schema ? schemaCompletion(doc.config, doc.text, doc.text.offsetAt(params.position), choice.schema) : [];
}

export function provideRefCompletion(
  params: CompletionParams,
  store: DocumentStore,
  env: NodeJS.ProcessEnv,
): CompletionItem[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc?.config?.root) return [];
  const governing = doc.kind === 'config' ? doc.config : store.configFor(doc.uri);
  const view = secretsView(isRecord(governing?.value) ? governing!.value.secrets : undefined);
  const offset = doc.text.offsetAt(params.position);
  const ref = refAtOffset(doc.config, offset, view.defaults);
  if (!ref?.object || ref.onKey || !ref.member || !ref.stringNode) return [];
  // Replace the string's content (between the quotes) so the item works with or without a typed prefix.
  const s = ref.stringNode;
  const range = { start: doc.text.positionAt(s.start + 1), end: doc.text.positionAt(Math.max(s.start + 1, s.end - 1)) };
  const item = (label: string, kind: CompletionItemKind, detail: string): CompletionItem => ({
    label,
    kind,
    detail,
    textEdit: { range, newText: label },
  });
  if (ref.member === 'source')
    return SECRET_SOURCES.map((src) => item(src, CompletionItemKind.EnumMember, `SecretRef source "${src}"`));
  if (ref.member === 'provider') {
    const items = Object.entries(view.providers)
      .filter(([, p]) => !ref.source || p.source === ref.source)
      .map(([alias, p]) => item(alias, CompletionItemKind.Reference, `${displayString(p.source)} provider`));
    const envDefault = view.defaults.env ?? 'default';
    if (ref.source === 'env' && !items.some((i) => i.label === envDefault))
      items.push(item(envDefault, CompletionItemKind.Reference, 'implicit env provider'));
    const storeDefault = view.defaults.store ?? 'default';
    if (ref.source === 'store' && !items.some((i) => i.label === storeDefault))
      items.push(item(storeDefault, CompletionItemKind.Reference, 'implicit store provider'));
    return items;
  }
  if (ref.member === 'id' && ref.provider) {
    const p = Object.hasOwn(view.providers, ref.provider) ? view.providers[ref.provider] : undefined;
    if (ref.source === 'env' && p?.source === 'env' && Array.isArray(p.allowlist)) {
      return p.allowlist
        .filter((x): x is string => typeof x === 'string')
        .map((name) => item(name, CompletionItemKind.Variable, `allowlisted in ${ref.provider}`));
    }
    const storeAlias =
      ref.source === 'store' && (p?.source === 'store' || ref.provider === (view.defaults.store ?? 'default'));
    if (storeAlias) {
      // Names only, read synchronously through node:sqlite; without it completion offers nothing (no process per keystroke).
      const stateDir = store.locationFor(doc.uri)?.stateDir;
      return (stateDir ? readStoreEntryNames(stateDir) : []).map((e) =>
        item(e.name, CompletionItemKind.Variable, `${e.kind} entry in the secret store`),
      );
    }
    if (ref.source === 'file' && p?.source === 'file' && typeof p.path === 'string') {
      if (p.mode === 'singleValue') return [item('value', CompletionItemKind.Constant, 'singleValue file provider')];
      const maxBytes = typeof p.maxBytes === 'number' ? p.maxBytes : DEFAULTS.fileMaxBytes;
      return readPayloadKeys(p.path, maxBytes, env).map((ptr) =>
        item(ptr, CompletionItemKind.Field, `key in ${ref.provider}'s payload`),
      );
    }
  }
  return [];
}
