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
