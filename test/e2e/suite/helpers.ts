// Helpers for the extension-host suites: wait on real events with a deadline, never a fixed sleep.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'openclaw-secrets.openclaw-secrets';
export const SERVER_SOURCE = 'openclaw-secrets';

export interface ExtensionApi {
  client(): Promise<{ state: number }>;
  statusBarText(): string;
  rememberedExecCommands(): string[];
  activationMs?: number;
}

export function recordFigure(name: string, value: number): void {
  const g = globalThis as { openclawE2eFigures?: Record<string, number> };
  g.openclawE2eFigures = { ...g.openclawE2eFigures, [name]: Math.round(value) };
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e runner opens a workspace folder');
  return folder.uri;
}

export function workspaceFile(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/**
 * Re-checks `probe` whenever diagnostics change and at a short interval (for state that has no event,
 * like code actions or files), until it returns a value or the deadline passes.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let checking = false;
    const finish = (err: Error | undefined, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearInterval(interval);
      subscription.dispose();
      if (err) reject(err);
      else resolve(value as T);
    };
    const check = async () => {
      if (done || checking) return;
      checking = true;
      try {
        const value = await probe();
        if (value !== undefined && value !== null && (value as unknown) !== false) finish(undefined, value);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      } finally {
        checking = false;
      }
    };
    const deadline = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
    const interval = setInterval(() => void check(), 100);
    const subscription = vscode.languages.onDidChangeDiagnostics(() => void check());
    void check();
  });
}

export function serverDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SERVER_SOURCE && (!code || diagnosticCode(d) === code));
}

export function diagnosticCode(d: vscode.Diagnostic): string {
  if (d.code === undefined) return '';
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export async function openConfig(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Code actions for a range; polled because the first request can race the client's start. */
export async function codeActionsAt(
  uri: vscode.Uri,
  range: vscode.Range,
  kind: string,
  match: RegExp,
): Promise<vscode.CodeAction[]> {
  return waitFor(
    `a code action matching ${match} at ${range.start.line + 1}:${range.start.character + 1}`,
    async () => {
      const actions =
        (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          uri,
          range,
          kind,
          20,
        )) ?? [];
      const found = actions.filter((a): a is vscode.CodeAction => 'kind' in a && match.test(a.title));
      return found.length > 0 ? found : undefined;
    },
  );
}

export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit)))
    throw new Error(`edit of "${action.title}" was refused`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
