// Our apply writes an auth-profile target into the agent's openclaw-agent.sqlite (made by the real OpenClaw
// 2026.9.6), and the real `openclaw secrets audit --json` reads the result: the profile is there, as a ref.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureOracle, OUR_CLI } from '../compat/oracle';

const OPENAI = 'sk-test-CANARY-sqlapply-openai-1';
const ANTHROPIC = 'sk-test-CANARY-sqlapply-anthropic-2';

function target(profile: string, provider: string, envVar: string) {
  return {
    type: 'auth-profiles.api_key.key',
    path: `profiles.${profile}.key`,
    pathSegments: ['profiles', profile, 'key'],
    agentId: 'main',
    authProfileProvider: provider,
    ref: { source: 'env', provider: 'default', id: envVar },
  };
}

function readStoreRow(nodeBin: string, db: string): string {
  const script =
    "const { DatabaseSync } = require('node:sqlite'); const d = new DatabaseSync(process.argv[1], { readOnly: true });" +
    "console.log(JSON.stringify({ mode: d.prepare('PRAGMA journal_mode').get().journal_mode," +
    ' json: d.prepare("SELECT store_json FROM auth_profile_store WHERE store_key = \'primary\'").get().store_json }));';
  const r = spawnSync(nodeBin, ['-e', script, db], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('apply writes the agent SQLite store; the real audit reads it and finds no plaintext', async () => {
  const oracle = ensureOracle();
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-sqlapply-')));
  try {
    const stateDir = path.join(root, 'state');
    const config = path.join(root, 'openclaw.json');
    fs.mkdirSync(stateDir, { mode: 0o700 });
    const openaiProvider = {
      baseUrl: 'https://api.openai.com/v1',
      api: 'openai-responses',
      models: [{ id: 'gpt-test', name: 'GPT Test' }],
    };
    const configText = `${JSON.stringify({ models: { providers: { openai: { ...openaiProvider, apiKey: OPENAI } } } }, null, 2)}\n`;
    fs.writeFileSync(config, configText, { mode: 0o600 });
    const env = {
      PATH: `${path.dirname(oracle.nodeBin)}:${process.env.PATH ?? ''}`,
      HOME: root,
      OPENCLAW_STATE_DIR: stateDir,
      OPENCLAW_CONFIG_PATH: config,
      NO_COLOR: '1',
      OPENAI_API_KEY: OPENAI,
      ANTHROPIC_API_KEY: ANTHROPIC,
    };
    const plan = (name: string, ...targets: unknown[]) => {
      const file = path.join(root, name);
      fs.writeFileSync(file, JSON.stringify({ version: 1, protocolVersion: 1, targets }));
      return file;
    };
    const run = (nodeBin: string, args: string[]) =>
      spawnSync(nodeBin, args, { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
    // The real OpenClaw makes the agent database (with its own schema) by applying one profile.
    const made = run(oracle.nodeBin, [
      oracle.openclawMjs,
      'secrets',
      'apply',
      '--from',
      plan('a.json', target('openai:manual', 'openai', 'OPENAI_API_KEY')),
      '--json',
    ]);
    assert.equal(made.status, 0, made.stdout + made.stderr);
    const db = path.join(stateDir, 'agents', 'main', 'agent', 'openclaw-agent.sqlite');
    const second = plan('b.json', target('anthropic:work', 'anthropic', 'ANTHROPIC_API_KEY'), {
      type: 'models.providers.apiKey',
      path: 'models.providers.openai.apiKey',
      pathSegments: ['models', 'providers', 'openai', 'apiKey'],
      providerId: 'openai',
      ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
    });
    const configBefore = fs.readFileSync(config, 'utf8');

    if (Number(process.versions.node.split('.')[0]) < 22) {
      // This runtime has no node:sqlite: the dry-run names the database, the write refuses and says why.
      const refused = run(process.execPath, [OUR_CLI, 'apply', '--from', second, '--json']);
      assert.notEqual(refused.status, 0);
      assert.match(refused.stdout + refused.stderr, /Cannot write .*openclaw-agent\.sqlite: .*node:sqlite/);
    }

    const dry = run(oracle.nodeBin, [OUR_CLI, 'apply', '--from', second, '--dry-run', '--json']);
    assert.equal(dry.status, 0, dry.stdout + dry.stderr);
    assert.deepEqual((JSON.parse(dry.stdout) as { changedFiles: string[] }).changedFiles, [config, db]);

    // Another writer holds the database: the write gives up after its busy timeout and changes no file.
    const locker = spawn(
      oracle.nodeBin,
      [
        '-e',
        "const d = new (require('node:sqlite').DatabaseSync)(process.argv[1]); d.exec('BEGIN IMMEDIATE');" +
          " console.log('locked'); setInterval(() => {}, 1000);",
        db,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the locker never took the lock')), 60_000);
        locker.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('locked')) {
            clearTimeout(timer);
            resolve();
          }
        });
        locker.on('exit', () => reject(new Error('the locker exited')));
      });
      const busy = run(oracle.nodeBin, [OUR_CLI, 'apply', '--from', second, '--json']);
      assert.notEqual(busy.status, 0);
      assert.match(busy.stdout + busy.stderr, /Cannot write .*openclaw-agent\.sqlite: database is locked/);
      assert.equal(fs.readFileSync(config, 'utf8'), configBefore, 'no file written when the database refuses');
    } finally {
      const gone = new Promise((resolve) => locker.once('exit', resolve));
      locker.kill();
      await gone;
    }

    const wrote = run(oracle.nodeBin, [OUR_CLI, 'apply', '--from', second, '--json']);
    assert.equal(wrote.status, 0, wrote.stdout + wrote.stderr);
    assert.deepEqual((JSON.parse(wrote.stdout) as { changedFiles: string[] }).changedFiles, [config, db]);
    assert.ok(!fs.readFileSync(config, 'utf8').includes(OPENAI));

    const row = JSON.parse(readStoreRow(oracle.nodeBin, db)) as { mode: string; json: string };
    assert.equal(row.mode, 'wal', 'the database keeps its WAL mode');
    const store = JSON.parse(row.json) as { profiles: Record<string, unknown> };
    assert.deepEqual(store.profiles['anthropic:work'], {
      type: 'api_key',
      provider: 'anthropic',
      keyRef: { source: 'env', provider: 'default', id: 'ANTHROPIC_API_KEY' },
    });
    assert.ok(store.profiles['openai:manual'], 'the profile OpenClaw wrote is kept');

    const audit = run(oracle.nodeBin, [oracle.openclawMjs, 'secrets', 'audit', '--json']);
    const report = JSON.parse(audit.stdout) as {
      filesScanned: string[];
      findings: Array<{ code: string }>;
      resolution: { refsChecked: number };
    };
    assert.ok(report.filesScanned.includes(db), audit.stdout);
    assert.deepEqual(
      report.findings.filter((f) => f.code === 'PLAINTEXT_FOUND' || f.code === 'REF_UNRESOLVED'),
      [],
    );
    assert.equal(
      report.resolution.refsChecked,
      2,
      'OpenClaw resolves both distinct refs (the config and openai profile share one)',
    );
    assert.ok(!audit.stdout.includes(OPENAI) && !audit.stdout.includes(ANTHROPIC));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
