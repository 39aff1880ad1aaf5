// OpenClaw's config schema in a real VS Code: an unknown key is the only error from any source, on the key;
// completion inside gateway.auth.mode offers OpenClaw's modes; a hover on egressProxy shows its description.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticCode, openConfig, SERVER_SOURCE, waitFor, workspaceFile } from './helpers';

const UNKNOWN_KEY = 'someUnknownKey';

function positionOf(document: vscode.TextDocument, snippet: string, delta = 0): vscode.Position {
  const at = document.getText().indexOf(snippet);
  assert.ok(at >= 0, `${snippet} is in ${document.uri.path}`);
  return document.positionAt(at + delta);
}

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

suite("OpenClaw's config schema", () => {
  const unknownKeyConfig = workspaceFile('schema-key', 'openclaw.json');
  const modeConfig = workspaceFile('schema-mode', 'openclaw.json');

  test('an unknown key in the JSON5 config is the one error from any source, on that key', async () => {
    await activateExtension();
    const editor = await openConfig(unknownKeyConfig);
    const all = await waitFor('the schema error on the config with an unknown key', () => {
      const found = vscode.languages.getDiagnostics(unknownKeyConfig);
      return found.some((d) => diagnosticCode(d) === 'CONFIG_SCHEMA_INVALID') ? found : undefined;
    });
    const errors = all.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(
      errors.length,
      1,
      `errors: ${JSON.stringify(errors.map((d) => `${d.source}:${diagnosticCode(d)}:${d.message}`))}`,
    );
    const [error] = errors;
    assert.equal(error.source, SERVER_SOURCE);
    assert.equal(diagnosticCode(error), 'CONFIG_SCHEMA_INVALID');
    assert.match(error.message, /Unknown key "someUnknownKey"/);
    assert.match(error.message, /OpenClaw 2026\.9\.6 schema/);
    const start = positionOf(editor.document, UNKNOWN_KEY);
    assert.deepEqual(
      [error.range.start, error.range.end].map((p) => [p.line, p.character]),
      [
        [start.line, start.character],
        [start.line, start.character + UNKNOWN_KEY.length],
      ],
    );
    assert.equal(editor.document.getText(error.range), UNKNOWN_KEY);
    assert.equal(all.length, 1, `nothing else from any source: ${all.map((d) => String(d.source)).join(', ')}`);
  });

  test('completion inside gateway: { auth: { mode: "|" } } offers OpenClaw\'s modes', async () => {
    const editor = await openConfig(modeConfig);
    const inside = positionOf(editor.document, 'mode: ""', 'mode: "'.length);
    const labels = await waitFor('completion items for gateway.auth.mode', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        modeConfig,
        inside,
      );
      const found = (list?.items ?? []).map(labelOf);
      return found.length ? found : undefined;
    });
    assert.deepEqual([...labels].sort(), ['none', 'password', 'token', 'trusted-proxy'], labels.join(', '));
  });

  test("hover on egressProxy shows OpenClaw's description", async () => {
    const editor = await openConfig(unknownKeyConfig);
    const on = positionOf(editor.document, 'egressProxy', 3);
    const hovers = await waitFor('a hover on egressProxy', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        unknownKeyConfig,
        on,
      );
      return found?.length ? found : undefined;
    });
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /Secret Egress Proxy/);
    assert.match(text, /Gateway-owned loopback proxy that replaces shared-store secret sentinels/);
    assert.match(text, /OpenClaw 2026\.9\.6 schema/);
    const range = hovers.find((h) => h.range)?.range;
    assert.ok(range, 'the hover names the key it is about');
    assert.equal(editor.document.getText(range), 'egressProxy');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
