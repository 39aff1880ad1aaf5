// Exec providers run commands on this machine: only after a person says so, per workspace, never untrusted.
import * as vscode from 'vscode';
import { execPolicy } from './settings';

const CONSENT_KEY = 'openclawSecrets.execConsent.commands';
const ALLOW_REMEMBER = 'Allow in this workspace';
const ALLOW_ONCE = 'Allow once';

export type ExecDecision =
  | 'no-exec' // nothing to run
  | 'untrusted' // restricted mode: exec is off, no question asked
  | 'policy-never' // the setting forbids exec
  | 'remembered' // the same commands were allowed before in this workspace
  | 'granted' // the person allowed it just now
  | 'declined'; // the person said no (or closed the dialog)

export interface ExecConsentResult {
  allowExec: boolean;
  decision: ExecDecision;
}

export class ExecConsent {
  constructor(private readonly workspaceState: vscode.Memento) {}

  /** Commands the person allowed in this workspace (absolute paths, no values). */
  rememberedCommands(): string[] {
    return this.workspaceState.get<string[]>(CONSENT_KEY, []);
  }

  async decide(commands: readonly string[], scope?: vscode.Uri): Promise<ExecConsentResult> {
    if (commands.length === 0) return { allowExec: false, decision: 'no-exec' };
    if (!vscode.workspace.isTrusted) return { allowExec: false, decision: 'untrusted' };
    if (execPolicy(scope) === 'never') return { allowExec: false, decision: 'policy-never' };
    const remembered = new Set(this.rememberedCommands());
    if (commands.every((command) => remembered.has(command))) return { allowExec: true, decision: 'remembered' };

    const unique = [...new Set(commands)].sort();
    const answer = await vscode.window.showWarningMessage(
      `OpenClaw: resolving exec SecretRefs runs ${unique.length === 1 ? 'this command' : `these ${unique.length} commands`} on this machine. Allow?`,
      { modal: true, detail: unique.join('\n') },
      ALLOW_REMEMBER,
      ALLOW_ONCE,
    );
    if (answer === ALLOW_REMEMBER) {
      await this.workspaceState.update(CONSENT_KEY, [...new Set([...remembered, ...unique])].sort());
      return { allowExec: true, decision: 'granted' };
    }
    if (answer === ALLOW_ONCE) return { allowExec: true, decision: 'granted' };
    return { allowExec: false, decision: 'declined' };
  }

  async revoke(): Promise<number> {
    const count = this.rememberedCommands().length;
    await this.workspaceState.update(CONSENT_KEY, undefined);
    return count;
  }
}

/** One line for the output channel saying why exec refs were or were not run. */
export function describeExecDecision(decision: ExecDecision): string {
  switch (decision) {
    case 'no-exec':
      return 'no exec providers in use';
    case 'untrusted':
      return 'exec refs skipped: this workspace is not trusted';
    case 'policy-never':
      return 'exec refs skipped: openclawSecrets.exec.policy is "never"';
    case 'remembered':
      return 'exec allowed (remembered for this workspace)';
    case 'granted':
      return 'exec allowed by you just now';
    case 'declined':
      return 'exec refs skipped: not allowed';
  }
}
