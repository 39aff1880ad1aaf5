// "OpenClaw: Reload secrets" with no gateway running, inside the real extension host: it says so in one
// line and nothing else changes (no file, no resolution state). Against a real gateway: dom-smoke.js.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { activateExtension, workspaceFile } from './helpers';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

suite('OpenClaw gateway reload', () => {
  test('no gateway running: the Reload command answers one line naming the URL, and nothing else changes', async () => {
    const api = await activateExtension();
    const port = await freePort();
    const config = workspaceFile('nogateway', 'openclaw.json');
    const text = `{ "gateway": { "mode": "local", "port": ${port}, "auth": { "mode": "none" } } }\n`;
    fs.mkdirSync(vscode.Uri.joinPath(config, '..').fsPath, { recursive: true });
    fs.writeFileSync(config.fsPath, text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(config));
    const statusBefore = api.statusBarText();
    const result = await vscode.commands.executeCommand<{ state: string; url: string; message: string }>(
      'openclaw.reload',
      { configUri: config, yes: true },
    );
    assert.ok(result, 'the command returns its outcome');
    assert.equal(result.state, 'unreachable');
    assert.equal(result.url, `ws://127.0.0.1:${port}`);
    assert.match(result.message, /^No gateway reachable at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\./);
    assert.equal(result.message.split('\n').length, 1);
    assert.equal(fs.readFileSync(config.fsPath, 'utf8'), text, 'the config is untouched');
    assert.equal(api.statusBarText(), statusBefore, 'the resolution status is untouched');
  });
});
