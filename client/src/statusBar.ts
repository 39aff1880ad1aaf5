// Status bar: plaintext count and resolution state of the active config; a click runs the dry-run.
import * as vscode from 'vscode';
import type { StatusNotification } from '../../server/src/protocol';
import { isServedDocument } from './configFiles';

export type ResolutionState = StatusNotification['resolution'];

interface ConfigStatus {
  plaintextCount?: number;
  resolution: ResolutionState;
  detail?: string;
  schema?: string;
}

const PLAINTEXT_CODES = new Set([
  'PLAINTEXT_FOUND',
  'DOTENV_PLAINTEXT',
  'AUTH_PROFILE_PLAINTEXT',
  'KNOWN_CREDENTIAL_FORMAT',
]);
const SERVER_SOURCE = 'openclaw-secrets';

export class SecretsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly statusByUri = new Map<string, ConfigStatus>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(commandId: string) {
    this.item = vscode.window.createStatusBarItem('openclawSecrets.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'OpenClaw Secrets';
    this.item.command = commandId;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && event.uris.some((uri) => uri.toString() === active)) this.refresh();
      }),
    );
    this.refresh();
  }

  /** From the server's openclawSecrets/status notification. */
  applyServerStatus(status: StatusNotification): void {
    const previous = this.statusByUri.get(status.uri);
    this.statusByUri.set(status.uri, {
      ...previous,
      plaintextCount: status.plaintextCount,
      resolution: status.resolution,
      ...(status.schema ? { schema: status.schema } : {}),
    });
    this.refresh();
  }

  /** After a dry-run or reload this client ran itself. */
  setResolution(uri: vscode.Uri, resolution: ResolutionState, detail?: string): void {
    const key = uri.toString();
    this.statusByUri.set(key, { ...this.statusByUri.get(key), resolution, detail });
    this.refresh();
  }

  /** The text shown now (tests read it; it holds counts and states, never values). */
  get text(): string {
    return this.item.text;
  }

  get visible(): boolean {
    return this.item.text.length > 0;
  }

  refresh(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !isServedDocument(document.uri)) {
      this.item.text = '';
      this.item.hide();
      return;
    }
    const status = this.statusByUri.get(document.uri.toString()) ?? { resolution: 'not-checked' as const };
    const plaintext = status.plaintextCount ?? countPlaintextDiagnostics(document.uri);
    const state = describeResolution(status.resolution);
    this.item.text = `${plaintext > 0 ? '$(warning)' : '$(shield)'} OpenClaw: ${plaintext} plaintext · ${state.label}`;
    this.item.tooltip = `${plaintext} plaintext secret(s) in this file. Resolution: ${state.tooltip}${status.detail ? ` (${status.detail})` : ''}.${status.schema ? ` Validated with ${status.schema}.` : ''} Click to run the dry-run.`;
    this.item.backgroundColor =
      status.resolution === 'failed'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : status.resolution === 'degraded' || plaintext > 0
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function describeResolution(resolution: ResolutionState): { label: string; tooltip: string } {
  switch (resolution) {
    case 'ok':
      return { label: 'refs ok', tooltip: 'every ref resolved' };
    case 'degraded':
      return { label: 'degraded (last-known-good)', tooltip: 'some refs failed; the last good snapshot is kept' };
    case 'failed':
      return { label: 'refs failing', tooltip: 'refs failed to resolve' };
    default:
      return { label: 'not checked', tooltip: 'not checked yet' };
  }
}

function countPlaintextDiagnostics(uri: vscode.Uri): number {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SERVER_SOURCE && PLAINTEXT_CODES.has(diagnosticCode(d))).length;
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}
