// "OpenClaw: Reload secrets" against the running gateway: the server finds and asks the gateway; this
// module only asks the person (naming the URL), shows the outcome and keeps a status bar item with
// "gateway reachable" and the last reload's outcome. No gateway: one line, nothing else changes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  GatewayReloadRequest,
  GatewayStatusRequest,
  type GatewayReloadResult,
  type GatewayStatusResult,
} from '../../server/src/protocol';

export const RELOAD_GATEWAY_BUTTON = 'Reload gateway';

export interface GatewayReloadArgs {
  configUri?: vscode.Uri;
  /** skip the question (callers that already asked, and tests) */
  yes?: boolean;
}

/** What the reload command returns: the outcome, or why nothing was sent. */
export type GatewayReloadOutcome =
  GatewayReloadResult | { url: string; state: 'not-confirmed'; warningCount: 0; message: string };

type ItemState =
  | { kind: 'unknown' }
  | { kind: 'status'; status: GatewayStatusResult }
  | { kind: 'reload'; result: GatewayReloadResult };

/** The status bar item: reachable or not, and the last reload's outcome (URL and states, never a credential). */
export class GatewayStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'openclawSecrets.gateway',
    vscode.StatusBarAlignment.Left,
    49,
  );
  private state: ItemState = { kind: 'unknown' };

  constructor(commandId: string) {
    this.item.name = 'OpenClaw Gateway';
    this.item.command = commandId;
  }

  get text(): string {
    return this.item.text;
  }

  showStatus(status: GatewayStatusResult): void {
    // a probe does not erase the last reload's outcome while the gateway stays reachable
    if (
      this.state.kind === 'reload' &&
      status.reachable &&
      this.state.result.url === status.url &&
      this.state.result.state !== 'unreachable'
    )
      return this.render();
    this.state = { kind: 'status', status };
    this.render();
  }

  showReload(result: GatewayReloadResult): void {
    this.state = { kind: 'reload', result };
    this.render();
  }

  private render(): void {
    const s = this.state;
    this.item.backgroundColor = undefined;
    if (s.kind === 'unknown') {
      this.item.hide();
      return;
    }
    if (s.kind === 'status') {
      this.item.text = s.status.reachable ? '$(plug) Gateway: reachable' : '$(debug-disconnect) Gateway: not reachable';
      this.item.tooltip = `${s.status.message}\nClick to reload its secrets.`;
    } else if (s.result.state === 'ok') {
      this.item.text =
        s.result.warningCount > 0
          ? `$(warning) Gateway: reloaded, ${s.result.warningCount} warning(s)`
          : '$(check) Gateway: reloaded';
      this.item.tooltip = `${s.result.url}: ${s.result.message}`;
      if (s.result.warningCount > 0)
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (s.result.state === 'failed') {
      this.item.text = '$(error) Gateway: reload failed, last-known-good kept';
      this.item.tooltip = `${s.result.url}: ${s.result.message}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.item.text = '$(debug-disconnect) Gateway: not reachable';
      this.item.tooltip = s.result.message;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

export interface GatewayFlowDeps {
  client: () => Promise<LanguageClient>;
  output: vscode.OutputChannel;
  item: GatewayStatusItem;
}

/** Asks the server whether the config's gateway answers, and shows it. */
export async function probeGateway(uri: vscode.Uri, deps: GatewayFlowDeps): Promise<GatewayStatusResult> {
  const client = await deps.client();
  const status = await client.sendRequest(GatewayStatusRequest, { uri: uri.toString() });
  deps.item.showStatus(status);
  return status;
}

/** The Reload command: probe, ask (naming the URL), reload, show the outcome. */
export async function runGatewayReload(
  uri: vscode.Uri,
  deps: GatewayFlowDeps,
  args: GatewayReloadArgs = {},
): Promise<GatewayReloadOutcome> {
  await vscode.workspace.openTextDocument(uri); // the server answers from the editor's text of the config
  const status = await probeGateway(uri, deps);
  if (!status.reachable) {
    void vscode.window.showInformationMessage(`OpenClaw: ${status.message}`);
    return { url: status.url, state: 'unreachable', warningCount: 0, message: status.message };
  }
  if (!args.yes) {
    const answer = await vscode.window.showWarningMessage(
      `Reload secrets in the running OpenClaw gateway at ${status.url}?`,
      {
        modal: true,
        detail:
          'The gateway re-resolves every SecretRef and swaps its snapshot atomically; on failure it keeps its last-known-good snapshot.',
      },
      RELOAD_GATEWAY_BUTTON,
    );
    if (answer !== RELOAD_GATEWAY_BUTTON)
      return { url: status.url, state: 'not-confirmed', warningCount: 0, message: 'Reload not confirmed.' };
  }
  const client = await deps.client();
  const result = await client.sendRequest(GatewayReloadRequest, { uri: uri.toString() });
  deps.item.showReload(result);
  deps.output.appendLine(`Gateway reload at ${result.url}: ${result.state}: ${result.message}`);
  if (result.state === 'ok')
    void vscode.window.showInformationMessage(`OpenClaw gateway at ${result.url}: ${result.message}`);
  else if (result.state === 'failed')
    void vscode.window.showErrorMessage(`OpenClaw gateway at ${result.url}: ${result.message}`);
  else void vscode.window.showInformationMessage(`OpenClaw: ${result.message}`);
  return result;
}

/** After a plan was applied: if a gateway is running, offer to reload it (the one question is the offer). */
export async function offerGatewayReload(
  uri: vscode.Uri,
  deps: GatewayFlowDeps,
): Promise<GatewayReloadOutcome | undefined> {
  const status = await probeGateway(uri, deps);
  if (!status.reachable) {
    deps.output.appendLine(`Plan applied; no running gateway to reload (${status.message})`);
    return undefined;
  }
  const answer = await vscode.window.showInformationMessage(
    `Secrets plan applied. Reload the running OpenClaw gateway at ${status.url} so it uses the new refs?`,
    RELOAD_GATEWAY_BUTTON,
  );
  if (answer !== RELOAD_GATEWAY_BUTTON) return undefined;
  return runGatewayReload(uri, deps, { yes: true });
}

/** Probes the gateway of the config in the active editor when it changes (at most once a minute per config). */
export function watchGatewayReachability(
  deps: GatewayFlowDeps,
  isConfig: (uri: vscode.Uri) => boolean,
): vscode.Disposable {
  const lastProbe = new Map<string, number>();
  const probeActive = () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || !isConfig(uri)) return;
    const now = Date.now();
    if (now - (lastProbe.get(uri.toString()) ?? 0) < 60_000) return;
    lastProbe.set(uri.toString(), now);
    void probeGateway(uri, deps).catch(() => undefined);
  };
  probeActive();
  return vscode.window.onDidChangeActiveTextEditor(probeActive);
}
