// The canary invariant end to end: a state full of `sk-test-CANARY-…` values in every place OpenClaw keeps
// secrets; no CLI output, error, plan, SARIF or new temp file may contain the canary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli as runCliInProcess } from '../helpers/cli';

const CANARY = 'sk-test-CANARY';

const cli = (argv: string[], env: NodeJS.ProcessEnv) => runCliInProcess(argv, env, { cwd: os.tmpdir() });

function listFiles(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function canaryState() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-canary-'));
  const stateDir = path.join(home, '.openclaw');
  const agentDir = path.join(stateDir, 'agents', 'main', 'agent');
  fs.mkdirSync(agentDir, { recursive: true });
  const secretsFile = path.join(stateDir, 'secrets.json');
  fs.writeFileSync(secretsFile, JSON.stringify({ ok: `${CANARY}-FILE`, num: 7 }), { mode: 0o600 });
  const M = '"baseUrl": "https://api.openai.com/v1", "api": "openai-responses", "models": [{ "id": "m", "name": "M" }]';
  fs.writeFileSync(
    path.join(stateDir, 'openclaw.json'),
    `// canary config (JSON5)
{ secrets: { providers: { f: { source: 'file', path: '${secretsFile}' } } },
  gateway: { auth: { mode: 'token', token: '${CANARY}-GW' }, remote: { token: '\${GW_REMOTE}' } },
  models: { mode: 'merge', providers: {
    a: { ${M}, apiKey: '${CANARY}-A', headers: { Authorization: 'Bearer ${CANARY}-H' } },
    b: { ${M}, apiKey: { source: 'file', provider: 'f', id: '/ok' } },
    c: { ${M}, apiKey: { source: 'file', provider: 'f', id: '/num' } },
    d: { ${M}, apiKey: { source: 'env', provider: 'default', id: 'CANARY_ENV' } } } },
  channels: { telegram: { botToken: '${CANARY}-TG' }, discord: { token: '${CANARY}-DC' } },
  skills: { entries: { s: { apiKey: '${CANARY}-SK' } } },
}`,
    { mode: 0o600 },
  );
  fs.writeFileSync(path.join(stateDir, '.env'), `OPENAI_API_KEY=${CANARY}-DOTENV\nGW_REMOTE=${CANARY}-REMOTE\n`, {
    mode: 0o600,
  });
  fs.writeFileSync(
    path.join(agentDir, 'auth-profiles.json'),
    JSON.stringify({
      version: 1,
      profiles: { 'openai:default': { type: 'api_key', provider: 'openai', key: `${CANARY}-AP` } },
    }),
  );
  fs.writeFileSync(
    path.join(agentDir, 'auth.json'),
    JSON.stringify({ openai: { type: 'api_key', key: `${CANARY}-AJ` } }),
  );
  fs.writeFileSync(
    path.join(agentDir, 'models.json'),
    JSON.stringify({ providers: { a: { apiKey: `${CANARY}-MJ`, headers: { 'X-Api-Key': `${CANARY}-MJH` } } } }),
  );
  const plan = path.join(home, 'plan.json');
  fs.writeFileSync(
    plan,
    JSON.stringify({
      version: 1,
      protocolVersion: 1,
      targets: [
        {
          type: 'models.providers.apiKey',
          path: 'models.providers.a.apiKey',
          pathSegments: ['models', 'providers', 'a', 'apiKey'],
          providerId: 'a',
          ref: { source: 'env', provider: 'default', id: 'CANARY_ENV' },
        },
      ],
    }),
  );
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: path.join(stateDir, 'openclaw.json'),
    CANARY_ENV: `${CANARY}-ENV`,
    PATH: process.env.PATH,
  };
  return { home, stateDir, plan, env };
}

test('no audit, resolve or apply dry-run output and no new file contains a canary value', async () => {
  const s = canaryState();
  const before = new Set(listFiles(s.home));
  const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
  try {
    const runs = [
      ['audit'],
      ['audit', '--json'],
      ['audit', '--check', '--format', 'sarif'],
      ['audit', '--allow-exec', '--severity-min', 'error', '--check'],
      ['resolve'],
      ['resolve', '--json'],
      ['apply', '--from', s.plan, '--dry-run', '--json'],
      ['apply', '--from', s.plan, '--dry-run'],
      ['audit', '--format', 'nonsense'],
    ];
    let sawFindings = false;
    for (const argv of runs) {
      const r = await cli(argv, s.env);
      assert.ok(!r.stdout.includes(CANARY), `${argv.join(' ')} stdout leaks the canary`);
      assert.ok(!r.stderr.includes(CANARY), `${argv.join(' ')} stderr leaks the canary`);
      if (argv[0] === 'audit' && argv[1] === '--json') {
        const report = JSON.parse(r.stdout) as { summary: { plaintextCount: number; unresolvedRefCount: number } };
        // The audit really looked at the canaries: plaintext found, the numeric file value unresolved.
        assert.ok(report.summary.plaintextCount >= 5);
        assert.equal(report.summary.unresolvedRefCount, 1);
        sawFindings = true;
      }
    }
    assert.ok(sawFindings);
    for (const file of listFiles(s.home)) {
      if (before.has(file)) continue;
      assert.ok(!fs.readFileSync(file, 'utf8').includes(CANARY), `new file ${file} holds the canary`);
    }
    for (const name of fs.readdirSync(os.tmpdir())) {
      if (tmpBefore.has(name)) continue;
      for (const file of listFiles(path.join(os.tmpdir(), name))) {
        if (file.startsWith(s.home)) continue;
        let text = '';
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        assert.ok(!text.includes(CANARY), `temp file ${file} holds the canary`);
      }
    }
  } finally {
    fs.rmSync(s.home, { recursive: true, force: true });
  }
});
