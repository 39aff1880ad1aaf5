// Go to definition and document links: a ref's `provider` -> `secrets.providers.<alias>`; a file
// provider's `path` (and an exec provider's `command`) -> that file.
import type { DefinitionParams, DocumentLink, DocumentLinkParams, Location } from 'vscode-languageserver/node';
import { findMember, findNode, walkNodes, type ConfigDocument } from '../engine/config/configDocument';
import { expandProviderPath } from '../engine/resolve/pathSecurity';
import { secretsView } from '../engine/analyze/analyze';
import { pathToUri, type DocumentStore } from './documents';
import { refAtOffset } from './refAtCursor';
import { isRecord } from '../engine/config/jsonValue';

function providerKeyRange(config: ConfigDocument, alias: string): { start: number; end: number } | undefined {
  const providers = findNode(config.root, ['secrets', 'providers']);
  const m = providers?.type === 'object' ? findMember(providers, alias) : undefined;
  return m ? { start: m.keyStart, end: m.keyEnd } : undefined;
}

export function provideDefinition(
  params: DefinitionParams,
  store: DocumentStore,
  env: NodeJS.ProcessEnv,
): Location | null {
  const doc = store.get(params.textDocument.uri);
  if (!doc?.config?.root) return null;
  const offset = doc.text.offsetAt(params.position);
  const configDoc = doc.kind === 'config' ? doc : undefined;
  const governingUri = configDoc
    ? doc.uri
    : (() => {
        const loc = store.locationFor(doc.uri);
        return loc ? pathToUri(loc.configPath) : undefined;
      })();
  const governing = configDoc?.config ?? store.configFor(doc.uri);
  const view = secretsView(isRecord(governing?.value) ? governing!.value.secrets : undefined);
  const ref = refAtOffset(doc.config, offset, view.defaults);
  if (ref?.member === 'provider' && ref.provider && governing && governingUri) {
    const r = providerKeyRange(governing, ref.provider);
    if (!r) return null;
    const open = store.get(governingUri);
    const pos = (o: number) => (open ? open.text.positionAt(o) : offsetToPos(governing.text, o));
    return { uri: governingUri, range: { start: pos(r.start), end: pos(r.end) } };
  }
  const link = providerFileLinks(doc.config, env).find((l) => offset >= l.start && offset <= l.end);
  return link
    ? { uri: link.target, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }
    : null;
}

function offsetToPos(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Each file provider's `path` and exec provider's `command`, as a link to the file. */
function providerFileLinks(
  config: ConfigDocument,
  env: NodeJS.ProcessEnv,
): Array<{ start: number; end: number; target: string }> {
  const out: Array<{ start: number; end: number; target: string }> = [];
  const providers = findNode(config.root, ['secrets', 'providers']);
  if (providers?.type !== 'object') return out;
  for (const m of providers.members) {
    if (m.value.type !== 'object') continue;
    const src = findMember(m.value, 'source')?.value;
    const key =
      src?.type === 'string'
        ? src.value === 'file'
          ? 'path'
          : src.value === 'exec'
            ? 'command'
            : undefined
        : undefined;
    const v = key ? findMember(m.value, key)?.value : undefined;
    if (v?.type !== 'string') continue;
    const abs = expandProviderPath(v.value as string, env);
    if (abs) out.push({ start: v.start, end: v.end, target: pathToUri(abs) });
  }
  return out;
}

export function provideDocumentLinks(
  params: DocumentLinkParams,
  store: DocumentStore,
  env: NodeJS.ProcessEnv,
): DocumentLink[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc?.config?.root || doc.kind !== 'config') return [];
  const range = (s: number, e: number) => ({ start: doc.text.positionAt(s), end: doc.text.positionAt(e) });
  const links: DocumentLink[] = providerFileLinks(doc.config, env).map((l) => ({
    range: range(l.start, l.end),
    target: l.target,
    tooltip: 'Open the provider file',
  }));
  // A ref's provider links to its declaration in this file (`#L<line>` is understood by VS Code).
  walkNodes(doc.config.root, (node, path) => {
    if (path[0] === 'secrets') return false;
    if (node.type !== 'object') return true;
    const p = findMember(node, 'provider')?.value;
    if (!findMember(node, 'source') || p?.type !== 'string') return true;
    const r = providerKeyRange(doc.config!, p.value as string);
    if (r) {
      const line = doc.text.positionAt(r.start).line + 1;
      links.push({
        range: range(p.start, p.end),
        target: `${doc.uri}#L${line}`,
        tooltip: `secrets.providers.${String(p.value)}`,
      });
    }
    return false;
  });
  return links;
}
