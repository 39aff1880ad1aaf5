// The palette commands (category "OpenClaw"). Each returns its result so other extensions and tests can use it.
import * as vscode from 'vscode';
import { AuditRequest, ExecCommandsRequest, ResolveRequest, type ResolveResult } from '../../server/src/protocol';
import { runApplyPlanFlow, type ApplyPlanArgs, type ApplyPlanReport } from './applyPlanFlow';
import { pickConfigFile } from './configFiles';
import { runConfigureFlow, type ConfigureChoices, type ConfigureResult } from './configureFlow';
import { describeExecDecision, type ExecConsent } from './execConsent';
import type { SecretsServer } from './languageClient';
import { renderAuditResult, renderResolveResult, summarizeResolve, writeBlock } from './resolveView';
import { ignoreFinding } from './settings';
import { runCloudMove } from './cloudMove';
import type { SecretsStatusBar } from './statusBar';
import {
  offerGatewayReload,
  runGatewayReload,
  type GatewayReloadArgs,
  type GatewayReloadOutcome,
  type GatewayStatusItem,
} from './gatewayReload';

export const COMMANDS = {
  resolveDryRun: 'openclaw.resolveDryRun',
  audit: 'openclaw.audit',
  convertAll: 'openclaw.convertAllPlaintext',
  applyPlan: 'openclaw.applyPlan',
  configure: 'openclaw.configureProviders',
  reload: 'openclaw.reload',
  showOutput: 'openclaw.showOutput',
  revokeExecConsent: 'openclaw.revokeExecConsent',
  restartServer: 'openclaw.restartServer',
  // Called by the server's "Ignore this finding" code action; not in the palette.
  ignoreFinding: 'openclawSecrets.ignoreFinding',
  // Called by the server's cloud quick fixes (asks for options, shows progress, forwards); not in the palette.
  cloudMove: 'openclawSecrets.cloudMove',
} as const;

export interface CommandDeps {
  context: vscode.ExtensionContext;
  server: SecretsServer;
  consent: ExecConsent;
  output: vscode.OutputChannel;
  statusBar: SecretsStatusBar;
  /** the running gateway's status bar item */
  gatewayItem: GatewayStatusItem;
}

export interface ConvertAllResult {
  applied: string[];
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { server, consent, output, statusBar } = deps;
  const gatewayDeps = { client: () => server.running(), output, item: deps.gatewayItem };
  const register = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        // Errors come from the server or the CLI: codes, paths and ref keys, never values.
        const message = err instanceof Error ? err.message : String(err);
        output.appendLine(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(`OpenClaw: ${message}`);
        return undefined;
      }
    });

  /** The config to act on, the running server, and the person's exec decision for exactly its commands. */
  const withConsent = async (arg: unknown) => {
    const uri = await pickConfigFile(arg);
    if (!uri) return undefined;
    const client = await server.running();
    await syncDocument(uri);
    const { commands } = await client.sendRequest(ExecCommandsRequest, { uri: uri.toString() });
    const decision = await consent.decide(commands, uri);
    // The server runs exec only if the config's commands are still the ones the person was asked about.
    const params = {
      uri: uri.toString(),
      allowExec: decision.allowExec,
      allowedCommands: decision.allowExec ? [...commands] : [],
    };
    return { uri, client, decision, params };
  };

  return [
    register(COMMANDS.resolveDryRun, async (arg): Promise<ResolveResult | undefined> => {
      const target = await withConsent(arg);
      if (!target) return undefined;
      const { uri, client, decision, params } = target;
      const result = await client.sendRequest(ResolveRequest, params);
      writeBlock(
        output,
        renderResolveResult(result, vscode.workspace.asRelativePath(uri), describeExecDecision(decision.decision)),
      );
      statusBar.setResolution(uri, result.errorCount > 0 ? 'failed' : 'ok');
      const summary = `OpenClaw dry-run: ${summarizeResolve(result)}`;
      const show = result.errorCount > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(summary, 'Show output').then((answer) => answer && output.show(true));
      return result;
    }),

    register(COMMANDS.audit, async (arg): Promise<unknown> => {
      const target = await withConsent(arg);
      if (!target) return undefined;
      const { uri, client, decision, params } = target;
      const result = await client.sendRequest(AuditRequest, params);
      const rendered = renderAuditResult(result, vscode.workspace.asRelativePath(uri));
      writeBlock(output, [...rendered.lines, `  ${describeExecDecision(decision.decision)}`]);
      void vscode.window
        .showInformationMessage(`OpenClaw audit: ${rendered.summary}`, 'Show output')
        .then((answer) => answer && output.show(true));
      return result;
    }),

    register(COMMANDS.convertAll, async (arg): Promise<ConvertAllResult | undefined> => {
      const uri = await pickConfigFile(arg);
      if (!uri) return undefined;
      await server.running();
      const applied = await applyFixAll(uri);
      const message = applied.length ? `OpenClaw: ${applied.join('; ')}` : 'OpenClaw: no plaintext to convert.';
      void vscode.window.showInformationMessage(message);
      return { applied };
    }),

    register(COMMANDS.applyPlan, async (arg): Promise<ApplyPlanReport | undefined> => {
      const given = (arg ?? {}) as Partial<ApplyPlanArgs>;
      const configUri = given.configUri ?? (await pickConfigFile(arg instanceof vscode.Uri ? undefined : arg));
      if (!configUri) return undefined;
      const confirm = typeof given.confirm === 'function' ? given.confirm : undefined;
      const confirmValueLoss = typeof given.confirmValueLoss === 'function' ? given.confirmValueLoss : undefined;
      const report = await runApplyPlanFlow(
        { configUri, planUri: given.planUri, yes: given.yes === true, confirm, confirmValueLoss },
        server,
        consent,
        output,
      );
      // The running gateway keeps its old snapshot until reloaded: offer it (no gateway: nothing shown).
      if (report?.written?.ok && report.written.changed)
        void offerGatewayReload(configUri, gatewayDeps).catch(() => undefined);
      return report;
    }),

    register(COMMANDS.configure, async (arg): Promise<ConfigureResult | undefined> => {
      const given = (arg ?? {}) as { configUri?: vscode.Uri } & Partial<ConfigureChoices>;
      const uri = given.configUri ?? (await pickConfigFile(arg));
      if (!uri) return undefined;
      const choices =
        Array.isArray(given.providers) && Array.isArray(given.mappings)
          ? { providers: given.providers, mappings: given.mappings }
          : undefined;
      return runConfigureFlow(uri, server, output, choices);
    }),

    register(COMMANDS.reload, async (arg): Promise<GatewayReloadOutcome | undefined> => {
      // Reloads the running gateway (the server connects); arg: a config Uri or { configUri, yes }.
      const given = (arg && !(arg instanceof vscode.Uri) && typeof arg === 'object' ? arg : {}) as GatewayReloadArgs;
      const uri = given.configUri ?? (await pickConfigFile(arg instanceof vscode.Uri ? arg : undefined));
      if (!uri) return undefined;
      return runGatewayReload(uri, gatewayDeps, { yes: given.yes === true });
    }),

    register(COMMANDS.showOutput, async () => output.show(true)),

    register(COMMANDS.revokeExecConsent, async () => {
      const count = await consent.revoke();
      void vscode.window.showInformationMessage(
        `OpenClaw: exec consent revoked for this workspace (${count} command(s)).`,
      );
      return count;
    }),

    register(COMMANDS.restartServer, async () => {
      await server.restart();
      output.appendLine('Language server restarted.');
      return true;
    }),

    register(COMMANDS.ignoreFinding, async (args) => ignoreFinding(args)),

    register(COMMANDS.cloudMove, async (args) => runCloudMove(args)),
  ];
}

/** Opens the config (not shown) so the server answers from the editor's text, saved or not. */
async function syncDocument(uri: vscode.Uri): Promise<void> {
  await vscode.workspace.openTextDocument(uri);
}

/** Runs the server's "convert all plaintext" (source.fixAll) actions on a config: edit, then its command. */
async function applyFixAll(uri: vscode.Uri): Promise<string[]> {
  const document = await vscode.workspace.openTextDocument(uri);
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      whole,
      vscode.CodeActionKind.SourceFixAll.value,
      10,
    )) ?? [];
  const applied: string[] = [];
  for (const action of actions) {
    if (!('kind' in action) || !action.kind || !vscode.CodeActionKind.SourceFixAll.contains(action.kind)) continue;
    if (action.edit && !(await vscode.workspace.applyEdit(action.edit)))
      throw new Error(`could not apply "${action.title}"`);
    if (action.command)
      await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    applied.push(action.title);
  }
  return applied;
}
