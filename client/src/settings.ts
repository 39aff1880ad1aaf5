// The extension's settings (section "openclawSecrets"); the server reads the same section itself.
import * as vscode from 'vscode';

export const SETTINGS_SECTION = 'openclawSecrets';
export type ExecPolicy = 'never' | 'ask';

export function isEnabled(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<boolean>('enable', true);
}

export function execPolicy(scope?: vscode.Uri): ExecPolicy {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<string>('exec.policy', 'ask');
  return value === 'never' ? 'never' : 'ask';
}

/** Where plans go: the setting (relative to the config's folder) or openclaw.secrets-plan.json beside the config. */
export function planLocation(configUri: vscode.Uri): vscode.Uri {
  const configured = vscode.workspace
    .getConfiguration(SETTINGS_SECTION, configUri)
    .get<string>('plan.location', '')
    .trim();
  const dir = vscode.Uri.joinPath(configUri, '..');
  if (!configured) return vscode.Uri.joinPath(dir, 'openclaw.secrets-plan.json');
  if (configured.startsWith('/') || /^[A-Za-z]:[\\/]/.test(configured)) return vscode.Uri.file(configured);
  return vscode.Uri.joinPath(dir, configured);
}

/** Stores a finding's fingerprint (never its value) so the server stops reporting it. */
export async function ignoreFinding(args: unknown): Promise<void> {
  const fingerprint =
    typeof args === 'object' && args !== null ? (args as { fingerprint?: unknown }).fingerprint : undefined;
  if (typeof fingerprint !== 'string' || fingerprint.length === 0) {
    void vscode.window.showErrorMessage('OpenClaw: nothing to ignore (the finding carries no fingerprint).');
    return;
  }
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const current = config.get<string[]>('ignoredFingerprints', []);
  if (current.includes(fingerprint)) return;
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await config.update('ignoredFingerprints', [...current, fingerprint], target);
}
