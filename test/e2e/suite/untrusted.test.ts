// In an untrusted workspace (restricted mode) the extension still checks files, but exec never runs and no
// consent is asked: the command returns at once instead of waiting on a dialog.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, openConfig, serverDiagnostics, waitFor, workspaceFile } from './helpers';

suite('OpenClaw Secrets in an untrusted workspace', () => {
  test('the workspace is untrusted and the extension runs in limited mode', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await activateExtension();
    assert.equal((await api.client()).state, 2);
  });

  test('plaintext diagnostics still appear', async () => {
    const config = workspaceFile('openclaw.json');
    await openConfig(config);
    await waitFor('PLAINTEXT_FOUND in restricted mode', () =>
      serverDiagnostics(config, 'PLAINTEXT_FOUND').length ? true : undefined,
    );
  });

  test('exec refs are refused without a dialog and the resolver never runs', async () => {
    const execConfig = workspaceFile('exec', 'openclaw.json');
    const marker = path.join(path.dirname(execConfig.fsPath), 'ran.log');
    const result = await vscode.commands.executeCommand<{ skippedExecCount: number; okCount: number }>(
      'openclaw.resolveDryRun',
      execConfig,
    );
    assert.equal(result.skippedExecCount, 1);
    assert.equal(result.okCount, 0);
    assert.ok(!fs.existsSync(marker), 'the resolver did not run');
    const api = await activateExtension();
    assert.deepEqual(api.rememberedExecCommands(), []);
  });
});
