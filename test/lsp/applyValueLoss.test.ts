// The editor's apply never loses a value: a write that would replace a plaintext with a ref resolving to a
// different value answers "needs confirmation" (both fingerprints, no value) and writes only with force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplyPlanRequest, type ApplyNeedsConfirmation } from '../../server/src/protocol';
import { startSession, tempDir, uriOf } from './lspHarness';
import { OPENAI_ENV_PLAN } from '../helpers/plans';

test('applyPlan: a value-losing write answers needsConfirmation with both fingerprints; force writes', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'openclaw.json');
  const text = JSON.stringify(
    {
      models: {
        providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-CANARY-LOSS-held', models: [] } },
      },
    },
    null,
    2,
  );
  fs.writeFileSync(file, text, { mode: 0o600 });
  const planPath = path.join(dir, 'openclaw.secrets-plan.json');
  fs.writeFileSync(planPath, JSON.stringify(OPENAI_ENV_PLAN));
  const s = await startSession({
    env: {
      OPENAI_API_KEY: 'sk-test-CANARY-LOSS-other',
      HOME: dir,
      OPENCLAW_SECRETS_FINGERPRINT_KEY: path.join(dir, '..', `${path.basename(dir)}.key`),
    },
  });
  try {
    await s.open(file, text);
    const request = { uri: uriOf(file), planUri: uriOf(planPath), allowExec: false };
    const dry = (await s.client.sendRequest(ApplyPlanRequest, { ...request, dryRun: true })) as {
      mode: string;
      changed: boolean;
    };
    assert.deepEqual([dry.mode, dry.changed], ['dry-run', true], "the dry-run keeps OpenClaw's answer");
    const refused = (await s.client.sendRequest(ApplyPlanRequest, {
      ...request,
      dryRun: false,
    })) as ApplyNeedsConfirmation;
    assert.equal(refused.ok, false);
    assert.equal(refused.needsConfirmation, 'value-loss');
    assert.equal(refused.conflicts.length, 1);
    const [c] = refused.conflicts;
    assert.equal(c.path, 'models.providers.openai.apiKey');
    assert.equal(c.refKey, 'env:default:OPENAI_API_KEY');
    assert.match(c.held, /^hmac:[0-9a-f]{8}$/);
    assert.match(c.resolved, /^hmac:[0-9a-f]{8}$/);
    assert.notEqual(c.held, c.resolved);
    assert.ok(refused.error.message.includes(c.held) && refused.error.message.includes(c.resolved));
    assert.equal(fs.readFileSync(file, 'utf8'), text, 'nothing written');
    await assert.rejects(
      s.client.sendRequest(ApplyPlanRequest, { ...request, dryRun: false, force: 'yes' as unknown as boolean }),
      /invalid parameters: force: .*expected boolean/,
    );
    const forced = (await s.client.sendRequest(ApplyPlanRequest, { ...request, dryRun: false, force: true })) as {
      mode: string;
      changed: boolean;
    };
    assert.deepEqual([forced.mode, forced.changed], ['write', true]);
    assert.ok(!fs.readFileSync(file, 'utf8').includes('CANARY'));
    assert.ok(!s.serverOutput().includes('CANARY'), 'no value in LSP traffic');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(dir, '..', `${path.basename(dir)}.key`), { force: true });
  }
});

test('quick fix: the env variant says the variable holds a different value (both fingerprints) and never rewrites the field', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'openclaw.json');
  const text = JSON.stringify(
    {
      models: {
        providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-CANARY-QF-held', models: [] } },
      },
    },
    null,
    2,
  );
  const s = await startSession({ env: { OPENAI_API_KEY: 'sk-test-CANARY-QF-other', HOME: dir } });
  try {
    await s.open(file, text);
    const at = text.indexOf('sk-test-CANARY-QF-held');
    const before = text.slice(0, at);
    const pos = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) + 1 };
    const actions = (await s.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(file) },
      range: { start: pos, end: pos },
      context: { diagnostics: [] },
    })) as Array<{ title: string }>;
    const env = actions.find((a) => a.title.startsWith('Convert to SecretRef: env'));
    assert.ok(env, JSON.stringify(actions.map((a) => a.title)));
    assert.match(
      env.title,
      /^Convert to SecretRef: env OPENAI_API_KEY \(add to apply plan; OPENAI_API_KEY holds a different value: hmac:[0-9a-f]{8}, the field hmac:[0-9a-f]{8}; apply refuses until they match\)$/,
    );
    assert.ok(!env.title.includes('rewrite'));
    assert.ok(!s.serverOutput().includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
