// Cloud secret managers as real move backends: AWS through Debian's real `aws` CLI against a local
// Secrets Manager/STS endpoint, Vault and Azure through stand-ins with a stateful store (labelled as such).
// Each move is checked by what the backend holds and ends with the real OpenClaw `secrets audit
// --allow-exec` resolving every moved ref with no plaintext left. Failures: not logged in (the probe names
// why; the CLI and editor then fall back to the plan), a failing store, a read back that differs; each
// leaves openclaw.json byte-identical. Vault: a path holding another field is patched, never replaced.
// Canary: the value is in no argv, no message, and no file but the backend's store.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { moveToBackend } from '../../server/src/engine/backends/moveToBackend';
import { cloudBackend } from '../../server/src/engine/backends/cloudPlan';
import {
  backendSandbox,
  modelProvider,
  moveRefusal,
  oracleAudit,
  type BackendSandbox,
} from '../helpers/backendSandbox';
import {
  argvLog,
  installAwsShim,
  installStandIn,
  setLoggedIn,
  refusalWhileStore,
  standInStore,
  startAwsEndpoint,
  type AwsEndpoint,
} from '../helpers/cloudStandIns';

const KEYS = {
  openai: 'sk-test-CANARY-cloudmove-aws-1',
  groq: 'sk-test-CANARY-cloudmove-vault-2',
  mistral: 'sk-test-CANARY-cloudmove-vault-3',
  deepseek: 'sk-test-CANARY-cloudmove-azure-4',
  qwen: 'sk-test-CANARY-cloudmove-aliyun-5',
};
const OTHER_FIELD = 'kept-by-patch-not-a-canary';
const AWS_FAKE = { AWS_ACCESS_KEY_ID: 'AKIAOCSTESTFAKE00000', AWS_SECRET_ACCESS_KEY: 'ocs-test-not-a-real-key' };
const field = (name: string) => ['models', 'providers', name, 'apiKey'];

/** Every file under `dir` whose text holds `needle`, but the stand-ins' stores. */
function filesHolding(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name === 'secrets.json') continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(file).includes(needle)) hits.push(file);
  }
  return hits;
}

describe('cloud backends: the real move when the CLI is logged in', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  let aws: AwsEndpoint;
  let configText: string;
  let env: NodeJS.ProcessEnv;
  const bin = () => path.join(sbx.root, 'cloud-bin');

  before(async () => {
    aws = await startAwsEndpoint();
    sbx = backendSandbox('ocs-cloud-move-', AWS_FAKE);
    installAwsShim(bin());
    installStandIn(bin(), 'vault', { 'secret/openclaw/shared#other': OTHER_FIELD });
    installStandIn(bin(), 'az');
    installStandIn(bin(), 'aliyun');
    env = {
      ...sbx.env,
      PATH: `${['aws', 'vault', 'az', 'aliyun'].map((t) => path.join(bin(), t)).join(':')}:${sbx.env.PATH}`,
    };
    configText = sbx.writeConfig({
      models: {
        mode: 'merge',
        providers: Object.fromEntries(
          Object.entries(KEYS).map(([name, key]) => [name, modelProvider(key, `https://api.${name}.example/v1`)]),
        ),
      },
    });
  });
  after(async () => {
    await aws?.close();
    sbx?.dispose();
  });

  const vault = () => cloudBackend('vault', {});
  const azure = () => cloudBackend('azure', { vaultName: 'ocs-test-vault' });
  const awsBackend = () => cloudBackend('aws', { region: 'us-east-1', endpointUrl: aws.url });

  it('not logged in: the probe says why, nothing is stored, openclaw.json is byte-identical', async () => {
    setLoggedIn(bin(), 'vault', false);
    try {
      const probe = await vault().probe({ location: sbx.location, env, config: {}, timeoutMs: 30_000 });
      assert.equal(probe.usable, false);
      assert.match(probe.reason ?? '', /not logged in.*no valid Vault token.*vault token lookup/);
      const err = await moveRefusal(
        moveToBackend({ backend: vault(), location: sbx.location, env, fields: [{ path: field('groq') }] }),
      );
      assert.equal(err.step, 'probe');
      aws.loggedOut = true;
      const awsProbe = await awsBackend().probe({ location: sbx.location, env, config: {}, timeoutMs: 30_000 });
      assert.equal(awsProbe.usable, false);
      assert.match(awsProbe.reason ?? '', /aws sts get-caller-identity/);
    } finally {
      setLoggedIn(bin(), 'vault', true);
      aws.loggedOut = false;
    }
    assert.equal(sbx.readConfig(), configText);
    assert.doesNotMatch(argvLog(bin(), 'vault'), /"kv","(put|patch)"/);
  });

  it('the store fails: step "store" is named, openclaw.json is byte-identical', async () => {
    const err = await refusalWhileStore(bin(), 'az', 'fail', () =>
      moveToBackend({
        backend: azure(),
        location: sbx.location,
        env,
        fields: [{ path: field('deepseek'), name: 'openclaw-deepseek' }],
      }),
    );
    assert.equal(err.step, 'store');
    assert.match(err.message, /failed at step "store": az exited with code 1: Code: Forbidden/);
    assert.equal(sbx.readConfig(), configText);
  });

  it('the backend holds another value than was sent: step "verify", openclaw.json is byte-identical', async () => {
    const err = await refusalWhileStore(bin(), 'vault', 'mangle', () =>
      moveToBackend({
        backend: vault(),
        location: sbx.location,
        env,
        fields: [{ path: field('mistral'), name: 'secret/openclaw/mangled' }],
      }),
    );
    assert.equal(err.step, 'verify');
    assert.match(err.message, /does not hold the same value/);
    assert.equal(sbx.readConfig(), configText);
  });

  it('AWS (real aws CLI): sts login check, create-secret with the value on stdin, read back, applied', async () => {
    const result = await moveToBackend({
      backend: awsBackend(),
      location: sbx.location,
      env,
      fields: [{ path: field('openai'), name: 'openclaw/openai' }],
    });
    assert.deepEqual(
      result.moved.map((m) => [m.path, m.refKey, m.stored]),
      [['models.providers.openai.apiKey', 'exec:aws:openclaw/openai', 'stored']],
    );
    assert.equal(aws.secrets.get('openclaw/openai'), KEYS.openai, 'the endpoint received the value');
    const targets = aws.calls.map((c) => c.target);
    assert.ok(targets.includes('sts.GetCallerIdentity'));
    // Absent first (GetSecretValue: ResourceNotFoundException), then created; never put-secret-value.
    assert.ok(targets.indexOf('secretsmanager.GetSecretValue') < targets.indexOf('secretsmanager.CreateSecret'));
    assert.ok(!targets.includes('secretsmanager.PutSecretValue'));
    assert.ok(aws.calls.every((c) => c.accessKeyId === AWS_FAKE.AWS_ACCESS_KEY_ID));
    const log = argvLog(bin(), 'aws');
    assert.match(log, /secretsmanager create-secret --name openclaw\/openai --secret-string file:\/\/\/dev\/stdin/);
    assert.ok(!log.includes('CANARY'), 'no value in the argv aws was given');
  });

  it('AWS: a secret that exists though it read as absent is not overwritten (ResourceExistsException)', async () => {
    const before = sbx.readConfig();
    const backend = awsBackend();
    // The check reads it as absent; the endpoint then holds it (created meanwhile): create-secret refuses.
    const realExisting = backend.existing.bind(backend);
    backend.existing = async (name, value, ctx) => {
      const state = await realExisting(name, value, ctx);
      aws.secrets.set('openclaw/raced', 'someone-elses-value');
      return state;
    };
    const err = await moveRefusal(
      moveToBackend({
        backend,
        location: sbx.location,
        env,
        fields: [{ path: field('groq'), name: 'openclaw/raced' }],
      }),
    );
    assert.equal(err.step, 'store');
    assert.match(err.message, /ResourceExistsException.*nothing was overwritten/);
    assert.equal(aws.secrets.get('openclaw/raced'), 'someone-elses-value');
    assert.equal(sbx.readConfig(), before);
  });

  it('Vault: a path holding another field is patched (the field survives); a new path is put', async () => {
    const result = await moveToBackend({
      backend: vault(),
      location: sbx.location,
      env,
      fields: [
        { path: field('groq'), name: 'secret/openclaw/shared#groq' },
        { path: field('mistral'), name: 'secret/openclaw/mistral' },
      ],
    });
    assert.deepEqual(
      result.moved.map((m) => m.stored),
      ['stored', 'stored'],
    );
    const store = standInStore(bin(), 'vault');
    assert.equal(store['secret/openclaw/shared#other'], OTHER_FIELD, 'kv put would have erased it');
    assert.equal(store['secret/openclaw/shared#groq'], KEYS.groq);
    assert.equal(store['secret/openclaw/mistral#value'], KEYS.mistral);
    const log = argvLog(bin(), 'vault');
    assert.match(log, /"kv","metadata","get","secret\/openclaw\/shared"/);
    assert.match(log, /"kv","patch","secret\/openclaw\/shared","groq=-"/);
    assert.match(log, /"kv","put","secret\/openclaw\/mistral","value=-"/);
    assert.doesNotMatch(log, /"kv","put","secret\/openclaw\/shared"/);
    assert.ok(!log.includes('CANARY'));
  });

  it('Azure: the vault name option reaches wrapper and store; read back; applied', async () => {
    const result = await moveToBackend({
      backend: azure(),
      location: sbx.location,
      env,
      fields: [{ path: field('deepseek'), name: 'openclaw-deepseek' }],
    });
    assert.equal(result.moved[0].refKey, 'exec:azure:openclaw-deepseek');
    assert.equal(standInStore(bin(), 'az')['openclaw-deepseek'], KEYS.deepseek);
    assert.match(
      argvLog(bin(), 'az'),
      /"keyvault","secret","set","--vault-name","ocs-test-vault","--name","openclaw-deepseek","--file","\/dev\/stdin"/,
    );
  });

  it('Aliyun: SecretData from a 0600 temp file (--SecretData-FILE), gone after the CLI exits; applied', async () => {
    const aliyun = () => cloudBackend('aliyun', { region: 'cn-hangzhou' });
    const err = await refusalWhileStore(bin(), 'aliyun', 'fail', () =>
      moveToBackend({ backend: aliyun(), location: sbx.location, env, fields: [{ path: field('qwen') }] }),
    );
    assert.equal(err.step, 'store');
    assert.match(err.message, /aliyun exited with code 1: Message: This operation for this resource is forbidden/);
    const before = sbx.readConfig();
    const result = await moveToBackend({
      backend: aliyun(),
      location: sbx.location,
      env,
      fields: [{ path: field('qwen'), name: 'openclaw/qwen' }],
    });
    assert.notEqual(sbx.readConfig(), before);
    assert.equal(result.moved[0].refKey, 'exec:aliyun:openclaw/qwen');
    assert.equal(standInStore(bin(), 'aliyun')['openclaw/qwen'], KEYS.qwen);
    const files = fs
      .readFileSync(path.join(bin(), 'aliyun', 'value-files.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { path: string; mode: number; dirMode: number });
    assert.equal(files.length, 2);
    for (const f of files) {
      assert.deepEqual([f.mode, f.dirMode], [0o600, 0o700]);
      assert.ok(!fs.existsSync(path.dirname(f.path)), `${f.path} was left behind`);
    }
    const log = argvLog(bin(), 'aliyun');
    assert.match(log, /"sts","GetCallerIdentity","--region","cn-hangzhou"/);
    assert.match(
      log,
      /"kms","CreateSecret","--SecretName","openclaw\/qwen","--SecretData-FILE","[^"]+","--VersionId","v1"/,
    );
    assert.ok(!log.includes('CANARY'));
  });

  it('the real OpenClaw audit resolves every moved ref; no plaintext, no value outside the stores', async () => {
    const config = sbx.readConfig();
    for (const key of Object.values(KEYS)) assert.ok(!config.includes(key));
    const audit = await oracleAudit({ ...sbx, env });
    assert.ok(audit.report, audit.stderr);
    assert.equal(audit.report.summary.plaintextCount, 0, JSON.stringify(audit.report.findings));
    assert.equal(audit.report.summary.unresolvedRefCount, 0, JSON.stringify(audit.report.findings));
    assert.ok(!`${audit.stdout}${audit.stderr}`.includes('CANARY'));
    // The value lives only in the backends' stores (base64 in the stand-ins', the endpoint's memory for AWS).
    assert.deepEqual(filesHolding(sbx.root, 'CANARY'), []);
  });
});
