// The cloud quick fix's client half: ask for the options the recipe requires (Aliyun's region, Azure's
// vault name) with input boxes checked against the recipe's patterns, show progress while the server
// moves the value (or writes the plan), and forward; when the server answers that the CLI is not logged in,
// offer its plan instead. The server decides and does everything else.
import * as vscode from 'vscode';
import type { CloudMoveArgs } from '../../server/src/lsp/backends';
import { backendOptionProblem } from './configureInput';

const PLAN_COMMAND = 'openclawSecrets.planCloudMove';
/** The only server commands a cloud quick fix may forward to. */
const FORWARDS = new Set(['openclawSecrets.moveToBackend', PLAN_COMMAND]);

export async function runCloudMove(arg: unknown): Promise<unknown> {
  const args = (arg ?? {}) as Partial<CloudMoveArgs>;
  if (typeof args.serverCommand !== 'string' || !FORWARDS.has(args.serverCommand) || !args.params)
    throw new Error('the cloud quick fix arrived without its arguments');
  const title = typeof args.title === 'string' ? args.title : 'Move to a cloud secret manager';
  const options = Object.create(null) as Record<string, string>;
  for (const option of Array.isArray(args.ask) ? args.ask : []) {
    const value = await vscode.window.showInputBox({
      title,
      prompt: `${option.label} (${option.key})`,
      ignoreFocusOut: true,
      validateInput: (v) => backendOptionProblem(v, option),
    });
    if (value === undefined) return undefined;
    options[option.key] = value.trim();
  }
  const params = Object.keys(options).length ? { ...args.params, options } : args.params;
  const forward = (command: string, progressTitle: string) =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `OpenClaw: ${progressTitle}`, cancellable: false },
      () => vscode.commands.executeCommand<unknown>(command, params),
    );
  const result = await forward(args.serverCommand, title);
  // The CLI is not logged in (its login check runs only now): nothing was stored; offer the plan instead.
  const notMoved = (result as { notMoved?: unknown } | undefined)?.notMoved;
  if (args.serverCommand !== PLAN_COMMAND && typeof notMoved === 'string') {
    const choice = await vscode.window.showWarningMessage(
      `${notMoved.replace(/\.$/, '')}. Nothing was stored.`,
      WRITE_PLAN,
    );
    if (choice === WRITE_PLAN) return forward(PLAN_COMMAND, `${title} (wrapper + plan)`);
    return undefined;
  }
  return result;
}

const WRITE_PLAN = 'Write the wrapper and a plan instead';
