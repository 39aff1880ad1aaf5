// The OpenClaw Secrets language server: transport from argv (`--stdio`, `--node-ipc`), and `startServer`
// so tests can run it in-process over two streams. Every feature is a thin adapter in ./lsp over the engine.
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { DocumentStore } from './lsp/documents';
import { SecretsRuntime } from './engine/runtime/runtimeSnapshot';
import { DiagnosticsService } from './lsp/diagnostics';
import { ResolutionState } from './lsp/resolutionState';
import { SettingsStore } from './lsp/settings';
import { type CommandContext } from './lsp/commands';
import { provideCodeActions, type CodeActionDeps } from './lsp/codeActions';
import { handlerTable, SERVER_COMMANDS } from './lsp/handlerTable';
import { provideHover } from './lsp/hover';
import { MemoryRelief } from './lsp/memoryRelief';
import { provideCompletion } from './lsp/completion';
import { provideDefinition, provideDocumentLinks } from './lsp/definition';
import { provideDocumentSymbols, provideFoldingRanges, provideSelectionRanges } from './lsp/structure';
import { SchemaService } from './lsp/openclawSchema';

export { SERVER_COMMANDS };

export interface ServerOptions {
  /** the environment refs resolve against (tests pass their own) */
  env?: NodeJS.ProcessEnv;
  /** validation debounce after a change, in ms */
  debounceMs?: number;
  /** resolve env/file refs in the background after validation (default true) */
  autoResolve?: boolean;
}

interface InitOptions {
  trusted?: boolean;
  debounceMs?: number;
  settings?: unknown;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const env = options.env ?? process.env;
  const store = new DocumentStore(env);
  const resolution = new ResolutionState();
  // Reload state per config (masked snapshots only), dropped when the document closes.
  const runtimes = new Map<string, SecretsRuntime>();
  let canPullConfig = false;
  let trusted = false;
  const settings = new SettingsStore(connection, () => canPullConfig);
  let diagnostics!: DiagnosticsService;
  const schemas = new SchemaService(settings, env, () => trusted);

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitOptions;
    // Untrusted unless the client says otherwise: exec never runs in an untrusted workspace.
    trusted = init.trusted === true;
    canPullConfig = Boolean(params.capabilities.workspace?.configuration);
    if (init.settings !== undefined) settings.setFallback(init.settings);
    const debounceMs =
      typeof init.debounceMs === 'number' && init.debounceMs >= 0 ? init.debounceMs : (options.debounceMs ?? 0);
    diagnostics = new DiagnosticsService(connection, store, settings, resolution, {
      debounceMs,
      env,
      autoResolve: options.autoResolve ?? true,
      schemas,
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "'", '/'] },
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'OpenClaw config' },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      },
      serverInfo: { name: 'openclaw-secrets', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfig)
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'openclawSecrets' })
        .catch(() => undefined);
  });

  connection.onDidChangeConfiguration((change) => {
    settings.clear();
    schemas.clear();
    if (!canPullConfig && change.settings && typeof change.settings === 'object')
      settings.setFallback((change.settings as Record<string, unknown>).openclawSecrets ?? change.settings);
    diagnostics.scheduleAll();
  });

  store.documents.onDidOpen((e) => diagnostics.schedule(e.document.uri, 0));
  store.documents.onDidChangeContent((e) => {
    // The config governs auth-profiles.json and .env beside it: re-check those too.
    diagnostics.schedule(e.document.uri);
    if (e.document.uri.endsWith('/openclaw.json') || e.document.uri.endsWith('/.env')) {
      for (const d of store.documents.all())
        if (d.uri !== e.document.uri && store.get(d.uri)) diagnostics.schedule(d.uri);
    }
  });
  const memoryRelief = new MemoryRelief();
  store.documents.onDidClose((e) => {
    store.drop(e.document.uri);
    settings.forget(e.document.uri);
    resolution.clear(e.document.uri);
    runtimes.delete(e.document.uri);
    diagnostics.clear(e.document.uri);
    runtimes.delete(e.document.uri);
    memoryRelief.closed(e.document.getText().length);
  });
  connection.onDidChangeWatchedFiles(() => diagnostics.scheduleAll());

  const actionDeps = (): CodeActionDeps => ({ connection, store, diagnostics, settings, env });
  const commandContext = (): CommandContext => ({
    connection,
    store,
    diagnostics,
    resolution,
    settings,
    env,
    trusted: () => trusted,
    runtimes,
    schemas,
  });

  connection.onCodeAction((params) => provideCodeActions(params, actionDeps()));
  connection.onHover((params) => provideHover(params, store, resolution, schemas));
  connection.onCompletion((params) => provideCompletion(params, store, env, schemas));
  connection.onDefinition((params) => provideDefinition(params, store, env));
  connection.onDocumentLinks((params) => provideDocumentLinks(params, store, env));
  connection.onDocumentSymbol((params) => provideDocumentSymbols(params, store));
  connection.onFoldingRanges((params) => provideFoldingRanges(params, store));
  connection.onSelectionRanges((params) => provideSelectionRanges(params, store));

  // One table drives both entry points: the typed request (VS Code) and workspace/executeCommand (Neovim,
  // Emacs); each argument is checked against its schema once, here, before any handler sees it.
  const table = handlerTable(commandContext, actionDeps);
  for (const handler of Object.values(table)) {
    if (handler.method) connection.onRequest(handler.method, (params: unknown) => handler.run(params));
  }
  connection.onExecuteCommand((params) => {
    const handler = Object.values(table).find((h) => h.command === params.command);
    if (!handler) throw new ResponseError(ErrorCodes.MethodNotFound, `unknown command ${params.command}`);
    return handler.run(params.arguments?.[0]);
  });

  store.documents.listen(connection);
  connection.listen();
}

// Started as a program with a transport flag (VS Code passes --node-ipc, other clients --stdio); a bundle
// that merely imports startServer (tests) does not start a second server.
if (require.main === module && process.argv.some((a) => /^--(stdio|node-ipc|socket|pipe)\b/.test(a))) {
  startServer(createConnection(ProposedFeatures.all));
}
