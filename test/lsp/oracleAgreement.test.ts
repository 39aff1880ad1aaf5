// For every oracle example, each `openclaw secrets audit --json` finding and each `openclaw config validate
// --json` issue (OpenClaw 2026.9.6, checked in under fixtures/oracle-expected) has a diagnostic at the same
// path. The cases' inputs are the compat cases; the server sees them in a sandbox, as OpenClaw did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ResolveRequest } from '../../server/src/protocol';
import { startSession, tempDir, uriOf } from './lspHarness';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXPECTED_DIR = path.join(REPO, 'test', 'lsp', 'fixtures', 'oracle-expected');
const CASES_DIR = path.join(REPO, 'test', 'compat', 'cases');

interface Expected {
  validateIssues: { path: string; message: string }[];
  auditFindings: { code: string; file: string; jsonPath: string }[];
}

function copyCase(caseDir: string, stateDir: string): void {
  const subst = (t: string) => t.split('@STATE_DIR@').join(stateDir).split('@HOME@').join(path.dirname(stateDir));
  fs.writeFileSync(
    path.join(stateDir, 'openclaw.json'),
    subst(fs.readFileSync(path.join(caseDir, 'openclaw.json'), 'utf8')),
    { mode: 0o600 },
  );
  if (fs.existsSync(path.join(caseDir, 'dotenv')))
    fs.writeFileSync(path.join(stateDir, '.env'), subst(fs.readFileSync(path.join(caseDir, 'dotenv'), 'utf8')), {
      mode: 0o600,
    });
  const state = path.join(caseDir, 'state');
  if (fs.existsSync(state)) {
    for (const name of fs.readdirSync(state)) {
      const target = path.join(stateDir, name);
      fs.writeFileSync(target, subst(fs.readFileSync(path.join(state, name), 'utf8')));
      fs.chmodSync(target, name.endsWith('.sh') ? 0o700 : 0o600);
    }
  }
}

function readEnv(caseDir: string): Record<string, string> {
  const file = path.join(caseDir, 'env');
  if (!fs.existsSync(file)) return {};
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

const jsonPathOf = (d: Diagnostic) => (d.data as { jsonPath?: string } | undefined)?.jsonPath;

const names = fs
  .readdirSync(EXPECTED_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

test('the checked-in oracle results cover the eleven examples', () => {
  assert.equal(names.length, 11);
});

for (const name of names) {
  test(`oracle agreement: ${name}`, async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(EXPECTED_DIR, `${name}.json`), 'utf8')) as Expected;
    const caseDir = path.join(CASES_DIR, name);
    const root = tempDir('ocs-agree-');
    const stateDir = path.join(root, '.openclaw');
    fs.mkdirSync(stateDir, { mode: 0o700 });
    copyCase(caseDir, stateDir);
    const args = fs.existsSync(path.join(caseDir, 'args')) ? fs.readFileSync(path.join(caseDir, 'args'), 'utf8') : '';
    const s = await startSession({ env: { ...readEnv(caseDir), HOME: root } });
    try {
      const configFile = path.join(stateDir, 'openclaw.json');
      await s.open(configFile, fs.readFileSync(configFile, 'utf8'));
      let dotenv: Diagnostic[] = [];
      if (fs.existsSync(path.join(stateDir, '.env')))
        dotenv = (await s.open(path.join(stateDir, '.env'), fs.readFileSync(path.join(stateDir, '.env'), 'utf8')))
          .diagnostics;
      // The dry-run (with exec only where the oracle ran with --allow-exec), then the diagnostics it leads to.
      const wanted = expected.auditFindings
        .filter((f) => f.file === 'openclaw.json' && f.jsonPath !== '<root>')
        .map((f) => f.jsonPath);
      wanted.push(...expected.validateIssues.map((i) => i.path));
      const settled = s.nextDiagnostics(
        configFile,
        (ds) => wanted.every((p) => ds.some((d) => jsonPathOf(d) === p)),
        20_000,
      );
      await s.client.sendRequest(ResolveRequest, { uri: uriOf(configFile), allowExec: args.includes('--allow-exec') });
      const config = (await settled.catch(() => undefined))?.diagnostics;
      const last = [...s.messages]
        .reverse()
        .find(
          (m) =>
            m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uriOf(configFile),
        );
      const diagnostics = config ?? (last?.params as { diagnostics: Diagnostic[] })?.diagnostics ?? [];
      const shown = diagnostics.map((d) => `${d.code} ${jsonPathOf(d)}`);
      for (const f of expected.auditFindings) {
        if (f.file === '.env')
          assert.ok(
            dotenv.some((d) => jsonPathOf(d) === f.jsonPath),
            `${name}: .env ${f.jsonPath} (${f.code}); got ${JSON.stringify(dotenv.map(jsonPathOf))}`,
          );
        else if (f.jsonPath === '<root>')
          assert.ok(
            diagnostics.some((d) => d.severity === 1),
            `${name}: the invalid config has an error diagnostic`,
          );
        else
          assert.ok(
            diagnostics.some((d) => jsonPathOf(d) === f.jsonPath),
            `${name}: audit ${f.code} at ${f.jsonPath}; got ${JSON.stringify(shown)}`,
          );
      }
      for (const i of expected.validateIssues) {
        assert.ok(
          diagnostics.some((d) => jsonPathOf(d) === i.path && d.severity === 1),
          `${name}: validate issue at ${i.path}; got ${JSON.stringify(shown)}`,
        );
      }
    } finally {
      await s.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}
