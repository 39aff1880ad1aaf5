// Outline, breadcrumbs, folding and smart selection for openclaw.json, JSON5 included: a thin adapter from
// the engine's offsets (engine/documentStructure) to LSP positions. Only configs: VS Code's JSON language
// already serves auth-profiles.json (plain JSON), and two outlines for one file would be noise.
import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type FoldingRange,
  type FoldingRangeParams,
  type SelectionRange,
  type SelectionRangeParams,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { foldRanges, outlineSymbols, selectionChain, type OutlineSymbol } from '../engine/config/documentStructure';
import type { DocumentStore } from './documents';

const KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  object: SymbolKind.Module,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

function toDocumentSymbol(s: OutlineSymbol, td: TextDocument): DocumentSymbol {
  return {
    name: s.name,
    kind: KIND[s.kind],
    range: { start: td.positionAt(s.start), end: td.positionAt(s.end) },
    selectionRange: { start: td.positionAt(s.selectionStart), end: td.positionAt(s.selectionEnd) },
    ...(s.detail === undefined ? {} : { detail: s.detail }),
    children: s.children.map((c) => toDocumentSymbol(c, td)),
  };
}

export function provideDocumentSymbols(params: DocumentSymbolParams, store: DocumentStore): DocumentSymbol[] {
  const doc = store.get(params.textDocument.uri);
  if (doc?.kind !== 'config' || !doc.config) return [];
  return outlineSymbols(doc.config.root).map((s) => toDocumentSymbol(s, doc.text));
}

export function provideFoldingRanges(params: FoldingRangeParams, store: DocumentStore): FoldingRange[] {
  const doc = store.get(params.textDocument.uri);
  if (doc?.kind !== 'config' || !doc.config) return [];
  const out: FoldingRange[] = [];
  for (const r of foldRanges(doc.config)) {
    const startLine = doc.text.positionAt(r.startOffset).line;
    const end = doc.text.positionAt(r.endOffset);
    // A bracket closes on its own line: fold up to the line before it, so the closing bracket stays visible.
    const endLine = r.kind ? end.line : end.line - 1;
    if (endLine <= startLine) continue;
    out.push({
      startLine,
      endLine,
      ...(r.kind === 'comment'
        ? { kind: FoldingRangeKind.Comment }
        : r.kind === 'region'
          ? { kind: FoldingRangeKind.Region }
          : {}),
    });
  }
  return out;
}

export function provideSelectionRanges(params: SelectionRangeParams, store: DocumentStore): SelectionRange[] {
  const doc = store.get(params.textDocument.uri);
  return params.positions.map((position) => {
    const chain = doc?.kind === 'config' && doc.config ? selectionChain(doc.config, doc.text.offsetAt(position)) : [];
    let parent: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      parent = {
        range: { start: doc!.text.positionAt(chain[i].start), end: doc!.text.positionAt(chain[i].end) },
        ...(parent ? { parent } : {}),
      };
    }
    return parent ?? { range: { start: position, end: position } };
  });
}
