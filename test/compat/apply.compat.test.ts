// Our `apply --from plan.json --dry-run --json` against the real OpenClaw 2026.9.6 on every case with a plan.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { comparableApply, ensureOracle, listCases, OUR_CLI, runApplyDryRunJson, type Oracle } from './oracle';

const cases = listCases().filter((c) => c.hasPlan);

describe('apply --dry-run compat with openclaw 2026.9.6', { concurrency: 2 }, () => {
  let oracle: Oracle;
  before(() => {
    assert.ok(fs.existsSync(OUR_CLI), `build first: ${OUR_CLI} is missing`);
    oracle = ensureOracle();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [theirs, ours] = await Promise.all([
        runApplyDryRunJson('oracle', c, oracle),
        runApplyDryRunJson('ours', c),
      ]);
      const expected = {
        ...comparableApply(theirs),
        ...((c.expect as { applyOurs?: Record<string, unknown> }).applyOurs ?? {}),
      };
      assert.deepEqual(comparableApply(ours), expected);
    });
  }
});
