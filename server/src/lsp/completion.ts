// Completion inside a SecretRef: sources, declared provider aliases (of the ref's source), env ids from
// the provider's allowlist, and JSON pointers from a file provider's payload (keys only, never values).
import { CompletionItemKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver/node';
import { secretsView } from '../engine/analyze';
import { encodePointerToken } from '../engine/resolve/jsonPointer';
import { expandHome } from '../engine/configLocation';
import { DEFAULTS, SECRET_SOURCES } from '../engine/secretRef';
import type { DocumentStore } from './documents';
import { refAtOffset } from './refAtCursor';
import { isRecord } from '../engine/jsonValue';
import { readRegularFileSync } from '../engine/readRegularFile';

/** Pointers to every leaf of a JSON payload; the values themselves are dropped immediately. */
export function payloadPointers(payload: unknown, limit = 1000): string[] {
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

export function provideCompletion(params: CompletionParams, store: DocumentStore, env: NodeJS.ProcessEnv): CompletionItem[] {
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
  const item = (label: string, kind: CompletionItemKind, detail: string): CompletionItem => ({ label, kind, detail, textEdit: { range, newText: label } });
  if (ref.member === 'source') return SECRET_SOURCES.map((src) => item(src, CompletionItemKind.EnumMember, `SecretRef source "${src}"`));
  if (ref.member === 'provider') {
    const items = Object.entries(view.providers)
      .filter(([, p]) => !ref.source || p.source === ref.source)
      .map(([alias, p]) => item(alias, CompletionItemKind.Reference, `${String(p.source)} provider`));
    const envDefault = view.defaults.env ?? 'default';
    if (ref.source === 'env' && !items.some((i) => i.label === envDefault)) items.push(item(envDefault, CompletionItemKind.Reference, 'implicit env provider'));
    return items;
  }
  if (ref.member === 'id' && ref.provider) {
    const p = Object.hasOwn(view.providers, ref.provider) ? view.providers[ref.provider] : undefined;
    if (ref.source === 'env' && p?.source === 'env' && Array.isArray(p.allowlist)) {
      return p.allowlist.filter((x): x is string => typeof x === 'string').map((name) => item(name, CompletionItemKind.Variable, `allowlisted in ${ref.provider}`));
    }
    if (ref.source === 'file' && p?.source === 'file' && typeof p.path === 'string') {
      if (p.mode === 'singleValue') return [item('value', CompletionItemKind.Constant, 'singleValue file provider')];
      const maxBytes = typeof p.maxBytes === 'number' ? p.maxBytes : DEFAULTS.fileMaxBytes;
      return readPayloadKeys(p.path, maxBytes, env).map((ptr) => item(ptr, CompletionItemKind.Field, `key in ${ref.provider}'s payload`));
    }
  }
  return [];
}
