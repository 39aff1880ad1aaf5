// Our `audit --json` against the real OpenClaw 2026.9.6 on every case folder: exit code, status, summary,
// resolution, files scanned and findings (code, severity, file, jsonPath). Slow: each oracle run takes seconds.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  comparableAudit,
  ensureOracle,
  listCases,
  OUR_CLI,
  runAuditJson,
  type ComparableAudit,
  type Oracle,
} from './oracle';

const cases = listCases();

describe('audit compat with openclaw 2026.9.6', { concurrency: 2 }, () => {
  let oracle: Oracle;
  before(() => {
    assert.ok(fs.existsSync(OUR_CLI), `build first: ${OUR_CLI} is missing`);
    oracle = ensureOracle();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [theirs, ours] = await Promise.all([runAuditJson('oracle', c, oracle), runAuditJson('ours', c)]);
      const expected: ComparableAudit = { ...comparableAudit(theirs), ...(c.expect.ours ?? {}) };
      if (c.expect.ours)
        assert.ok(c.expect.differs, `${c.name}: expect.json overrides the oracle without saying why ("differs")`);
      assert.deepEqual(comparableAudit(ours), expected);
    });
  }
});
