import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditExitCode, formatAuditText, runSecretsAudit } from '../../server/src/engine/audit/audit';
import { classifyCredentialValue } from '../../server/src/engine/audit/auditClassify';
import { validateSecretsSections } from '../../server/src/engine/audit/auditConfigValidity';
import { matchCredentialPath } from '../../server/src/engine/targets/targetRegistry';
import { auditToSarif } from '../../server/src/engine/audit/sarif';

const target = (p: string[]) => matchCredentialPath('openclaw.json', p)!.target;

test('classify: refs, shorthands, empties, markers and sensitive headers as 9.6 sees them', () => {
  const apiKey = target(['models', 'providers', 'x', 'apiKey']);
  assert.equal(classifyCredentialValue({ source: 'env', provider: 'default', id: 'K' }, apiKey), 'ref');
  assert.equal(classifyCredentialValue('${K}', apiKey), 'env-shorthand');
  assert.equal(classifyCredentialValue('$K', apiKey), 'env-shorthand');
  assert.equal(classifyCredentialValue('  ', apiKey), 'empty');
  assert.equal(classifyCredentialValue('ollama-local', apiKey), 'marker');
  assert.equal(classifyCredentialValue('codex-app-server', apiKey), 'marker');
  assert.equal(classifyCredentialValue('OPENAI_API_KEY', apiKey), 'marker');
  assert.equal(classifyCredentialValue('oauth:openai', apiKey), 'marker');
  assert.equal(classifyCredentialValue('lmstudio', apiKey), 'plaintext');
  assert.equal(classifyCredentialValue({ source: 'env', id: 'bad id', provider: 'x', more: 1 }, apiKey), 'invalid-ref');
  const header = target(['models', 'providers', 'x', 'headers', 'Authorization']);
  assert.equal(
    classifyCredentialValue('Bearer sk-test-CANARY-1', header, undefined, [
      'models',
      'providers',
      'x',
      'headers',
      'Authorization',
    ]),
    'plaintext',
  );
  assert.equal(
    classifyCredentialValue('abc', header, undefined, ['models', 'providers', 'x', 'headers', 'X-Trace']),
    'marker',
  );
  // markers only apply to model apiKeys: a gateway token of "ollama-local" is plaintext
  assert.equal(classifyCredentialValue('ollama-local', target(['gateway', 'auth', 'token'])), 'plaintext');
});

test('config validity: strict secrets block, removed keys and malformed refs make the config invalid; unknown providers do not', () => {
  assert.deepEqual(
    validateSecretsSections({
      secrets: { providers: { e: { source: 'env' } } },
      gateway: { auth: { token: { source: 'exec', provider: 'e', id: 'k' } } },
    }),
    [],
  );
  assert.equal(validateSecretsSections({ secrets: { resolution: {} } }).length, 1);
  assert.deepEqual(
    validateSecretsSections({ cron: { webhookToken: null } }).map((p) => [p.path.join('.'), p.message]),
    [['cron.webhookToken', 'Invalid input']],
  );
  assert.equal(
    validateSecretsSections({ gateway: { auth: { token: { source: 'env', provider: 'default', id: 'lower' } } } })
      .length,
    1,
  );
});

test('audit of a real state: plaintext, unresolved env ref, .env finding, retired auth file; text, exit codes, SARIF', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-audit-'));
  const stateDir = path.join(home, '.openclaw');
  try {
    fs.mkdirSync(path.join(stateDir, 'agents', 'main', 'agent'), { recursive: true });
    const configPath = path.join(stateDir, 'openclaw.json');
    fs.writeFileSync(
      configPath,
      `{
  // plaintext and a ref
  gateway: { auth: { mode: 'token', token: 'sk-test-CANARY-GW' } },
  models: { providers: { openai: { apiKey: '\${MISSING_KEY}' }, local: { apiKey: 'ollama-local' } } },
}`,
    );
    fs.writeFileSync(path.join(stateDir, '.env'), 'OPENAI_API_KEY=sk-test-CANARY-ENV\nOTHER=1\n');
    fs.writeFileSync(path.join(stateDir, 'agents', 'main', 'agent', 'auth-profiles.json'), '{}');
    const report = await runSecretsAudit({
      location: { configPath, stateDir, configDir: stateDir },
      env: {},
      allowExec: false,
    });
    assert.equal(report.status, 'unresolved');
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.jsonPath]),
      [
        ['PLAINTEXT_FOUND', 'gateway.auth.token'],
        ['REF_UNRESOLVED', 'models.providers.openai.apiKey'],
        ['PLAINTEXT_FOUND', '$env.OPENAI_API_KEY'],
        ['LEGACY_RESIDUE', '<root>'],
      ],
    );
    assert.equal(report.findings[1].provider, 'openai');
    assert.deepEqual(report.filesScanned, [path.join(stateDir, '.env'), configPath]);
    assert.equal(auditExitCode(report, false), 2);
    const text = formatAuditText(report);
    assert.match(
      text,
      /^Secrets audit: unresolved\. plaintext=2, unresolved=1, shadowed=0, storeResidue=0, legacy=1\.\n- \[PLAINTEXT_FOUND\] /,
    );
    assert.ok(!text.includes('CANARY') && !JSON.stringify(report).includes('CANARY'));
    const sarif = auditToSarif(report) as unknown as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{ physicalLocation: { region?: { startLine: number; startColumn: number } } }>;
        }>;
      }>;
    };
    const gw = sarif.runs[0].results[0];
    assert.equal(gw.ruleId, 'PLAINTEXT_FOUND');
    assert.deepEqual(
      gw.locations[0].physicalLocation.region && [
        gw.locations[0].physicalLocation.region.startLine,
        gw.locations[0].physicalLocation.region.startColumn,
      ],
      [3, 37],
    );
    assert.equal(sarif.runs[0].results[2].locations[0].physicalLocation.region?.startLine, 1);
    assert.ok(!JSON.stringify(sarif).includes('CANARY'));

    fs.writeFileSync(configPath, '{ gateway: { auth: { token: "sk-test-CANARY-GW" } } }');
    const findingsOnly = await runSecretsAudit({
      location: { configPath, stateDir, configDir: stateDir },
      env: {},
      allowExec: false,
    });
    assert.equal(auditExitCode(findingsOnly, false), 0);
    assert.equal(auditExitCode(findingsOnly, true), 1);
    assert.equal(auditExitCode(findingsOnly, true, 'error'), 0);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
