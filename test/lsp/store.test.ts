// 2026.9.6's secrets surface in the editor over a real LSP connection: store providers and refs, the
// implicit store alias, secrets.defaults.store, secrets.egressProxy and pluginIntegration exec providers are
// valid; store refs are looked up in <state>/state/openclaw.sqlite (not found, unreadable, or not checkable
// on a runtime without node:sqlite and without openclaw, as an information diagnostic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Hover } from 'vscode-languageserver/node';
import { rangeOf, startSession, tempDir, uriOf } from './lspHarness';
import { nodeSqliteAvailable } from '../../server/src/engine/store/sqliteStoreReader';

const CONFIG = `{
  secrets: {
    providers: {
      team: { source: "store" },
      plug: { source: "exec", pluginIntegration: { pluginId: "acme-secrets", integrationId: "secret-store" } },
    },
    defaults: { store: "team" },
    egressProxy: { enabled: true, allowedHosts: ["api.openai.com"], bypassHosts: ["pinned.example.com"] },
  },
  models: {
    providers: {
      p1: { apiKey: { source: "store", provider: "team", id: "NOPE_ONE" } },
      p2: { apiKey: { source: "store", provider: "default", id: "NOPE_TWO" } },
      p3: { apiKey: { source: "exec", provider: "plug", id: "openai/api-key" } },
      p4: { apiKey: { source: "store", provider: "team", id: "lower_case" } },
    },
  },
}
`;

const codes = (ds: Diagnostic[]) => ds.map((d) => [d.code, d.severity, d.range]);

test('store refs, egressProxy and pluginIntegration: valid; missing entries named at the ref; unreadable store said plainly', async () => {
  const dir = tempDir();
  const s = await startSession({ env: { PATH: '/nonexistent-ocs-bin' } });
  try {
    const file = path.join(dir, 'openclaw.json');
    const unresolved = (ds: Diagnostic[]) => ds.some((d) => d.code === 'REF_UNRESOLVED');
    await s.open(file, CONFIG);
    const first = await s.nextDiagnostics(file, unresolved);
    assert.deepEqual(codes(first.diagnostics), [
      ['PROVIDER_PLUGIN_MANAGED', 3, rangeOf(CONFIG, 'pluginIntegration')],
      ['REF_UNRESOLVED', 1, rangeOf(CONFIG, '{ source: "store", provider: "team", id: "NOPE_ONE" }')],
      ['REF_UNRESOLVED', 1, rangeOf(CONFIG, '{ source: "store", provider: "default", id: "NOPE_TWO" }')],
      ['REF_PROVIDER_NOT_DECLARED', 1, rangeOf(CONFIG, '"default"')],
      ['REF_INVALID_ID', 1, rangeOf(CONFIG, '"lower_case"')],
    ]);
    const byCode = new Map(first.diagnostics.map((d) => [String(d.code), d.message] as const).reverse());
    // No state/openclaw.sqlite: OpenClaw answers "not found" for every name, so do we, on every runtime.
    assert.equal(
      byCode.get('REF_UNRESOLVED'),
      'models.providers.p1.apiKey: Failed to resolve store:team:NOPE_ONE (Secret store entry "NOPE_ONE" was not found.).',
    );
    assert.match(
      byCode.get('PROVIDER_PLUGIN_MANAGED') ?? '',
      /comes from plugin "acme-secrets" \(integration "secret-store"\)/,
    );
    assert.equal(
      byCode.get('REF_INVALID_ID'),
      'models.providers.p4.apiKey.id: Store secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (example: "OPENAI_API_KEY").',
    );

    const hover = (await s.client.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(file) },
      position: rangeOf(CONFIG, '"NOPE_ONE"').start,
    })) as Hover;
    const hoverText = (hover.contents as { value: string }).value;
    assert.match(hoverText, /Provider `team`: store: the shared secret store/);
    assert.match(hoverText, /SECRET_REF_NOT_FOUND/);
    const plugHover = (await s.client.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(file) },
      position: rangeOf(CONFIG, '"openai/api-key"').start,
    })) as Hover;
    assert.match((plugHover.contents as { value: string }).value, /exec from plugin `acme-secrets`/);

    // A database that is not one: with node:sqlite a clear "unavailable" error; without it (and without an
    // openclaw on PATH) an information diagnostic that store refs cannot be checked here.
    fs.mkdirSync(path.join(dir, 'state'), { mode: 0o700 });
    fs.writeFileSync(
      path.join(dir, 'state', 'openclaw.sqlite'),
      'not a database, only text long enough to fill a header ...'.repeat(4),
      { mode: 0o600 },
    );
    const edited = CONFIG.replace('"NOPE_ONE"', '"NOPE_ONE" ');
    const next = s.nextDiagnostics(file, (ds) =>
      ds.some(
        (d) => d.code === 'STORE_UNCHECKED' || (d.code === 'REF_UNRESOLVED' && d.message.includes('unavailable')),
      ),
    );
    await s.change(file, edited);
    const after = await next;
    const ref = rangeOf(edited, '{ source: "store", provider: "team", id: "NOPE_ONE"  }');
    if (nodeSqliteAvailable()) {
      const d = after.diagnostics.find((x) => x.code === 'REF_UNRESOLVED');
      assert.deepEqual(d?.range, ref);
      assert.equal(
        d?.message,
        'models.providers.p1.apiKey: Failed to resolve store:team:NOPE_ONE (Secret store database is unavailable (file is not a database).).',
      );
    } else {
      const d = after.diagnostics.find((x) => x.code === 'STORE_UNCHECKED');
      assert.deepEqual([d?.severity, d?.range], [3, ref]);
      assert.match(d?.message ?? '', /store:team:NOPE_ONE cannot be checked here \(this runtime has no node:sqlite/);
      assert.ok(
        !after.diagnostics.some((x) => x.code === 'REF_UNRESOLVED' && x.message.includes('NOPE_ONE')),
        'an unchecked store ref is not an error',
      );
    }
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('completion: "store" among sources, the implicit store alias among providers', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const text = '{ "models": { "providers": { "p": { "apiKey": { "source": "", "provider": "", "id": "X" } } } } }';
    await s.open(file, text);
    const at = (snippet: string, nth = 0) => {
      const r = rangeOf(text, snippet, nth);
      return { line: r.start.line, character: r.start.character + 1 };
    };
    const sources = (await s.client.sendRequest('textDocument/completion', {
      textDocument: { uri: uriOf(file) },
      position: at('""'),
    })) as Array<{ label: string }>;
    assert.deepEqual(
      sources.map((i) => i.label),
      ['env', 'file', 'exec', 'store'],
    );
    const withStore = text.replace('"source": ""', '"source": "store"');
    await s.change(file, withStore);
    const r = rangeOf(withStore, '""');
    const providers = (await s.client.sendRequest('textDocument/completion', {
      textDocument: { uri: uriOf(file) },
      position: { line: r.start.line, character: r.start.character + 1 },
    })) as Array<{ label: string; detail?: string }>;
    assert.deepEqual(
      providers.map((i) => [i.label, i.detail]),
      [['default', 'implicit store provider']],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
