// The pre-commit hook as a user runs it: Debian's real `pre-commit`, this repository's .pre-commit-hooks.yaml
// served from a local hook repo, the CLI installed from its npm tarball, and real `git commit`s in a temp repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packAndInstall, REPO, run } from './packedCli';
import { fingerprint, FINGERPRINT_KEY_ENV } from '../../server/src/engine/runtime/fingerprint';

const KEY = 'sk-test-CANARY-precommit-0000000000001';
const OTHER = 'sk-test-CANARY-precommit-env-000000002';

// The child CLI fingerprints under the key its env names; the test computes with the same key.
function sha8(value: string, keyFile: string): string {
  return fingerprint(value, { [FINGERPRINT_KEY_ENV]: keyFile });
}

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

test(
  'pre-commit refuses a commit with a plaintext key (naming its fingerprint) and accepts it once converted to a SecretRef',
  {
    skip: hasPreCommit ? false : 'pre-commit is not installed (Debian package pre-commit; scripts/setup-test-deps.sh)',
  },
  () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-precommit-'));
    try {
      const packed = packAndInstall(root);
      const env: NodeJS.ProcessEnv = {
        ...packed.npmEnv,
        PATH: `${path.join(packed.project, 'node_modules', '.bin')}${path.delimiter}${packed.npmEnv.PATH}`,
        PRE_COMMIT_HOME: path.join(root, 'pre-commit-cache'),
        [FINGERPRINT_KEY_ENV]: path.join(root, 'fingerprint.key'),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.invalid',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.invalid',
      };
      const git = (cwd: string, ...args: string[]) => {
        const r = run('git', args, cwd, env);
        assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
        return r.stdout.trim();
      };

      // The hook repo: this repository's hooks file, committed, as `repo:` points at a clone of ours.
      const hooks = path.join(root, 'hooks');
      fs.mkdirSync(hooks);
      git(hooks, 'init', '-q', '-b', 'main');
      fs.copyFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), path.join(hooks, '.pre-commit-hooks.yaml'));
      git(hooks, 'add', '.');
      git(hooks, 'commit', '-q', '-m', 'hooks');
      const rev = git(hooks, 'rev-parse', 'HEAD');

      const work = path.join(root, 'work');
      fs.mkdirSync(work);
      git(work, 'init', '-q', '-b', 'main');
      fs.writeFileSync(
        path.join(work, '.pre-commit-config.yaml'),
        `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: openclaw-secrets-audit\n`,
      );
      git(work, 'add', '.');
      git(work, 'commit', '-q', '-m', 'pre-commit config');
      const install = run('pre-commit', ['install'], work, env);
      assert.equal(install.status, 0, install.stderr);

      fs.writeFileSync(
        path.join(work, 'openclaw.json'),
        JSON.stringify(
          { models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: KEY } } } },
          null,
          2,
        ) + '\n',
      );
      fs.writeFileSync(path.join(work, '.env'), `OPENAI_API_KEY=${KEY}\nANTHROPIC_API_KEY=${OTHER}\nLOG_LEVEL=debug\n`);
      fs.writeFileSync(path.join(work, 'notes.txt'), 'not a config\n');
      git(work, 'add', 'openclaw.json', '.env', 'notes.txt');
      const refused = run('git', ['commit', '-m', 'add config with a plaintext key'], work, env);
      const said = refused.stdout + refused.stderr;
      assert.notEqual(refused.status, 0, said);
      assert.ok(!said.includes('CANARY'), 'the hook never prints a value');
      assert.match(said, /OpenClaw secrets audit .*Failed/);
      assert.match(
        said,
        new RegExp(
          `openclaw\\.json:\\d+:\\d+: warning \\[PLAINTEXT_FOUND\\] .*\\(fingerprint models\\.providers\\.openai\\.apiKey ${sha8(KEY, path.join(root, 'fingerprint.key'))}\\)`,
        ),
      );
      assert.match(
        said,
        new RegExp(
          `\\.env:1:\\d+: warning \\[DOTENV_PLAINTEXT\\] .*\\(fingerprint \\$env\\.OPENAI_API_KEY ${sha8(KEY, path.join(root, 'fingerprint.key'))}\\)`,
        ),
      );
      assert.match(
        said,
        new RegExp(
          `\\.env:2:\\d+: .*\\(fingerprint \\$env\\.ANTHROPIC_API_KEY ${sha8(OTHER, path.join(root, 'fingerprint.key'))}\\)`,
        ),
      );
      assert.ok(!said.includes('notes.txt'), 'only configs and .env files are passed to the hook');
      assert.equal(git(work, 'rev-list', '--count', 'HEAD'), '1', 'nothing was committed');

      // Convert to SecretRef: an apply plan (as the quick fix writes one), applied by the installed CLI, outside the repo.
      const plan = path.join(root, 'openclaw.secrets-plan.json');
      const target = (provider: string, id: string) => ({
        type: 'models.providers.apiKey',
        path: `models.providers.${provider}.apiKey`,
        pathSegments: ['models', 'providers', provider, 'apiKey'],
        providerId: provider,
        ref: { source: 'env', provider: 'default', id },
      });
      fs.writeFileSync(
        path.join(work, 'openclaw.json'),
        JSON.stringify(
          {
            models: {
              providers: {
                openai: { baseUrl: 'https://api.openai.com/v1', apiKey: KEY },
                anthropic: { baseUrl: 'https://api.anthropic.com', apiKey: OTHER },
              },
            },
          },
          null,
          2,
        ) + '\n',
      );
      fs.writeFileSync(
        plan,
        JSON.stringify({
          version: 1,
          protocolVersion: 1,
          targets: [target('openai', 'OPENAI_API_KEY'), target('anthropic', 'ANTHROPIC_API_KEY')],
        }),
      );
      const applied = run('openclaw-secrets', ['apply', '--from', plan], work, {
        ...env,
        OPENCLAW_CONFIG_PATH: path.join(work, 'openclaw.json'),
        OPENCLAW_STATE_DIR: work,
        OPENAI_API_KEY: KEY,
        ANTHROPIC_API_KEY: OTHER,
      });
      assert.equal(applied.status, 0, applied.stderr);
      assert.ok(
        !fs.readFileSync(path.join(work, 'openclaw.json'), 'utf8').includes('CANARY'),
        'the config holds refs now',
      );
      assert.equal(
        fs.readFileSync(path.join(work, '.env'), 'utf8'),
        'LOG_LEVEL=debug\n',
        'apply scrubbed the moved keys from .env',
      );

      git(work, 'add', 'openclaw.json', '.env');
      const accepted = run('git', ['commit', '-m', 'config with SecretRefs'], work, env);
      assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
      assert.match(accepted.stdout + accepted.stderr, /OpenClaw secrets audit .*Passed/);
      assert.equal(git(work, 'rev-list', '--count', 'HEAD'), '2');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
);
