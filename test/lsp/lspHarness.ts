// A real LSP session in-process: the server's startServer over two PassThrough streams, a real client
// connection, a real `initialize`. Everything the server writes is kept so tests can scan it.
import { PassThrough } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams, WorkspaceEdit, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../server/src/server';

export interface LspSessionOptions {
  env?: NodeJS.ProcessEnv;
  settings?: Record<string, unknown>;
  trusted?: boolean;
  debounceMs?: number;
  autoResolve?: boolean;
  /** answer workspace/applyEdit by applying to the open buffers (default true) */
  applyEdits?: boolean;
}

export interface LspSession {
  client: MessageConnection;
  /** raw bytes the server sent, for canary scans */
  serverOutput(): string;
  messages: { method: string; params: unknown }[];
  appliedEdits: WorkspaceEdit[];
  open(filePath: string, text: string): Promise<PublishDiagnosticsParams>;
  change(filePath: string, text: string): Promise<PublishDiagnosticsParams>;
  text(filePath: string): string;
  version(filePath: string): number;
  /** the next diagnostics for the file (optionally matching a predicate) */
  nextDiagnostics(
    filePath: string,
    predicate?: (d: Diagnostic[]) => boolean,
    timeoutMs?: number,
  ): Promise<PublishDiagnosticsParams>;
  close(): Promise<void>;
}

export const uriOf = (p: string) => pathToFileURL(p).toString();

export function tempDir(prefix = 'ocs-lsp-'): string {
  // realpath: /tmp may be a symlink, and the server refuses symlinked provider paths.
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export async function startSession(opts: LspSessionOptions = {}): Promise<LspSession> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const chunks: Buffer[] = [];
  toClient.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(serverConnection, {
    env: opts.env ?? {},
    debounceMs: opts.debounceMs ?? 0,
    autoResolve: opts.autoResolve ?? true,
  });
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const messages: { method: string; params: unknown }[] = [];
  const docs = new Map<string, TextDocument>();
  const waiters: Array<{
    uri: string;
    predicate: (d: Diagnostic[]) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }> = [];
  const appliedEdits: WorkspaceEdit[] = [];
  client.onNotification((method, params) => {
    messages.push({ method, params });
    if (method === 'textDocument/publishDiagnostics') {
      const p = params as PublishDiagnosticsParams;
      for (let i = 0; i < waiters.length; i++) {
        const w = waiters[i];
        if (
          w.uri === p.uri &&
          (p.version === undefined || p.version === docs.get(p.uri)?.version) &&
          w.predicate(p.diagnostics)
        ) {
          waiters.splice(i--, 1);
          w.resolve(p);
        }
      }
    }
  });
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => opts.settings ?? {}));
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('window/workDoneProgress/create', () => null);
  client.onRequest('window/showMessageRequest', (p: unknown) => {
    messages.push({ method: 'window/showMessageRequest', params: p });
    return null;
  });
  client.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
    messages.push({ method: 'workspace/applyEdit', params: p });
    if (opts.applyEdits === false) return { applied: false };
    appliedEdits.push(p.edit);
    for (const [uri, edits] of Object.entries(p.edit.changes ?? {})) {
      const doc = docs.get(uri);
      if (!doc) return { applied: false };
      const next = TextDocument.applyEdits(doc, edits as TextEdit[]);
      const updated = TextDocument.create(uri, doc.languageId, doc.version + 1, next);
      docs.set(uri, updated);
      void client.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: updated.version },
        contentChanges: [{ text: next }],
      });
    }
    return { applied: true };
  });
  client.listen();
  await client.sendRequest('initialize', {
    processId: null, // a pid would start the server's parent watchdog timer in this process
    rootUri: null,
    capabilities: { workspace: { configuration: true, applyEdit: true } },
    initializationOptions: { trusted: opts.trusted ?? true },
  });
  await client.sendNotification('initialized', {});

  const nextDiagnostics = (
    filePath: string,
    predicate: (d: Diagnostic[]) => boolean = () => true,
    timeoutMs = 10_000,
  ) =>
    new Promise<PublishDiagnosticsParams>((resolve, reject) => {
      const uri = uriOf(filePath);
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${filePath} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiters.push({
        uri,
        predicate,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });

  return {
    client,
    messages,
    appliedEdits,
    serverOutput: () => Buffer.concat(chunks).toString('utf8'),
    nextDiagnostics,
    text: (p) => docs.get(uriOf(p))!.getText(),
    version: (p) => docs.get(uriOf(p))!.version,
    async open(filePath, text) {
      const uri = uriOf(filePath);
      docs.set(uri, TextDocument.create(uri, 'json', 1, text));
      const wait = nextDiagnostics(filePath);
      await client.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'json', version: 1, text },
      });
      return wait;
    },
    async change(filePath, text) {
      const uri = uriOf(filePath);
      const prev = docs.get(uri)!;
      const doc = TextDocument.create(uri, prev.languageId, prev.version + 1, text);
      docs.set(uri, doc);
      const wait = nextDiagnostics(filePath);
      await client.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: doc.version },
        contentChanges: [{ text }],
      });
      return wait;
    },
    async close() {
      await client.sendRequest('shutdown').catch(() => undefined);
      client.dispose();
      toServer.end();
      toClient.end();
      serverConnection.dispose();
    },
  };
}

/** Offset -> {line, character} in a fixture text, and the range of the n-th occurrence of a snippet. */
export function rangeOf(
  text: string,
  snippet: string,
  nth = 0,
): { start: { line: number; character: number }; end: { line: number; character: number } } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(snippet, at + 1);
  if (at < 0) throw new Error(`snippet not found: ${snippet}`);
  const doc = TextDocument.create('file:///x', 'json', 1, text);
  return { start: doc.positionAt(at), end: doc.positionAt(at + snippet.length) };
}
