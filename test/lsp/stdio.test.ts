// Smoke test of the compiled server as a program: `node out/server/src/server.js --stdio`, a real initialize,
// diagnostics for an opened config, a clean shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

// Compiled layout: out/test/lsp/stdio.test.js beside out/server/src/server.js.
const SERVER = path.resolve(__dirname, '..', '..', 'server', 'src', 'server.js');

test('the server runs over --stdio and publishes diagnostics', async () => {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) =>
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => resolve(p)),
  );
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  try {
    const init = (await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { trusted: false },
    })) as { serverInfo: { name: string }; capabilities: { executeCommandProvider: { commands: string[] } } };
    assert.equal(init.serverInfo.name, 'openclaw-secrets');
    assert.ok(init.capabilities.executeCommandProvider.commands.includes('openclawSecrets.resolve'));
    assert.ok(
      !init.capabilities.executeCommandProvider.commands.includes('openclawSecrets.ignoreFinding'),
      'the client owns ignoreFinding',
    );
    await conn.sendNotification('initialized', {});
    const uri = 'file:///nonexistent-ocs-smoke/openclaw.json';
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'json',
        version: 1,
        text: '{ gateway: { auth: { token: "sk-test-CANARY-STDIO" } } }',
      },
    });
    const p = await diagnostics;
    assert.equal(p.uri, uri);
    assert.deepEqual(
      p.diagnostics.map((d) => d.code),
      ['PLAINTEXT_FOUND'],
    );
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    conn.dispose();
    proc.kill();
  }
});
