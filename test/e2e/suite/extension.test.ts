// Inside a real VS Code (code-server 1.100.3): the extension starts the server, shows diagnostics, converts a
// plaintext key through the quick fix into a plan the real OpenClaw accepts, and reports masked dry-runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateExtension,
  applyCodeAction,
  codeActionsAt,
  diagnosticCode,
  openConfig,
  recordFigure,
  serverDiagnostics,
  waitFor,
  workspaceFile,
} from './helpers';
import { oracleApplyDryRun, oracleInstalled } from './oracle';

// Mirrors test/e2e/workspace.js, which the runner used to create this workspace.
const CANARY = 'sk-test-CANARY-e2e-0123456789abcdef';
const PRESENT_VALUE = 'sk-test-CANARY-e2e-present-value';
const PLAN_NAME = 'openclaw.secrets-plan.json';

interface ResolveResult {
  results: {
    path: string;
    refKey: string;
    ok: boolean;
    code?: string;
    message?: string;
    elapsedMs: number;
    fingerprint?: string;
    skipped?: boolean;
  }[];
  okCount: number;
  errorCount: number;
  skippedExecCount: number;
}

suite('OpenClaw Secrets in VS Code', () => {
  const plainConfig = workspaceFile('openclaw.json');
  let originalText = '';

  suiteSetup(async () => {
    originalText = fs.readFileSync(plainConfig.fsPath, 'utf8');
  });

  test('activates on a workspace with openclaw.json and starts one language server over IPC', async () => {
    const api = await activateExtension();
    const client = await api.client();
    assert.equal(client.state, 2 /* State.Running */);
    if (api.activationMs !== undefined) recordFigure('activationMs', api.activationMs);
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'openclaw.resolveDryRun',
      'openclaw.audit',
      'openclaw.convertAllPlaintext',
      'openclaw.applyPlan',
      'openclaw.configureProviders',
      'openclaw.reload',
      'openclaw.showOutput',
      'openclawSecrets.ignoreFinding',
    ]) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });

  test('a plaintext key gets a diagnostic at its value, naming the path and never the value', async () => {
    const opened = Date.now();
    const editor = await openConfig(plainConfig);
    const [diagnostic] = await waitFor('PLAINTEXT_FOUND on openclaw.json', () => {
      const found = serverDiagnostics(plainConfig, 'PLAINTEXT_FOUND');
      return found.length ? found : undefined;
    });
    recordFigure('openToFirstDiagnosticMs', Date.now() - opened);
    const valueRange = editor.document.getText(diagnostic.range);
    assert.equal(valueRange.replace(/^"|"$/g, ''), CANARY, 'the range covers the plaintext value');
    assert.match(diagnostic.message, /models\.providers\.openai\.apiKey/);
    assert.ok(!diagnostic.message.includes(CANARY), 'the message never holds the value');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('the status bar shows the plaintext count of the active config', async () => {
    const api = await activateExtension();
    await openConfig(plainConfig);
    const text = await waitFor('status bar text', () =>
      /1 plaintext/.test(api.statusBarText()) ? api.statusBarText() : undefined,
    );
    assert.match(text, /OpenClaw: 1 plaintext · not checked/);
  });

  test('quick fix "Convert to SecretRef" (env) rewrites the field and writes an apply plan beside the config', async () => {
    const editor = await openConfig(plainConfig);
    const [diagnostic] = serverDiagnostics(plainConfig, 'PLAINTEXT_FOUND');
    assert.ok(diagnostic, 'the plaintext diagnostic is there');
    const actions = await codeActionsAt(
      plainConfig,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
      /Convert to SecretRef/,
    );
    const envAction = actions.find((a) => /\benv\b/i.test(a.title)) ?? actions[0];
    await applyCodeAction(envAction);
    const planPath = path.join(path.dirname(plainConfig.fsPath), PLAN_NAME);
    const plan = await waitFor(`${PLAN_NAME} with the target`, () => {
      if (!fs.existsSync(planPath)) return undefined;
      const parsed = JSON.parse(fs.readFileSync(planPath, 'utf8')) as {
        targets?: { path: string; ref: { source: string; id: string } }[];
      };
      return parsed.targets?.some((t) => t.path === 'models.providers.openai.apiKey') ? parsed : undefined;
    });
    const target = plan.targets!.find((t) => t.path === 'models.providers.openai.apiKey')!;
    assert.equal(target.ref.source, 'env');
    assert.ok(!fs.readFileSync(planPath, 'utf8').includes(CANARY), 'the plan never holds the value');
    // The runner sets the suggested variable, so the value is stored in the env provider: the field is rewritten.
    assert.equal(process.env[target.ref.id], CANARY, `the runner set ${target.ref.id}`);
    await waitFor('the field rewritten to a SecretRef', () =>
      !editor.document.getText().includes(CANARY) ? true : undefined,
    );
    assert.match(editor.document.getText(), /"source"\s*:\s*"env"/);
    assert.match(editor.document.getText(), /An OpenClaw config with one plaintext key/, 'comments are kept');
    await editor.document.save();
    await waitFor('the plaintext diagnostic cleared', () =>
      serverDiagnostics(plainConfig, 'PLAINTEXT_FOUND').length === 0 ? true : undefined,
    );
  });

  test('the real OpenClaw accepts the plan the quick fix wrote (apply --dry-run)', async function () {
    if (!oracleInstalled()) this.skip();
    this.timeout(120_000);
    const planText = fs.readFileSync(path.join(path.dirname(plainConfig.fsPath), PLAN_NAME), 'utf8');
    const plan = JSON.parse(planText) as { targets: { ref: { id: string } }[] };
    const env = Object.fromEntries(plan.targets.map((t) => [t.ref.id, CANARY]));
    const run = await oracleApplyDryRun(originalText, planText, env);
    assert.equal(run.exitCode, 0, `openclaw secrets apply --dry-run failed: ${run.stdout}${run.stderr}`);
    const output = JSON.parse(run.stdout) as { mode: string; changed: boolean };
    assert.equal(output.mode, 'dry-run');
    assert.equal(output.changed, true);
  });

  test('"Resolve secrets (dry-run)" reports each ref masked, and the failure becomes a diagnostic', async () => {
    const refsConfig = workspaceFile('refs', 'openclaw.json');
    await openConfig(refsConfig);
    const result = await vscode.commands.executeCommand<ResolveResult>('openclaw.resolveDryRun', refsConfig);
    assert.ok(result, 'the command returns its result');
    assert.equal(result.okCount, 1);
    assert.equal(result.errorCount, 1);
    const ok = result.results.find((r) => r.ok)!;
    assert.equal(ok.path, 'models.providers.openai.apiKey');
    assert.equal(ok.refKey, 'env:default:OPENCLAW_E2E_PRESENT_KEY');
    assert.match(ok.fingerprint ?? '', /^hmac:[0-9a-f]{8}$/);
    assert.ok(typeof ok.elapsedMs === 'number' && ok.elapsedMs >= 0);
    const failed = result.results.find((r) => !r.ok)!;
    assert.equal(failed.path, 'models.providers.anthropic.apiKey');
    assert.ok(failed.code, 'the failure carries an error code');
    assert.ok(!JSON.stringify(result).includes(PRESENT_VALUE), 'the result never holds a value');
    await waitFor('a diagnostic for the failed ref', () => {
      const found = serverDiagnostics(refsConfig).filter(
        (d) => /OPENCLAW_E2E_MISSING_KEY|anthropic/.test(d.message) && diagnosticCode(d) !== 'PLAINTEXT_FOUND',
      );
      return found.length ? found : undefined;
    });
    const api = await activateExtension();
    assert.match(api.statusBarText(), /refs failing/);
  });

  test('exec refs are skipped without running anything when exec.policy is "never"', async () => {
    const execConfig = workspaceFile('exec', 'openclaw.json');
    const marker = path.join(path.dirname(execConfig.fsPath), 'ran.log');
    const settings = vscode.workspace.getConfiguration('openclawSecrets');
    await settings.update('exec.policy', 'never', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<ResolveResult>('openclaw.resolveDryRun', execConfig);
      assert.equal(result.skippedExecCount, 1);
      assert.equal(result.okCount, 0);
      assert.ok(!fs.existsSync(marker), 'the resolver did not run');
    } finally {
      await settings.update('exec.policy', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('"Audit secrets" returns OpenClaw\'s audit shape for the config', async () => {
    const refsConfig = workspaceFile('refs', 'openclaw.json');
    const audit = await vscode.commands.executeCommand<{
      status: string;
      findings: { code: string; jsonPath: string }[];
    }>('openclaw.audit', refsConfig);
    assert.equal(audit.status, 'unresolved');
    assert.ok(
      audit.findings.some((f) => f.code === 'REF_UNRESOLVED' && f.jsonPath === 'models.providers.anthropic.apiKey'),
    );
  });

  test('"Ignore this finding" stores the fingerprint in the workspace settings', async () => {
    const settings = () => vscode.workspace.getConfiguration('openclawSecrets');
    try {
      await vscode.commands.executeCommand('openclawSecrets.ignoreFinding', { fingerprint: 'sha256:0badc0de' });
      assert.deepEqual(settings().inspect<string[]>('ignoredFingerprints')?.workspaceValue, ['sha256:0badc0de']);
    } finally {
      await settings().update('ignoredFingerprints', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('the server restarts cleanly and publishes diagnostics again', async () => {
    const refsConfig = workspaceFile('refs', 'openclaw.json');
    await openConfig(refsConfig);
    await vscode.commands.executeCommand('openclaw.restartServer');
    const api = await activateExtension();
    assert.equal((await api.client()).state, 2);
    const result = await vscode.commands.executeCommand<ResolveResult>('openclaw.resolveDryRun', refsConfig);
    assert.equal(result.okCount, 1, 'the restarted server answers requests');
  });
});
