// The openclawSecrets/* requests and their executeCommand twins: resolve dry-run with exec consent (never
// without it, never in an untrusted workspace, never with exec.policy "never"), audit, apply plan, reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ApplyPlanRequest,
  AuditRequest,
  ExecCommandsRequest,
  ReloadRequest,
  ResolveRequest,
  STATUS_NOTIFICATION,
  type ResolveResult,
} from '../../server/src/protocol';
import { startSession, tempDir, uriOf, type LspSessionOptions } from './lspHarness';
import { OPENAI_ENV_PLAN } from '../helpers/plans';

function execFixture() {
  const dir = tempDir();
  const marker = path.join(dir, 'ran.log');
  const script = path.join(dir, 'resolver.sh');
  fs.writeFileSync(
    script,
    `#!/bin/sh\n/bin/cat >/dev/null\necho ran >> ${marker}\nprintf '{"protocolVersion":1,"values":{"k":"sk-test-CANARY-EXEC-CMD"}}'\n`,
  );
  fs.chmodSync(script, 0o700);
  const file = path.join(dir, 'openclaw.json');
  const text = JSON.stringify(
    {
      secrets: { providers: { vault: { source: 'exec', command: script } } },
      talk: { providers: { el: { apiKey: { source: 'exec', provider: 'vault', id: 'k' } } } },
      gateway: { auth: { token: { source: 'env', provider: 'default', id: 'GW_TOKEN' } } },
    },
    null,
    2,
  );
  fs.writeFileSync(file, text);
  return { dir, marker, script, file, text };
}

async function resolveWith(opts: LspSessionOptions, allowExec: boolean) {
  const f = execFixture();
  const s = await startSession({ env: { GW_TOKEN: 'sk-test-CANARY-GW-CMD' }, ...opts });
  try {
    await s.open(f.file, f.text);
    const commands = await s.client.sendRequest(ExecCommandsRequest, { uri: uriOf(f.file) });
    const result = await s.client.sendRequest(ResolveRequest, { uri: uriOf(f.file), allowExec });
    return {
      result,
      commands: commands.commands,
      ran: fs.existsSync(f.marker),
      script: f.script,
      output: s.serverOutput(),
    };
  } finally {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
}

test('resolve with consent runs the exec provider and answers masked results', async () => {
  const r = await resolveWith({}, true);
  assert.equal(r.ran, true);
  assert.deepEqual(r.commands, [r.script]);
  assert.deepEqual(
    (r.result as ResolveResult).results.map((x) => [
      x.path,
      x.refKey,
      x.ok,
      x.lengthClass,
      /^hmac:[0-9a-f]{8}$/.test(x.fingerprint ?? ''),
    ]),
    [
      ['gateway.auth.token', 'env:default:GW_TOKEN', true, 'medium', true],
      ['talk.providers.el.apiKey', 'exec:vault:k', true, 'medium', true],
    ],
  );
  assert.equal((r.result as ResolveResult).okCount, 2);
  assert.ok(!r.output.includes('CANARY'));
});

test('exec never runs without consent, in an untrusted workspace, or with exec.policy "never"', async () => {
  for (const [opts, allow] of [
    [{}, false],
    [{ trusted: false }, true],
    [{ settings: { exec: { policy: 'never' } } }, true],
  ] as const) {
    const r = await resolveWith(opts, allow);
    assert.equal(r.ran, false, JSON.stringify(opts));
    const res = r.result as ResolveResult;
    assert.equal(res.skippedExecCount, 1);
    assert.deepEqual(res.results.find((x) => x.refKey === 'exec:vault:k')?.code, 'SECRET_EXEC_SKIPPED');
  }
});

test('audit, apply plan (dry-run and write) and the same through workspace/executeCommand', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'openclaw.json');
  const text = JSON.stringify(
    {
      models: {
        providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-CANARY-APPLY-1', models: [] } },
      },
    },
    null,
    2,
  );
  fs.writeFileSync(file, text, { mode: 0o600 });
  const planPath = path.join(dir, 'openclaw.secrets-plan.json');
  fs.writeFileSync(planPath, JSON.stringify(OPENAI_ENV_PLAN));
  const s = await startSession({ env: { OPENAI_API_KEY: 'sk-test-CANARY-APPLY-1', HOME: dir } });
  try {
    await s.open(file, text);
    const report = (await s.client.sendRequest(AuditRequest, { uri: uriOf(file), allowExec: false })) as {
      status: string;
      findings: { jsonPath: string; code: string }[];
    };
    assert.equal(report.status, 'findings');
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.jsonPath]),
      [['PLAINTEXT_FOUND', 'models.providers.openai.apiKey']],
    );
    const same = (await s.client.sendRequest('workspace/executeCommand', {
      command: 'openclawSecrets.audit',
      arguments: [{ uri: uriOf(file), allowExec: false }],
    })) as { status: string };
    assert.equal(same.status, 'findings');
    const dry = (await s.client.sendRequest(ApplyPlanRequest, {
      uri: uriOf(file),
      planUri: uriOf(planPath),
      dryRun: true,
      allowExec: false,
    })) as { mode: string; changed: boolean };
    assert.deepEqual([dry.mode, dry.changed], ['dry-run', true]);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    const written = (await s.client.sendRequest(ApplyPlanRequest, {
      uri: uriOf(file),
      planUri: uriOf(planPath),
      dryRun: false,
      allowExec: false,
    })) as { mode: string };
    assert.equal(written.mode, 'write');
    assert.ok(!fs.readFileSync(file, 'utf8').includes('CANARY'));
    const bad = (await s.client.sendRequest(ApplyPlanRequest, {
      uri: uriOf(file),
      planUri: uriOf(path.join(dir, 'missing.json')),
      dryRun: true,
      allowExec: false,
    })) as { ok: boolean; error: { message: string } };
    assert.equal(bad.ok, false);
    assert.match(bad.error.message, /missing\.json/);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('reload: ok, then degraded on a failing ref (last-known-good kept), then recovered; status notified', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'openclaw.json');
  const good = JSON.stringify({ gateway: { auth: { token: { source: 'env', provider: 'default', id: 'GW_TOKEN' } } } });
  const bad = JSON.stringify({
    gateway: { auth: { token: { source: 'env', provider: 'default', id: 'UNSET_TOKEN' } } },
  });
  const s = await startSession({ env: { GW_TOKEN: 'sk-test-CANARY-RELOAD' } });
  try {
    await s.open(file, good);
    const first = await s.client.sendRequest(ReloadRequest, { uri: uriOf(file), allowExec: false });
    assert.deepEqual(first, { state: 'ok', message: 'Secrets reloaded.', warningCount: 0 });
    await s.change(file, bad);
    const degraded = await s.client.sendRequest(ReloadRequest, { uri: uriOf(file), allowExec: false });
    assert.equal(degraded.state, 'degraded');
    assert.equal(
      degraded.message,
      'Secret resolution failed; runtime remains on last-known-good snapshot. gateway.auth.token: Environment variable "UNSET_TOKEN" is missing or empty.',
    );
    await s.change(file, good);
    const recovered = await s.client.sendRequest(ReloadRequest, { uri: uriOf(file), allowExec: false });
    assert.equal(recovered.state, 'recovered');
    const statuses = s.messages
      .filter((m) => m.method === STATUS_NOTIFICATION)
      .map((m) => (m.params as { resolution: string }).resolution);
    assert.deepEqual(statuses.slice(-1), ['ok']);
    assert.ok(statuses.includes('degraded'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('requests for a config that is not open in the editor read it from disk', async () => {
  const f = execFixture();
  const s = await startSession({ env: { GW_TOKEN: 'sk-test-CANARY-GW-CMD' } });
  try {
    const commands = await s.client.sendRequest(ExecCommandsRequest, { uri: uriOf(f.file) });
    assert.deepEqual(commands.commands, [f.script]);
    const result = (await s.client.sendRequest(ResolveRequest, {
      uri: uriOf(f.file),
      allowExec: false,
    })) as ResolveResult;
    assert.deepEqual(
      result.results.map((x) => [x.path, x.ok]),
      [
        ['gateway.auth.token', true],
        ['talk.providers.el.apiKey', false],
      ],
    );
    assert.equal(fs.existsSync(f.marker), false, 'no consent, no exec');
  } finally {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});

test('consent covers only the commands the person was shown: a config changed since then does not run', async () => {
  const f = execFixture();
  const s = await startSession({ env: { GW_TOKEN: 'sk-test-CANARY-GW-CMD' } });
  try {
    await s.open(f.file, f.text);
    const stale = (await s.client.sendRequest(ResolveRequest, {
      uri: uriOf(f.file),
      allowExec: true,
      allowedCommands: ['/usr/local/bin/other-resolver'],
    })) as ResolveResult;
    assert.equal(fs.existsSync(f.marker), false, 'a command nobody allowed must not run');
    assert.equal(stale.results.find((x) => x.refKey === 'exec:vault:k')?.code, 'SECRET_EXEC_SKIPPED');
    const fresh = (await s.client.sendRequest(ResolveRequest, {
      uri: uriOf(f.file),
      allowExec: true,
      allowedCommands: [f.script],
    })) as ResolveResult;
    assert.equal(fs.existsSync(f.marker), true);
    assert.equal(fresh.results.find((x) => x.refKey === 'exec:vault:k')?.ok, true);
  } finally {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});

test('execCommands of a plan: the server reads it (its exec providers and refs); a FIFO or invalid plan answers nothing', async () => {
  const f = execFixture();
  const s = await startSession({});
  try {
    await s.open(f.file, f.text);
    const planPath = path.join(f.dir, 'plan.json');
    fs.writeFileSync(
      planPath,
      JSON.stringify({
        version: 1,
        protocolVersion: 1,
        providerUpserts: { vault2: { source: 'exec', command: f.script } },
        targets: [
          {
            type: 'models.providers.apiKey',
            path: 'models.providers.openai.apiKey',
            providerId: 'openai',
            ref: { source: 'exec', provider: 'vault2', id: 'k' },
          },
        ],
      }),
    );
    const answer = await s.client.sendRequest(ExecCommandsRequest, { uri: uriOf(f.file), planUri: uriOf(planPath) });
    assert.deepEqual(answer, { commands: [f.script], usesExec: true });
    assert.equal(fs.existsSync(f.marker), false, 'naming the commands never runs them');

    const envPlan = path.join(f.dir, 'env-plan.json');
    fs.writeFileSync(envPlan, JSON.stringify(OPENAI_ENV_PLAN));
    const envAnswer = await s.client.sendRequest(ExecCommandsRequest, { uri: uriOf(f.file), planUri: uriOf(envPlan) });
    assert.deepEqual(envAnswer, { commands: [], usesExec: false });

    const fifo = path.join(f.dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const fifoAnswer = await s.client.sendRequest(ExecCommandsRequest, { uri: uriOf(f.file), planUri: uriOf(fifo) });
    assert.deepEqual(fifoAnswer, { commands: [], usesExec: false });
  } finally {
    await s.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});
