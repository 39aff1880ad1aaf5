// The extension: starts the language server, shows what it finds, and asks a person where only a person can decide.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, registerCommands } from './commands';
import { ExecConsent } from './execConsent';
import { SecretsServer } from './languageClient';
import { OUTPUT_CHANNEL_NAME } from './resolveView';
import { SETTINGS_SECTION, isEnabled } from './settings';
import { SecretsStatusBar } from './statusBar';
import { GatewayStatusItem, watchGatewayReachability } from './gatewayReload';
import { isConfigFile } from './configFiles';

/** What activate() returns: for other extensions and the end-to-end suites. */
export interface OpenClawSecretsApi {
  /** the running language client, started on demand */
  client(): Promise<LanguageClient>;
  /** the status bar text for the active editor ('' when hidden) */
  statusBarText(): string;
  /** exec commands allowed in this workspace */
  rememberedExecCommands(): string[];
  /** the gateway status bar text ('' before the first probe) */
  gatewayStatusText(): string;
  /** how long activate() took, language server start included */
  readonly activationMs: number;
}

let server: SecretsServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<OpenClawSecretsApi> {
  const activationStarted = Date.now();
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  const consent = new ExecConsent(context.workspaceState);
  const statusBar = new SecretsStatusBar(COMMANDS.resolveDryRun);
  const gatewayItem = new GatewayStatusItem(COMMANDS.reload);
  server = new SecretsServer(context, output);
  const secretsServer = server;
  secretsServer.onStatus((status) => statusBar.applyServerStatus(status));
  context.subscriptions.push(
    output,
    statusBar,
    gatewayItem,
    secretsServer,
    ...registerCommands({ context, server: secretsServer, consent, output, statusBar, gatewayItem }),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.enable`)) {
        if (isEnabled()) await secretsServer.running();
        else await secretsServer.stop();
      }
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.trace.server`)) await secretsServer.applyTraceSetting();
    }),
    // The server was told the workspace is untrusted at start; trust granted means a fresh start.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void secretsServer.restart()),
  );

  if (isEnabled()) {
    await secretsServer.running().catch((err: unknown) => {
      output.appendLine(
        `The OpenClaw language server did not start: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
  // The gateway item shows whether the active config's gateway answers (the server asks it).
  if (isEnabled())
    context.subscriptions.push(
      watchGatewayReachability({ client: () => secretsServer.running(), output, item: gatewayItem }, isConfigFile),
    );
  const activationMs = Date.now() - activationStarted;
  return {
    activationMs,
    client: () => secretsServer.running(),
    statusBarText: () => statusBar.text,
    gatewayStatusText: () => gatewayItem.text,
    rememberedExecCommands: () => consent.rememberedCommands(),
  };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
