// A store entry holding a redaction placeholder (e.g. a token saved from a redacted UI), judged by the real
// OpenClaw 2026.9.6 and by our CLI on the same openclaw.sqlite: unreferenced, the entry itself is
// PLACEHOLDER_VALUE at `secret_store_entries.<NAME>`; referenced by a store ref, the ref is. OpenClaw's CLI
// refuses to store a placeholder, so the test writes it into the real database with node:sqlite.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  comparableAudit,
  createSandbox,
  ensureOracle,
  OUR_CLI,
  runInSandbox,
  type CompatCase,
  type Oracle,
} from '../compat/oracle';

describe('store entries holding a redaction placeholder', { concurrency: false }, () => {
  let oracle: Oracle;
  let root: string;
  let db: string;

  before(async () => {
    oracle = ensureOracle();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-store-placeholder-'));
    // Make the database with the real CLI, then overwrite the value the way a bad import would.
    const seed = caseDir('seed', '{}');
    const sbx = createSandbox(seed, [path.dirname(oracle.nodeBin)]);
    try {
      const valueFile = path.join(sbx.root, 'v');
      fs.writeFileSync(valueFile, 'sk-test-CANARY-placeholder-seed', { mode: 0o600 });
      const set = await runInSandbox(
        sbx,
        oracle.nodeBin,
        [oracle.openclawMjs, 'secrets', 'store', 'set', 'TEAM_TOKEN', '--kind', 'secret', '--value-file', valueFile],
        180_000,
      );
      assert.equal(set.exitCode, 0, set.stderr);
      const file = path.join(sbx.stateDir, 'state', 'openclaw.sqlite');
      execFileSync(oracle.nodeBin, [
        '-e',
        "const {DatabaseSync}=require('node:sqlite');const d=new DatabaseSync(process.argv[1]);d.prepare(\"UPDATE secret_store_entries SET value='__OPENCLAW_REDACTED__' WHERE name='TEAM_TOKEN'\").run();d.exec('PRAGMA wal_checkpoint(TRUNCATE)');d.close();",
        file,
      ]);
      db = path.join(root, 'openclaw.sqlite');
      fs.copyFileSync(file, db);
    } finally {
      sbx.dispose();
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function caseDir(name: string, config: string): CompatCase {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'openclaw.json'), config);
    return { name, dir, args: [], expect: {}, hasPlan: false, hasStore: false };
  }

  /** `audit --json` in a fresh sandbox holding the prepared database; ours runs on Node 24 (node:sqlite). */
  async function audit(c: CompatCase, side: 'oracle' | 'ours') {
    const sbx = createSandbox(c, [path.dirname(oracle.nodeBin)]);
    try {
      fs.mkdirSync(path.join(sbx.stateDir, 'state'), { mode: 0o700 });
      fs.copyFileSync(db, path.join(sbx.stateDir, 'state', 'openclaw.sqlite'));
      fs.chmodSync(path.join(sbx.stateDir, 'state', 'openclaw.sqlite'), 0o600);
      const args =
        side === 'oracle' ? [oracle.openclawMjs, 'secrets', 'audit', '--json'] : [OUR_CLI, 'audit', '--json'];
      return await runInSandbox(sbx, oracle.nodeBin, args);
    } finally {
      sbx.dispose();
    }
  }

  const model = (apiKey: unknown) => ({
    baseUrl: 'https://api.openai.com/v1',
    api: 'openai-responses',
    models: [{ id: 'gpt-test', name: 'GPT Test' }],
    apiKey,
  });
  const cases: Array<[string, unknown, string]> = [
    ['unreferenced', {}, 'secret_store_entries.TEAM_TOKEN'],
    [
      'referenced',
      {
        models: {
          mode: 'merge',
          providers: { openai: model({ source: 'store', provider: 'default', id: 'TEAM_TOKEN' }) },
        },
      },
      'models.providers.openai.apiKey',
    ],
  ];
  for (const [name, config, jsonPath] of cases) {
    it(`${name}: PLACEHOLDER_VALUE at ${jsonPath}, as OpenClaw says`, async () => {
      const c = caseDir(name, JSON.stringify(config));
      const [theirs, ours] = await Promise.all([audit(c, 'oracle'), audit(c, 'ours')]);
      const expected = comparableAudit(theirs);
      assert.deepEqual(
        expected.findings.map((f) => [f.code, f.jsonPath]),
        [['PLACEHOLDER_VALUE', jsonPath]],
        'the oracle no longer reports the placeholder this way',
      );
      assert.deepEqual(comparableAudit(ours), expected);
    });
  }
});
