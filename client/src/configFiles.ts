// Which documents belong to OpenClaw, and which openclaw.json a command should act on.
import * as path from 'node:path';
import * as vscode from 'vscode';

const CONFIG_FILE_NAME = 'openclaw.json';
const SERVED_FILE_NAMES = new Set([CONFIG_FILE_NAME, 'auth-profiles.json', '.env']);
const SERVED_SCHEMES = ['file', 'untitled'];

/** The documents the language server sees: by file name, in any language, inside or outside a workspace. */
export const serverDocumentSelector: { scheme: string; pattern: string }[] = SERVED_SCHEMES.flatMap((scheme) =>
  ['**/openclaw.json', '**/auth-profiles.json', '**/.env'].map((pattern) => ({ scheme, pattern })),
);

export function isServedDocument(uri: vscode.Uri): boolean {
  return SERVED_SCHEMES.includes(uri.scheme) && SERVED_FILE_NAMES.has(path.posix.basename(uri.path));
}

export function isConfigFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && path.posix.basename(uri.path) === CONFIG_FILE_NAME;
}

/**
 * The openclaw.json a command acts on: an explicit argument, else the active editor's config (or the config
 * beside an active auth-profiles.json/.env), else a visible one, else the workspace's only one, else ask.
 */
export async function pickConfigFile(explicit?: unknown): Promise<vscode.Uri | undefined> {
  const given = asUri(explicit);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isConfigFile(active)) return active;
  if (active && active.scheme === 'file' && isServedDocument(active)) {
    const beside = await siblingConfig(active);
    if (beside) return beside;
  }
  const visible = vscode.window.visibleTextEditors.map((e) => e.document.uri).find(isConfigFile);
  if (visible) return visible;
  const found = await vscode.workspace.findFiles('**/openclaw.json', '**/node_modules/**', 20);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    void vscode.window.showInformationMessage('OpenClaw: open an openclaw.json first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'OpenClaw: which config?' },
  );
  return picked?.uri;
}

function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value.length > 0)
    return value.includes('://') ? vscode.Uri.parse(value) : vscode.Uri.file(value);
  if (value && typeof value === 'object' && 'uri' in value) return asUri((value as { uri: unknown }).uri);
  return undefined;
}

// auth-profiles.json lives at <stateDir>/agents/<id>/agent/, .env at <stateDir>/.
async function siblingConfig(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  let dir = path.dirname(uri.fsPath);
  for (let depth = 0; depth < 4; depth++) {
    const candidate = vscode.Uri.file(path.join(dir, CONFIG_FILE_NAME));
    try {
      await vscode.workspace.fs.stat(candidate);
      return candidate;
    } catch {
      dir = path.dirname(dir);
    }
  }
  return undefined;
}
