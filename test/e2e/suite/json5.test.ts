// openclaw.json written as OpenClaw's docs write it (JSON5) opens in our own language: VS Code's JSON service
// never sees it, so the only problems are our real findings; outline, folding and smart selection come from
// our server. The same text saved as control.json proves the JSON service is running and would have flagged it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticCode, openConfig, SERVER_SOURCE, waitFor, workspaceFile } from './helpers';

const LANGUAGE_ID = 'openclaw-json5';

suite('openclaw.json as JSON5', () => {
  const config = workspaceFile('json5', 'openclaw.json');
  const control = workspaceFile('json5', 'control.json');

  test('opens as our language; every problem is ours and real, while the same text as JSON is flagged', async () => {
    await activateExtension();
    const editor = await openConfig(config);
    assert.equal(editor.document.languageId, LANGUAGE_ID);
    // The control first: once the JSON service has reported on it, it has had its chance at the config too.
    const controlDoc = await vscode.workspace.openTextDocument(control);
    assert.equal(controlDoc.languageId, 'json');
    await vscode.window.showTextDocument(controlDoc, { preview: false, preserveFocus: true });
    const noise = await waitFor(
      'the JSON service flagging control.json',
      () => {
        const found = vscode.languages.getDiagnostics(control).filter((d) => d.source !== SERVER_SOURCE);
        return found.length >= 5 ? found : undefined;
      },
      45_000,
    );
    assert.ok(
      noise.some((d) => d.source === 'json'),
      `the JSON service flags control.json: ${[...new Set(noise.map((d) => String(d.source)))]}`,
    );
    const ours = await waitFor('the plaintext finding on the JSON5 config', () => {
      const all = vscode.languages.getDiagnostics(config);
      return all.some((d) => diagnosticCode(d) === 'PLAINTEXT_FOUND') ? all : undefined;
    });
    assert.deepEqual(
      ours.map((d) => `${d.source}:${diagnosticCode(d)}:${d.range.start.line + 1}`),
      [`${SERVER_SOURCE}:PLAINTEXT_FOUND:21`],
    );
    assert.equal(
      editor.document.getText(ours[0].range).slice(1, -1),
      'sk-test-CANARY-e2e-0123456789abcdef',
      'the range covers the single-quoted value',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('outline and breadcrumbs: the document symbols of the JSON5 config come from our server', async () => {
    await openConfig(config);
    const symbols = await waitFor('document symbols', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        config,
      );
      return found && found.length ? found : undefined;
    });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['secrets', 'models', 'gateway'],
    );
    const providers = symbols[1].children.find((c) => c.name === 'providers')!;
    assert.deepEqual(
      providers.children.map((c) => c.name),
      ['openai', 'anthropic'],
    );
    assert.deepEqual(
      providers.children[1].children.map((c) => c.name),
      ['baseUrl', 'api', 'apiKey', 'models'],
    );
    assert.equal(providers.children[1].children[2].detail, '', 'a string value is never shown in the outline');
  });

  test('folding ranges and smart selection work on JSON5', async () => {
    const editor = await openConfig(config);
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>(
      'vscode.executeFoldingRangeProvider',
      config,
    );
    const lineOf = (snippet: string) => editor.document.positionAt(editor.document.getText().indexOf(snippet)).line;
    assert.ok(
      folds.some((f) => f.start === lineOf('models: {') && f.end === lineOf('    },\n  },\n  gateway')),
      'models folds up to its closing brace',
    );
    const keyAt = editor.document.positionAt(editor.document.getText().indexOf("'merge'") + 2);
    const [selection] = await vscode.commands.executeCommand<vscode.SelectionRange[]>(
      'vscode.executeSelectionRangeProvider',
      config,
      [keyAt],
    );
    const steps: string[] = [];
    for (let r: vscode.SelectionRange | undefined = selection; r; r = r.parent)
      steps.push(editor.document.getText(r.range));
    // VS Code merges our ranges with its word and bracket ranges: ours must all be there, innermost first.
    const ours = ['merge', "'merge'", "mode: 'merge'"].map((t) => steps.indexOf(t));
    assert.ok(
      ours.every((i, n) => i >= 0 && (n === 0 || i > ours[n - 1])),
      `selection steps: ${JSON.stringify(steps.slice(0, 6))}`,
    );
  });
});
