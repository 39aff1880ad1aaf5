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
import { ApplyPlanRequest, AuditRequest, ExecCommandsRequest, ReloadRequest, ResolveRequest } from './protocol';
import { DocumentStore } from './lsp/documents';
import { SecretsRuntime } from './engine/runtimeSnapshot';
import { DiagnosticsService } from './lsp/diagnostics';
import { ResolutionState } from './lsp/resolutionState';
import { SettingsStore } from './lsp/settings';
import { applyPlan, audit, execCommands, reload, resolveDryRun, type CommandContext } from './lsp/commands';
import {
  CONVERT_ALL_COMMAND,
  CONVERT_COMMAND,
  RESTRICT_PERMISSIONS_COMMAND,
  convertAllPlaintext,
  convertToSecretRef,
  provideCodeActions,
  restrictFilePermissions,
  type CodeActionDeps,
  type ConvertArgs,
} from './lsp/codeActions';
import {
  applyPlanParamsSchema,
  auditParamsSchema,
  checkParams,
  convertAllArgsSchema,
  convertArgsSchema,
  execCommandsParamsSchema,
  reloadParamsSchema,
  resolveParamsSchema,
  restrictPermissionsArgsSchema,
} from './lsp/requestSchemas';
import { provideHover } from './lsp/hover';
import { MemoryRelief } from './lsp/memoryRelief';
import { provideCompletion } from './lsp/completion';
import { provideDefinition, provideDocumentLinks } from './lsp/definition';

export const SERVER_COMMANDS = {
  resolve: 'openclawSecrets.resolve',
  execCommands: 'openclawSecrets.execCommands',
  audit: 'openclawSecrets.audit',
  applyPlan: 'openclawSecrets.applyPlan',
  reload: 'openclawSecrets.reload',
  convert: CONVERT_COMMAND,
  convertAll: CONVERT_ALL_COMMAND,
  restrictFilePermissions: RESTRICT_PERMISSIONS_COMMAND,
} as const;

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

/** Only engine errors (named `*Error`, built from codes and paths) are shown; anything else by class only. */
function safeError(err: unknown): ResponseError<void> {
  if (err instanceof ResponseError) return err;
  const e = err instanceof Error ? err : new Error('error');
  const known = /^(Secret\w*Error|ConvertError|PlanFileError|ApplyError|ConfigSyntaxError|EditPathError)$/.test(e.name);
  return new ResponseError(ErrorCodes.InternalError, known ? e.message : `request failed (${e.name})`);
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const env = options.env ?? process.env;
  const store = new DocumentStore(env);
  const resolution = new ResolutionState();
  let canPullConfig = false;
  let trusted = false;
  const settings = new SettingsStore(connection, () => canPullConfig);
  let diagnostics!: DiagnosticsService;

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitOptions;
    // Untrusted unless the client says otherwise: exec never runs in an untrusted workspace.
    trusted = init.trusted === true;
    canPullConfig = Boolean(params.capabilities.workspace?.configuration);
    if (init.settings !== undefined) settings.setFallback(init.settings);
    const debounceMs = typeof init.debounceMs === 'number' && init.debounceMs >= 0 ? init.debounceMs : (options.debounceMs ?? 0);
    diagnostics = new DiagnosticsService(connection, store, settings, resolution, { debounceMs, env, autoResolve: options.autoResolve ?? true });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "'", '/'] },
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      },
      serverInfo: { name: 'openclaw-secrets', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'openclawSecrets' }).catch(() => undefined);
  });

  connection.onDidChangeConfiguration((change) => {
    settings.clear();
    if (!canPullConfig && change.settings && typeof change.settings === 'object') settings.setFallback((change.settings as Record<string, unknown>).openclawSecrets ?? change.settings);
    diagnostics.scheduleAll();
  });

  store.documents.onDidOpen((e) => diagnostics.schedule(e.document.uri, 0));
  store.documents.onDidChangeContent((e) => {
    // The config governs auth-profiles.json and .env beside it: re-check those too.
    diagnostics.schedule(e.document.uri);
    if (e.document.uri.endsWith('/openclaw.json') || e.document.uri.endsWith('/.env')) {
      for (const d of store.documents.all()) if (d.uri !== e.document.uri && store.get(d.uri)) diagnostics.schedule(d.uri);
    }
  });
  const memoryRelief = new MemoryRelief();
  store.documents.onDidClose((e) => {
    store.drop(e.document.uri);
    settings.forget(e.document.uri);
    resolution.clear(e.document.uri);
    diagnostics.clear(e.document.uri);
    runtimes.delete(e.document.uri);
    memoryRelief.closed(e.document.getText().length);
  });
  connection.onDidChangeWatchedFiles(() => diagnostics.scheduleAll());

  const actionDeps = (): CodeActionDeps => ({ connection, store, diagnostics, settings, env });
  const runtimes = new Map<string, SecretsRuntime>();
  const commandContext = (): CommandContext => ({ connection, store, diagnostics, resolution, settings, env, trusted: () => trusted, runtimes });

  connection.onCodeAction((params) => provideCodeActions(params, actionDeps()));
  connection.onHover((params) => provideHover(params, store, resolution));
  connection.onCompletion((params) => provideCompletion(params, store, env));
  connection.onDefinition((params) => provideDefinition(params, store, env));
  connection.onDocumentLinks((params) => provideDocumentLinks(params, store, env));

  const guard = <P, R>(run: (p: P) => Promise<R> | R) => async (p: P): Promise<R> => {
    try {
      return await run(p);
    } catch (err) {
      throw safeError(err);
    }
  };
  connection.onRequest(ResolveRequest, guard((p) => resolveDryRun(commandContext(), checkParams(resolveParamsSchema, p, ResolveRequest.method))));
  connection.onRequest(ExecCommandsRequest, guard((p) => execCommands(commandContext(), checkParams(execCommandsParamsSchema, p, ExecCommandsRequest.method))));
  connection.onRequest(AuditRequest, guard((p) => audit(commandContext(), checkParams(auditParamsSchema, p, AuditRequest.method))));
  connection.onRequest(ApplyPlanRequest, guard((p) => applyPlan(commandContext(), checkParams(applyPlanParamsSchema, p, ApplyPlanRequest.method))));
  connection.onRequest(ReloadRequest, guard((p) => reload(commandContext(), checkParams(reloadParamsSchema, p, ReloadRequest.method))));

  connection.onExecuteCommand(
    guard(async (params) => {
      // Checked against its schema before use: arguments come from anyone who can send executeCommand.
      const arg: unknown = params.arguments?.[0] ?? {};
      const what = `arguments of ${params.command}`;
      switch (params.command) {
        case SERVER_COMMANDS.resolve:
          return resolveDryRun(commandContext(), checkParams(resolveParamsSchema, arg, what));
        case SERVER_COMMANDS.execCommands:
          return execCommands(commandContext(), checkParams(execCommandsParamsSchema, arg, what));
        case SERVER_COMMANDS.audit:
          return audit(commandContext(), checkParams(auditParamsSchema, arg, what));
        case SERVER_COMMANDS.applyPlan:
          return applyPlan(commandContext(), checkParams(applyPlanParamsSchema, arg, what));
        case SERVER_COMMANDS.reload:
          return reload(commandContext(), checkParams(reloadParamsSchema, arg, what));
        case SERVER_COMMANDS.convert:
          return convertToSecretRef(actionDeps(), checkParams(convertArgsSchema, arg, what) as ConvertArgs);
        case SERVER_COMMANDS.convertAll:
          return convertAllPlaintext(actionDeps(), checkParams(convertAllArgsSchema, arg, what));
        case SERVER_COMMANDS.restrictFilePermissions:
          return restrictFilePermissions(actionDeps(), checkParams(restrictPermissionsArgsSchema, arg, what));
        default:
          throw new ResponseError(ErrorCodes.MethodNotFound, `unknown command ${params.command}`);
      }
    }),
  );

  store.documents.listen(connection);
  connection.listen();
}

// Started as a program with a transport flag (VS Code passes --node-ipc, other clients --stdio); a bundle
// that merely imports startServer (tests) does not start a second server.
if (require.main === module && process.argv.some((a) => /^--(stdio|node-ipc|socket|pipe)\b/.test(a))) {
  startServer(createConnection(ProposedFeatures.all));
}
