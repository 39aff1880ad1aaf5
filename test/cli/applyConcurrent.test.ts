// Two applies of disjoint plans at once serialize through the state dir's lock: neither loses the other's
// conversions (before the lock, one plan's 25 conversions were lost in 20 of 20 runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI, KEYS, listTree, readFiles, runCli, writeFixture, writePlan } from './applyFixture';

const PAIRS = 20;

test(`${PAIRS} pairs of concurrent applies of disjoint plans lose nothing`, { timeout: 300_000 }, async () => {
  assert.ok(existsSync(CLI), `build first: ${CLI} is missing`);
  const root = mkdtempSync(path.join(tmpdir(), 'ocs-concurrent-'));
  try {
    for (let pair = 0; pair < PAIRS; pair++) {
      const fx = writeFixture(root);
      const a = writePlan(fx.dir, 'plan-a.json', [0, KEYS / 2], false);
      const b = writePlan(fx.dir, 'plan-b.json', [KEYS / 2, KEYS], true);
      const before = listTree(fx.dir);
      const [ra, rb] = await Promise.all([
        runCli(['apply', '--from', a], fx.env, fx.dir),
        runCli(['apply', '--from', b], fx.env, fx.dir),
      ]);
      assert.equal(ra.code, 0, `pair ${pair} a: ${ra.stderr}`);
      assert.equal(rb.code, 0, `pair ${pair} b: ${rb.stderr}`);
      const config = JSON.parse(readFiles(fx.dir)['openclaw.json']) as {
        models: { providers: Record<string, { apiKey: unknown }> };
      };
      for (let i = 0; i < KEYS; i++) {
        assert.deepEqual(
          config.models.providers[`p${i}`].apiKey,
          { source: 'env', provider: 'default', id: `TXN_KEY_${i}` },
          `pair ${pair}: p${i} lost its conversion`,
        );
      }
      assert.deepEqual(config.models.providers.openai.apiKey, {
        source: 'env',
        provider: 'default',
        id: 'OPENAI_API_KEY',
      });
      const files = readFiles(fx.dir);
      assert.ok(
        !files['openclaw.json'].includes('CANARY') && !files['.env'].includes('CANARY'),
        `pair ${pair}: plaintext left behind`,
      );
      assert.deepEqual(listTree(fx.dir), before, `pair ${pair}: leftover lock, journal or staged file`);
      rmSync(fx.dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
