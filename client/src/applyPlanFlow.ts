// "Apply secrets plan...": a dry-run preview through the server first, then the write after confirmation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApplyPlanRequest, ExecCommandsRequest } from '../../server/src/protocol';
import type { ExecConsent } from './execConsent';
import { describeExecDecision } from './execConsent';
import type { SecretsServer } from './languageClient';
import { writeBlock } from './resolveView';
import { planLocation } from './settings';

export const APPLY_BUTTON = 'Apply';
export const REPLACE_BUTTON = 'Replace anyway';

export interface ApplyPlanArgs {
  /** the openclaw.json the plan applies to */
  configUri: vscode.Uri;
  /** the plan file; asked for when absent */
  planUri?: vscode.Uri;
  /** skip the confirmation (programmatic callers that already confirmed, like the CLI's --yes) */
  yes?: boolean;
  /** answers the confirmation in place of the modal, seeing the dry-run preview (tests, other extensions) */
  confirm?: (preview: ApplyOutcome) => boolean | Thenable<boolean>;
  /** answers the value-loss question in place of the modal (tests) */
  confirmValueLoss?: (outcome: ApplyOutcome) => boolean | Thenable<boolean>;
}

/** OpenClaw 9.6 apply JSON, or its error shape. */
export interface ApplyOutcome {
  ok: boolean;
  mode?: 'dry-run' | 'write';
  changed?: boolean;
  changedFiles: string[];
  warnings: string[];
  refsChecked?: number;
  skippedExecRefs?: number;
  errorMessage?: string;
  /** the server refused a write that would replace a plaintext with a different value, pending confirmation */
  needsConfirmation?: 'value-loss';
}

export interface ApplyPlanReport {
  preview: ApplyOutcome;
  written?: ApplyOutcome;
  planUri: vscode.Uri;
}

export async function runApplyPlanFlow(
  args: ApplyPlanArgs,
  server: SecretsServer,
  consent: ExecConsent,
  output: vscode.OutputChannel,
): Promise<ApplyPlanReport | undefined> {
  const planUri = args.planUri ?? (await choosePlanFile(args.configUri));
  if (!planUri) return undefined;
  const client = await server.running();
  // The server answers from the editor's text of the config: make sure it has it.
  await vscode.workspace.openTextDocument(args.configUri);

  // The server reads the plan (a regular file, capped, strictly checked): its exec providers and refs.
  const planExec = await client.sendRequest(ExecCommandsRequest, {
    uri: args.configUri.toString(),
    planUri: planUri.toString(),
  });
  let allowExec = false;
  if (planExec.usesExec) {
    const configured = await client.sendRequest(ExecCommandsRequest, { uri: args.configUri.toString() });
    const decision = await consent.decide([...new Set([...planExec.commands, ...configured.commands])], args.configUri);
    allowExec = decision.allowExec;
    output.appendLine(`Apply ${planUri.fsPath}: ${describeExecDecision(decision.decision)}`);
  }

  const request = { uri: args.configUri.toString(), planUri: planUri.toString(), allowExec };
  const preview = readApplyOutcome(await client.sendRequest(ApplyPlanRequest, { ...request, dryRun: true }));
  writeBlock(output, describeOutcome(`Apply dry-run of ${planUri.fsPath}`, preview));
  if (!preview.ok) {
    void vscode.window.showErrorMessage(`OpenClaw apply dry-run failed: ${preview.errorMessage ?? 'unknown error'}`);
    return { preview, planUri };
  }
  if (!preview.changed) {
    void vscode.window.showInformationMessage('OpenClaw apply: nothing would change.');
    return { preview, planUri };
  }
  if (!args.yes) {
    const confirmed = args.confirm ? await args.confirm(preview) : await askToApply(planUri, preview);
    if (!confirmed) return { preview, planUri };
  }
  let written = readApplyOutcome(await client.sendRequest(ApplyPlanRequest, { ...request, dryRun: false }));
  if (written.needsConfirmation === 'value-loss') {
    writeBlock(output, describeOutcome(`Apply of ${planUri.fsPath} (not written)`, written));
    const replace = args.confirmValueLoss ? await args.confirmValueLoss(written) : await askToReplace(written);
    if (!replace) return { preview, written, planUri };
    written = readApplyOutcome(await client.sendRequest(ApplyPlanRequest, { ...request, dryRun: false, force: true }));
  }
  writeBlock(output, describeOutcome(`Apply of ${planUri.fsPath}`, written));
  if (written.ok)
    void vscode.window.showInformationMessage(`OpenClaw apply: ${written.changedFiles.length} file(s) changed.`);
  else void vscode.window.showErrorMessage(`OpenClaw apply failed: ${written.errorMessage ?? 'unknown error'}`);
  return { preview, written, planUri };
}

async function askToApply(planUri: vscode.Uri, preview: ApplyOutcome): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `Apply ${path.basename(planUri.fsPath)}? ${preview.changedFiles.length} file(s) will change.`,
    { modal: true, detail: [...preview.changedFiles, ...preview.warnings.map((w) => `warning: ${w}`)].join('\n') },
    APPLY_BUTTON,
  );
  return answer === APPLY_BUTTON;
}

/** The server names both fingerprints per target; replacing loses the plaintext, so ask in a modal. */
async function askToReplace(outcome: ApplyOutcome): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    'Some plaintext values differ from what their new refs resolve to. Replacing them loses those values.',
    { modal: true, detail: outcome.errorMessage ?? '' },
    REPLACE_BUTTON,
  );
  return answer === REPLACE_BUTTON;
}

async function choosePlanFile(configUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const defaultPlan = planLocation(configUri);
  const exists = await vscode.workspace.fs.stat(defaultPlan).then(
    () => true,
    () => false,
  );
  const picked = await vscode.window.showOpenDialog({
    title: 'OpenClaw: choose the secrets plan to apply',
    defaultUri: exists ? defaultPlan : vscode.Uri.joinPath(configUri, '..'),
    canSelectMany: false,
    filters: { 'Secrets plan': ['json'] },
  });
  return picked?.[0];
}

function readApplyOutcome(raw: unknown): ApplyOutcome {
  const value = (raw ?? {}) as Record<string, unknown>;
  const error = value.error as { message?: unknown } | undefined;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
  if (value.ok === false || error) {
    return {
      ok: false,
      changedFiles: [],
      warnings: [],
      errorMessage: typeof error?.message === 'string' ? error.message : 'apply failed',
      ...(value.needsConfirmation === 'value-loss' ? { needsConfirmation: 'value-loss' as const } : {}),
    };
  }
  return {
    ok: true,
    mode: value.mode === 'write' ? 'write' : 'dry-run',
    changed: value.changed === true,
    changedFiles: strings(value.changedFiles),
    warnings: strings(value.warnings),
    refsChecked: typeof value.refsChecked === 'number' ? value.refsChecked : undefined,
    skippedExecRefs: typeof value.skippedExecRefs === 'number' ? value.skippedExecRefs : undefined,
  };
}

function describeOutcome(title: string, outcome: ApplyOutcome): string[] {
  if (!outcome.ok) return [title, `  failed: ${outcome.errorMessage}`];
  const lines = [
    title,
    `  ${outcome.changed ? `${outcome.changedFiles.length} file(s) ${outcome.mode === 'write' ? 'changed' : 'would change'}` : 'nothing to change'}; refs checked ${outcome.refsChecked ?? 0}, exec skipped ${outcome.skippedExecRefs ?? 0}`,
  ];
  for (const file of outcome.changedFiles) lines.push(`  - ${file}`);
  for (const warning of outcome.warnings) lines.push(`  warning: ${warning}`);
  return lines;
}
