// `openclaw-secrets configure --backend <cloud>`: for a cloud secret manager the move is a plan. The wrapper
// (0700, absolute tools) and provider are written, the plan names the field, the printed command stores the
// value from a file, never a literal; openclaw.json is untouched and the real OpenClaw accepts the plan.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../helpers/cli';
import { backendSandbox, modelProvider, type BackendSandbox } from '../helpers/backendSandbox';
import { argvLog, installStandIn, setLoggedIn, standInStore } from '../helpers/cloudStandIns';

const OPENAI_KEY = 'sk-test-CANARY-cloud-plan-openai-1';

describe(
  'openclaw-secrets configure --backend <cloud> writes wrapper, provider and plan',
  { concurrency: false },
  () => {
    let sbx: BackendSandbox;
    let configText: string;
    before(() => {
      sbx = backendSandbox('ocs-cli-cloud-');
      configText = sbx.writeConfig({ models: { mode: 'merge', providers: { openai: modelProvider(OPENAI_KEY) } } });
    });
    after(() => sbx?.dispose());

    it('vault, not installed here: the wrapper expects it in /usr/local/bin; plan, store command; config untouched', async () => {
      const planPath = path.join(sbx.root, 'vault-plan.json');
      const run = await cli(
        [
          'configure',
          '--backend',
          'vault',
          '--move',
          'models.providers.openai.apiKey=openclaw/openai',
          '--plan-out',
          planPath,
        ],
        sbx.env,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!`${run.stdout}${run.stderr}`.includes('CANARY'), 'no value printed');
      assert.match(run.stdout, /vault is not on PATH: the wrapper expects it at \/usr\/local\/bin\/vault/);
      assert.match(run.stdout, /models\.providers\.openai\.apiKey -> exec:vault:openclaw\/openai/);
      assert.match(run.stdout, /Nothing was stored and openclaw\.json is unchanged/);
      assert.equal(sbx.readConfig(), configText, 'openclaw.json byte-identical');

      const plan = JSON.parse(fs.readFileSync(planPath, 'utf8')) as {
        providerUpserts: Record<string, { source: string; command: string; trustedDirs?: string[] }>;
        targets: Array<{ path: string; ref: { source: string; provider: string; id: string } }>;
      };
      const provider = plan.providerUpserts.vault;
      assert.equal(provider.source, 'exec');
      assert.ok(path.isAbsolute(provider.command));
      assert.equal(fs.statSync(provider.command).mode & 0o777, 0o700, 'the wrapper is 0700');
      assert.ok(fs.readFileSync(provider.command, 'utf8').includes('/usr/local/bin/vault'));
      assert.deepEqual(
        plan.targets.map((t) => [t.path, t.ref]),
        [['models.providers.openai.apiKey', { source: 'exec', provider: 'vault', id: 'openclaw/openai' }]],
      );

      // The real OpenClaw accepts the plan (a dry run without --allow-exec checks it without running the wrapper).
      const oracle = spawnSync(
        sbx.oracle.nodeBin,
        [sbx.oracle.openclawMjs, 'secrets', 'apply', '--from', planPath, '--dry-run', '--json'],
        { env: sbx.env, cwd: sbx.root, encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(oracle.status, 0, oracle.stderr);
      assert.equal(sbx.readConfig(), configText);

      // Regenerating is idempotent: the same wrapper bytes, the plan's target kept once.
      const wrapperBytes = fs.readFileSync(provider.command, 'utf8');
      const again = await cli(
        [
          'configure',
          '--backend',
          'vault',
          '--move',
          'models.providers.openai.apiKey=openclaw/openai',
          '--plan-out',
          planPath,
        ],
        sbx.env,
      );
      assert.equal(again.code, 0, again.stderr);
      assert.equal(fs.readFileSync(provider.command, 'utf8'), wrapperBytes);
      assert.equal((JSON.parse(fs.readFileSync(planPath, 'utf8')) as typeof plan).targets.length, 1);
    });

    it('aws (Debian awscli on PATH) with a region: the store command reads the value from a file, never argv', async () => {
      const planPath = path.join(sbx.root, 'aws-plan.json');
      const run = await cli(
        [
          'configure',
          '--backend',
          'aws',
          '--backend-option',
          'region=eu-west-1',
          '--move',
          'models.providers.openai.apiKey=openclaw/openai',
          '--plan-out',
          planPath,
          '--json',
        ],
        sbx.env,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!`${run.stdout}${run.stderr}`.includes('CANARY'));
      const result = JSON.parse(run.stdout) as {
        expectedTools: Record<string, string>;
        fields: Array<{ store: string }>;
      };
      assert.deepEqual({ ...result.expectedTools }, {}, 'aws was found');
      assert.match(result.fields[0].store, /\/usr\/bin\/aws/);
      assert.match(result.fields[0].store, /eu-west-1/);
      assert.equal(sbx.readConfig(), configText);
    });

    it('refusals: no --plan-out, an unknown backend option value, a path that is no credential', async () => {
      const noPlan = await cli(
        ['configure', '--backend', 'vault', '--move', 'models.providers.openai.apiKey'],
        sbx.env,
      );
      assert.equal(noPlan.code, 1);
      assert.match(noPlan.stderr, /--plan-out <path>/);
      const badRegion = await cli(
        [
          'configure',
          '--backend',
          'aws',
          '--backend-option',
          'region=$(reboot)',
          '--move',
          'models.providers.openai.apiKey',
          '--plan-out',
          path.join(sbx.root, 'bad.json'),
        ],
        sbx.env,
      );
      assert.equal(badRegion.code, 1);
      assert.match(badRegion.stderr, /aws failed at step "wrapper"/);
      assert.equal(fs.existsSync(path.join(sbx.root, 'bad.json')), false);
      assert.equal(sbx.readConfig(), configText);
    });
  },
);

describe('openclaw-secrets configure --backend vault: the real move when logged in', { concurrency: false }, () => {
  const GROQ_KEY = 'sk-test-CANARY-cloud-move-groq-2';
  let sbx: BackendSandbox;
  let env: NodeJS.ProcessEnv;
  let configText: string;
  const bin = () => path.join(sbx.root, 'cloud-bin');
  const move = ['configure', '--backend', 'vault', '--move', 'models.providers.groq.apiKey=secret/openclaw/groq'];
  before(() => {
    sbx = backendSandbox('ocs-cli-cloudmove-');
    installStandIn(bin(), 'vault');
    env = { ...sbx.env, PATH: `${path.join(bin(), 'vault')}:${sbx.env.PATH}` };
    configText = sbx.writeConfig({
      models: { mode: 'merge', providers: { groq: modelProvider(GROQ_KEY, 'https://api.groq.example/v1') } },
    });
  });
  after(() => sbx?.dispose());

  it('--backend list names the cloud backends and whether their CLI is here, without running any of them', async () => {
    const logBefore = argvLog(bin(), 'vault');
    const run = await cli(['configure', '--backend', 'list', '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const listed = JSON.parse(run.stdout) as Array<{ id: string; usable: boolean; reason?: string }>;
    const vault = listed.find((b) => b.id === 'vault');
    assert.equal(vault?.usable, true);
    assert.match(vault?.reason ?? '', /^cloud: moves the value when the CLI is logged in/);
    const onePassword = listed.find((b) => b.id === '1password');
    assert.equal(onePassword?.usable, false);
    assert.match(onePassword?.reason ?? '', /^cloud: op not found on PATH; --plan-out writes the wrapper and a plan$/);
    assert.deepEqual(
      listed
        .map((b) => b.id)
        .filter((id) => ['aws', 'aliyun', 'vault', '1password', 'azure', 'bitwarden'].includes(id)),
      ['aws', 'aliyun', 'vault', '1password', 'azure', 'bitwarden'],
    );
    assert.equal(argvLog(bin(), 'vault'), logBefore, 'listing ran no cloud CLI');
    const text = await cli(['configure', '--backend', 'list'], env);
    assert.match(text.stdout, /^vault\tusable: cloud: moves the value when the CLI is logged in.*\tHashiCorp Vault/m);
  });

  it('not logged in: without --plan-out the reason and the flag are named; with it, the plan and the reason', async () => {
    setLoggedIn(bin(), 'vault', false);
    try {
      const refused = await cli([...move, '--allow-exec'], env);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /vault cannot store the value now \(not logged in.*vault token lookup.*--plan-out <path>/,
      );
      const planPath = path.join(sbx.root, 'vault-plan.json');
      const planned = await cli([...move, '--allow-exec', '--plan-out', planPath], env);
      assert.equal(planned.code, 0, planned.stderr);
      assert.match(planned.stdout, /Not moved: not logged in or not reachable: no valid Vault token/);
      assert.match(planned.stdout, /kv put secret\/openclaw\/groq value=- < \/path\/to\/value-file/);
      assert.ok(fs.existsSync(planPath));
      assert.ok(!`${refused.stdout}${refused.stderr}${planned.stdout}${planned.stderr}`.includes('CANARY'));
    } finally {
      setLoggedIn(bin(), 'vault', true);
    }
    assert.equal(sbx.readConfig(), configText);
    assert.doesNotMatch(argvLog(bin(), 'vault'), /"kv","(put|patch)"/);
  });

  it('logged in without --allow-exec: refused (or the plan), naming --allow-exec', async () => {
    const run = await cli(move, env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /logged in, but --allow-exec was not given.*or re-run with --allow-exec/);
    const all = await cli(['configure', '--backend', 'vault', '--move-all'], env);
    assert.equal(all.code, 1);
    assert.match(all.stderr, /logged in, but --allow-exec was not given/);
    assert.equal(sbx.readConfig(), configText);
  });

  it('logged in with --allow-exec: stored on stdin, read back, applied; what it did is printed, never the value', async () => {
    const run = await cli([...move, '--allow-exec'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /models\.providers\.groq\.apiKey -> exec:vault:secret\/openclaw\/groq \(stored, read back [^)]+\)/,
    );
    assert.match(run.stdout, /Moved 1 value\(s\) to HashiCorp Vault \(KV\); updated 1 file\(s\)/);
    assert.match(run.stderr, /vault: probe\n[\s\S]*vault: store\n[\s\S]*vault: verify\n[\s\S]*vault: apply/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('CANARY'));
    assert.equal(standInStore(bin(), 'vault')['secret/openclaw/groq#value'], GROQ_KEY);
    assert.ok(!argvLog(bin(), 'vault').includes('CANARY'), 'no value in any argv');
    const config = JSON.parse(sbx.readConfig()) as { models: { providers: { groq: { apiKey: unknown } } } };
    assert.deepEqual(config.models.providers.groq.apiKey, {
      source: 'exec',
      provider: 'vault',
      id: 'secret/openclaw/groq',
    });
  });
});

describe(
  'openclaw-secrets configure --backend 1password: plan when logged out, a new item when logged in',
  { concurrency: false },
  () => {
    const KEY = 'sk-test-CANARY-cli-onepass-1';
    let sbx: BackendSandbox;
    let env: NodeJS.ProcessEnv;
    let configText: string;
    const bin = () => path.join(sbx.root, 'cloud-bin');
    const move = ['configure', '--backend', '1password', '--move', 'models.providers.openai.apiKey'];
    const ID = 'Shared/openclaw-models-providers-openai-apiKey/credential';
    before(() => {
      sbx = backendSandbox('ocs-cli-onepass-');
      installStandIn(bin(), 'op');
      env = { ...sbx.env, PATH: `${path.join(bin(), 'op')}:${sbx.env.PATH}` };
      configText = sbx.writeConfig({ models: { mode: 'merge', providers: { openai: modelProvider(KEY) } } });
    });
    after(() => sbx?.dispose());

    it('not logged in: the plan names op whoami and prints the op item create --template step', async () => {
      setLoggedIn(bin(), 'op', false);
      try {
        const planPath = path.join(sbx.root, 'op-plan.json');
        const planned = await cli(
          [...move, '--backend-option', 'vault=Shared', '--allow-exec', '--plan-out', planPath],
          env,
        );
        assert.equal(planned.code, 0, planned.stderr);
        assert.match(planned.stdout, /Not moved: not logged in or not reachable: not signed in.*op whoami/);
        assert.match(planned.stdout, new RegExp(`-> exec:onepassword:${ID}`));
        assert.match(planned.stdout, /item create --vault Shared --template \/path\/to\/value-file .*mode 0600/);
        const plan = fs.readFileSync(planPath, 'utf8');
        assert.match(plan, /"onepassword"/);
        assert.ok(!`${planned.stdout}${planned.stderr}${plan}`.includes('CANARY'));
      } finally {
        setLoggedIn(bin(), 'op', true);
      }
      assert.equal(sbx.readConfig(), configText);
      assert.doesNotMatch(argvLog(bin(), 'op'), /"item","create"/);
    });

    it('logged in with --allow-exec: a new item from a 0600 template file, read back, applied', async () => {
      const run = await cli([...move, '--backend-option', 'vault=Shared', '--allow-exec'], env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`models\\.providers\\.openai\\.apiKey -> exec:onepassword:${ID} \\(stored`));
      assert.ok(!`${run.stdout}${run.stderr}`.includes('CANARY'));
      assert.equal(standInStore(bin(), 'op')[`op://${ID}`], KEY);
      assert.ok(!argvLog(bin(), 'op').includes('CANARY'), 'no value in any argv');
      const config = JSON.parse(sbx.readConfig()) as { models: { providers: { openai: { apiKey: unknown } } } };
      assert.deepEqual(config.models.providers.openai.apiKey, { source: 'exec', provider: 'onepassword', id: ID });
    });
  },
);
