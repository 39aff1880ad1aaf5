// The built CLI's start-up caches (server/src/cli/launcher.ts, pieceCodeCache.ts): the first audit writes the
// compiled schema pieces and the prepared schema snapshot, the second V8's code caches, into the user's cache dir
// (user-only modes, nothing in the workspace or state dir); later audits print byte-for-byte the same report;
// broken caches are rewritten; OPENCLAW_SECRETS_CODE_CACHE=0 writes none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI } from './applyFixture';

const PLAIN = 'sk-test-CANARY-startup-plain-000000000001';
const REF_VALUE = 'sk-test-CANARY-startup-ref-000000000002';

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

test('CLI start-up caches: written once in the user cache dir, same report every run, broken ones replaced', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-startup-cache-'));
  try {
    const state = path.join(root, 'state');
    const work = path.join(root, 'work');
    const cacheHome = path.join(root, 'xdg-cache');
    fs.mkdirSync(state, { mode: 0o700 });
    fs.mkdirSync(work);
    const config = {
      secrets: { providers: { envmain: { source: 'env' } } },
      models: {
        providers: {
          a: { baseUrl: 'https://example.invalid/v1', models: [{ id: 'm', name: 'M' }], apiKey: PLAIN },
          b: {
            baseUrl: 'https://example.invalid/v1',
            models: [],
            apiKey: { source: 'env', provider: 'envmain', id: 'OCS_STARTUP_KEY' },
          },
        },
      },
    };
    fs.writeFileSync(path.join(state, 'openclaw.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
    const env = {
      PATH: process.env.PATH,
      HOME: path.join(root, 'home'),
      XDG_CACHE_HOME: cacheHome,
      OPENCLAW_STATE_DIR: state,
      OPENCLAW_CONFIG_PATH: path.join(state, 'openclaw.json'),
      OCS_STARTUP_KEY: REF_VALUE,
    };
    const audit = (extra: NodeJS.ProcessEnv = {}) => {
      const r = spawnSync(process.execPath, [CLI, 'audit', '--json'], {
        cwd: work,
        env: { ...env, ...extra },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      return r.stdout;
    };

    const uncached = audit({ OPENCLAW_SECRETS_CODE_CACHE: '0' });
    assert.deepEqual(listFiles(cacheHome), [], 'OPENCLAW_SECRETS_CODE_CACHE=0 writes no cache');
    assert.equal(JSON.parse(uncached).summary.plaintextCount, 1);

    // The first run prepares the schema and compiles its pieces: it keeps those, but no code cache, which would
    // hold Ajv's compiler for every warm run to load; the second run keeps the code cache.
    assert.equal(audit(), uncached);
    assert.deepEqual(
      listFiles(cacheHome).map((f) => path.dirname(f)),
      [path.join('openclaw-secrets', 'schemas'), path.join('openclaw-secrets', 'schemas')],
    );
    const pieceFile = path.join(cacheHome, 'openclaw-secrets', 'schemas', 'ajv-pieces.json');
    const coldCache = JSON.parse(fs.readFileSync(pieceFile, 'utf8')) as { pieces: object; compiled: object };
    assert.deepEqual(coldCache.compiled, {}, 'code Ajv wrote in this run is not kept compiled');
    assert.equal(audit(), uncached);
    const secondCache = JSON.parse(fs.readFileSync(pieceFile, 'utf8')) as typeof coldCache;
    assert.deepEqual(secondCache.pieces, coldCache.pieces, 'the second run compiled no piece');
    assert.deepEqual(
      Object.keys(secondCache.compiled).sort(),
      Object.keys(coldCache.pieces).sort(),
      'and kept V8 code for each piece it ran',
    );
    const files = listFiles(cacheHome).sort();
    assert.equal(files.length, 3, files.join(', '));
    assert.match(files[0], /^openclaw-secrets\/code\/cli-[0-9a-f]{16}-v[\d.]+-\w+-audit\.v8$/);
    assert.equal(files[1], path.join('openclaw-secrets', 'schemas', 'ajv-pieces.json'));
    assert.match(files[2], /^openclaw-secrets\/schemas\/validation-2026\.9\.6-[0-9a-f]{32}\.jsonl$/);
    for (const f of files) {
      const full = path.join(cacheHome, f);
      assert.equal(fs.statSync(full).mode & 0o777, 0o600, f);
      assert.equal(fs.statSync(path.dirname(full)).mode & 0o777, 0o700, f);
      const bytes = fs.readFileSync(full);
      assert.ok(!bytes.includes(PLAIN) && !bytes.includes(REF_VALUE), `${f} holds no value`);
    }
    // The pieces' V8 code caches are base64 inside the JSON: decoded, they hold no value either.
    for (const v8 of Object.values(secondCache.compiled) as string[]) {
      const bytes = Buffer.from(v8, 'base64');
      assert.ok(
        bytes.length > 0 && !bytes.includes(PLAIN) && !bytes.includes(REF_VALUE),
        'a piece code cache holds no value',
      );
    }
    assert.deepEqual(listFiles(work), [], 'nothing in the working directory');
    assert.deepEqual(listFiles(state), ['openclaw.json'], 'nothing in the state dir');

    // Warm: the same report from the caches.
    const before = files.map((f) => fs.readFileSync(path.join(cacheHome, f)));
    assert.equal(audit(), uncached);
    assert.deepEqual(
      files.map((f) => fs.readFileSync(path.join(cacheHome, f))),
      before,
      'a warm run rewrites nothing',
    );

    // Another build's caches: a fresh one stays, one older than a week goes when this build writes its own.
    const codeDir = path.join(cacheHome, 'openclaw-secrets', 'code');
    const otherFresh = path.join(codeDir, 'cli-0000000000000000-v20.0.0-x64-audit.v8');
    const otherStale = path.join(codeDir, 'cli-1111111111111111-v20.0.0-x64-audit.v8');
    fs.writeFileSync(otherFresh, 'other build');
    fs.writeFileSync(otherStale, 'other build');
    const monthAgo = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
    fs.utimesSync(otherStale, monthAgo, monthAgo);

    // Broken caches (V8 rejects the code cache, the piece cache is not JSON): same report, all rewritten (the
    // schema's by the run that finds them broken, the code cache by the next, warm one).
    for (const f of files) fs.writeFileSync(path.join(cacheHome, f), 'garbage');
    assert.equal(audit(), uncached);
    assert.equal(fs.readFileSync(path.join(cacheHome, files[0]), 'utf8'), 'garbage', 'not from the cold run');
    assert.equal(audit(), uncached);
    for (const f of files) assert.notEqual(fs.readFileSync(path.join(cacheHome, f), 'utf8'), 'garbage', f);
    assert.ok(fs.existsSync(otherFresh), "another build's recent cache stays");
    assert.ok(!fs.existsSync(otherStale), "another build's week-old cache is removed");
    assert.equal(audit(), uncached);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the launcher beside a missing, FIFO or edited bundle: says which file and stops, or runs it under its own cache key', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-launcher-'));
  try {
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    fs.copyFileSync(CLI, path.join(bin, 'cli.js'));
    const env = { HOME: root, XDG_CACHE_HOME: path.join(root, 'cache'), PATH: process.env.PATH };
    const run = () =>
      spawnSync(process.execPath, [path.join(bin, 'cli.js'), '--version'], { env, encoding: 'utf8', timeout: 20_000 });
    const missing = run();
    assert.equal(missing.status, 1);
    assert.equal(
      missing.stderr,
      `openclaw-secrets: ${path.join(bin, 'cli-payload.js')} is missing or not a regular file; reinstall openclaw-secrets\n`,
    );
    // A FIFO in its place is refused without opening it for reading (which would wait for a writer).
    spawnSync('mkfifo', [path.join(bin, 'cli-payload.js')]);
    const fifo = run();
    assert.equal(fifo.error, undefined, 'no hang');
    assert.equal(fifo.status, 1);
    fs.rmSync(path.join(bin, 'cli-payload.js'));
    // Another bundle beside this launcher gets its own code cache entry, never one compiled from other code.
    fs.copyFileSync(path.join(path.dirname(CLI), 'cli-payload.js'), path.join(bin, 'cli-payload.js'));
    assert.equal(run().stdout, '0.1.0\n');
    fs.appendFileSync(path.join(bin, 'cli-payload.js'), '\n// edited\n');
    assert.equal(run().stdout, '0.1.0\n');
    const entries = fs.readdirSync(path.join(root, 'cache', 'openclaw-secrets', 'code'));
    assert.equal(entries.length, 2, entries.join(', '));
    assert.notEqual(entries[0].split('-')[1], entries[1].split('-')[1]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
