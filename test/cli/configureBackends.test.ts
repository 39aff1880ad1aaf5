// `openclaw-secrets configure --backend`: the move flow from the command line against the real
// `openclaw secrets store` (2026.9.6): flags for CI, questions on a TTY, `--backend list`, a refusal that
// names the step; no value in any output; the real `openclaw secrets audit --allow-exec --json` ends it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/cli';
import { backendSandbox, modelProvider, oracleAudit, type BackendSandbox } from '../helpers/backendSandbox';

const OPENAI_KEY = 'sk-test-CANARY-cli-move-openai-1';
const GROQ_KEY = 'sk-test-CANARY-cli-move-groq-2';

function config() {
  return {
    models: {
      mode: 'merge',
      providers: {
        openai: modelProvider(OPENAI_KEY),
        groq: modelProvider(GROQ_KEY, 'https://api.groq.example/v1'),
      },
    },
  };
}

function noValue(...texts: string[]) {
  for (const t of texts) assert.ok(!t.includes('CANARY'), `a value was printed: ${t.slice(0, 200)}`);
}

describe('openclaw-secrets configure --backend', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  before(() => {
    sbx = backendSandbox('ocs-cli-move-');
    sbx.writeConfig(config());
  });
  after(() => sbx?.dispose());

  it('--backend list: the OpenClaw store is usable with openclaw on PATH, and says why not without it', async () => {
    const withCli = await cli(['configure', '--backend', 'list', '--json'], sbx.env);
    assert.equal(withCli.code, 0, withCli.stderr);
    const listed = JSON.parse(withCli.stdout) as Array<{ id: string; usable: boolean; reason?: string }>;
    assert.deepEqual(
      listed.find((b) => b.id === 'openclaw-store'),
      {
        id: 'openclaw-store',
        label: 'OpenClaw store (openclaw secrets store)',
        usable: true,
      },
    );
    const without = await cli(['configure', '--backend', 'list', '--json'], sbx.envWithoutOpenClaw);
    const store = (JSON.parse(without.stdout) as typeof listed).find((b) => b.id === 'openclaw-store');
    assert.equal(store?.usable, false);
    assert.match(store?.reason ?? '', /openclaw CLI was not found on PATH/);
  });

  it('CLI absent: exit 1, the step named, openclaw.json byte-identical', async () => {
    const before = sbx.readConfig();
    const run = await cli(
      ['configure', '--backend', 'openclaw-store', '--move', 'models.providers.openai.apiKey'],
      sbx.envWithoutOpenClaw,
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /failed at step "probe": OpenClaw store .* is not usable here: the openclaw CLI was not found/,
    );
    noValue(run.stdout, run.stderr);
    assert.equal(sbx.readConfig(), before);
  });

  it('--move without --backend is refused', async () => {
    const run = await cli(['configure', '--move', 'models.providers.openai.apiKey'], sbx.env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--move and --move-all need --backend/);
  });

  it('flags (CI) then prompts (TTY) move both keys; the real audit resolves them and finds no plaintext', async () => {
    const flagged = await cli(
      ['configure', '--backend', 'openclaw-store', '--move', 'models.providers.openai.apiKey'],
      sbx.env,
    );
    assert.equal(flagged.code, 0, flagged.stderr);
    noValue(flagged.stdout, flagged.stderr);
    assert.match(
      flagged.stdout,
      /models\.providers\.openai\.apiKey -> store:default:OPENAI_API_KEY \(stored, read back hmac:[0-9a-f]{8}\)/,
    );
    assert.match(flagged.stderr, /openclaw-store: store\nopenclaw-store: verify\nopenclaw-store: apply/);

    // On a TTY with no --move: the remaining plaintext is listed, picked by number, named by the user.
    const asked = await cli(['configure', '--backend', 'openclaw-store'], sbx.env, {
      tty: true,
      input: '1\nGROQ_TEAM_KEY\n',
    });
    assert.equal(asked.code, 0, asked.stderr);
    noValue(asked.stdout, asked.stderr);
    assert.match(asked.stdout, /1\) models\.providers\.groq\.apiKey\n/);
    assert.match(asked.stdout, /Entry name for models\.providers\.groq\.apiKey \[GROQ_API_KEY\]: /);
    assert.match(asked.stdout, /models\.providers\.groq\.apiKey -> store:default:GROQ_TEAM_KEY \(stored/);

    const written = JSON.parse(sbx.readConfig()) as { models: { providers: Record<string, { apiKey: unknown }> } };
    assert.deepEqual(written.models.providers.openai.apiKey, {
      source: 'store',
      provider: 'default',
      id: 'OPENAI_API_KEY',
    });
    assert.deepEqual(written.models.providers.groq.apiKey, {
      source: 'store',
      provider: 'default',
      id: 'GROQ_TEAM_KEY',
    });

    const audit = await oracleAudit(sbx);
    assert.ok(audit.report, `openclaw secrets audit printed no JSON: ${audit.stderr.slice(0, 300)}`);
    assert.equal(audit.report.summary.plaintextCount, 0, JSON.stringify(audit.report.findings));
    assert.equal(audit.report.summary.unresolvedRefCount, 0, JSON.stringify(audit.report.findings));
    noValue(audit.stdout, audit.stderr);
  });
});
