// One language server for every folder (and for configs outside any folder), over IPC; restartable.
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  Trace,
  TransportKind,
} from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type StatusNotification } from '../../server/src/protocol';
import { serverDocumentSelector } from './configFiles';
import { SETTINGS_SECTION } from './settings';

export const SERVER_BUNDLE = 'dist/server.js';
const STOP_TIMEOUT_MS = 3000;

export class SecretsServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly statusListeners: ((status: StatusNotification) => void)[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {}

  onStatus(listener: (status: StatusNotification) => void): void {
    this.statusListeners.push(listener);
  }

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  /** The running client, starting it if needed. */
  running(): Promise<LanguageClient> {
    if (this.client?.state === State.Running) return Promise.resolve(this.client);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    const serverModule = this.context.asAbsolutePath(SERVER_BUNDLE);
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: {
        module: serverModule,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6029'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: serverDocumentSelector,
      diagnosticCollectionName: 'openclaw-secrets',
      outputChannel: this.output,
      // The server pulls section "openclawSecrets" and re-pulls when it changes.
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        fileEvents: vscode.workspace.createFileSystemWatcher(
          '**/{openclaw.json,auth-profiles.json,.env,*.secrets-plan.json}',
        ),
      },
      initializationOptions: { trusted: vscode.workspace.isTrusted },
    };
    // The client id differs from the settings section so that vscode-languageclient never reads
    // "openclawSecrets.trace.server" itself: verbose traces would echo document text (secrets) into the log.
    const client = new LanguageClient('openclawSecretsServer', 'OpenClaw Secrets', serverOptions, clientOptions);
    client.onNotification(STATUS_NOTIFICATION, (status: StatusNotification) => {
      for (const listener of this.statusListeners) listener(status);
    });
    await client.start();
    await client.setTrace(traceSetting());
    this.client = client;
    return client;
  }

  async applyTraceSetting(): Promise<void> {
    if (this.client?.state === State.Running) await this.client.setTrace(traceSetting());
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) await client.stop(STOP_TIMEOUT_MS).catch(() => undefined);
  }

  async restart(): Promise<LanguageClient> {
    await this.stop();
    return this.running();
  }

  /** The current client if it is running (tests and commands that must not start it). */
  current(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  dispose(): void {
    void this.stop();
  }
}

/** Only message names are traced ("messages"); their parameters could hold document text. */
function traceSetting(): Trace {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trace.server', 'off');
  return value === 'messages' || value === 'verbose' ? Trace.Messages : Trace.Off;
}
