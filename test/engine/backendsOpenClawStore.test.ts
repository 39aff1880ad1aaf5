// Moving a plaintext into OpenClaw's own store through the real `openclaw secrets store set` (2026.9.6):
// the value goes on stdin, is read back and compared before openclaw.json changes, and the real
// `openclaw secrets audit --allow-exec --json` then resolves the new ref and finds no plaintext. Failures
// (CLI absent, store unreadable, store locked, a name holding another value) leave the config byte-identical
// and name the step.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backendSandbox,
  modelProvider,
  moveRefusal as refusal,
  oracleAudit,
  type BackendSandbox,
} from '../helpers/backendSandbox';
import { moveToBackend } from '../../server/src/engine/backends/moveToBackend';
import { openclawStoreBackend } from '../../server/src/engine/backends/openclawStoreBackend';
import { compareStoreEntry } from '../../server/src/engine/backends/storeEntryCheck';
import { storeDatabasePath } from '../../server/src/engine/store/secretStore';

const OPENAI_KEY = 'sk-test-CANARY-move-store-openai-1';
const GROQ_KEY = 'sk-test-CANARY-move-store-groq-2';
const OPENAI_PATH = ['models', 'providers', 'openai', 'apiKey'];
const GROQ_PATH = ['models', 'providers', 'groq', 'apiKey'];

function config(openai: unknown, groq: unknown) {
  return {
    models: {
      mode: 'merge',
      providers: { openai: modelProvider(openai), groq: modelProvider(groq, 'https://api.groq.example/v1') },
    },
  };
}

describe('move to the OpenClaw store (real openclaw secrets store)', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  before(() => {
    sbx = backendSandbox('ocs-move-store-');
  });
  after(() => sbx?.dispose());

  it('CLI absent: refused at "probe", naming openclaw; openclaw.json byte-identical', async () => {
    const before = sbx.writeConfig(config(OPENAI_KEY, GROQ_KEY));
    const err = await refusal(
      moveToBackend({
        backend: openclawStoreBackend,
        location: sbx.location,
        env: sbx.envWithoutOpenClaw,
        fields: [{ path: OPENAI_PATH }],
      }),
    );
    assert.equal(err.step, 'probe');
    assert.match(err.message, /openclaw CLI was not found on PATH/);
    assert.match(err.message, /openclaw\.json is unchanged/);
    assert.equal(sbx.readConfig(), before);
  });

  it('store unreadable (openclaw.sqlite is not a regular file): refused at "check", nothing stored', async () => {
    const before = sbx.writeConfig(config(OPENAI_KEY, GROQ_KEY));
    const db = storeDatabasePath(sbx.stateDir);
    fs.mkdirSync(db, { recursive: true });
    try {
      const err = await refusal(
        moveToBackend({
          backend: openclawStoreBackend,
          location: sbx.location,
          env: sbx.env,
          fields: [{ path: OPENAI_PATH }],
        }),
      );
      assert.equal(err.step, 'check');
      assert.match(err.message, /store could not be read.*not a regular file/);
      assert.equal(sbx.readConfig(), before);
    } finally {
      fs.rmdirSync(db);
    }
  });

  it('moves the value: stored on stdin, read back, field rewritten, .env scrubbed; the real audit resolves it', async () => {
    sbx.writeConfig(config(OPENAI_KEY, GROQ_KEY));
    fs.writeFileSync(path.join(sbx.stateDir, '.env'), `OPENAI_API_KEY=${OPENAI_KEY}\n`, { mode: 0o600 });
    const steps: string[] = [];
    const result = await moveToBackend({
      backend: openclawStoreBackend,
      location: sbx.location,
      env: sbx.env,
      fields: [{ path: OPENAI_PATH }],
      onStep: (s) => steps.push(s),
    });
    assert.deepEqual(steps, ['read', 'probe', 'check', 'store', 'verify', 'apply']);
    assert.equal(JSON.stringify(result).includes('CANARY'), false);
    assert.deepEqual(
      result.moved.map((m) => [m.path, m.name, m.refKey, m.stored]),
      [['models.providers.openai.apiKey', 'OPENAI_API_KEY', 'store:default:OPENAI_API_KEY', 'stored']],
    );
    const written = JSON.parse(sbx.readConfig()) as ReturnType<typeof config>;
    assert.deepEqual(written.models.providers.openai.apiKey, {
      source: 'store',
      provider: 'default',
      id: 'OPENAI_API_KEY',
    });
    assert.equal(written.models.providers.groq.apiKey, GROQ_KEY, 'a field not asked for was touched');
    assert.ok(!fs.readFileSync(path.join(sbx.stateDir, '.env'), 'utf8').includes(OPENAI_KEY), '.env still holds it');
    const held = await compareStoreEntry({
      stateDir: sbx.stateDir,
      name: 'OPENAI_API_KEY',
      value: OPENAI_KEY,
      env: sbx.env,
      openclawBin: path.join(sbx.binDir, 'openclaw'),
      timeoutMs: 30_000,
    });
    assert.equal(held.state, 'same');

    const audit = await oracleAudit(sbx);
    assert.ok(audit.report, `openclaw secrets audit printed no JSON: ${audit.stderr.slice(0, 300)}`);
    const onOpenai = audit.report.findings.filter((f) => f.jsonPath?.includes('providers.openai'));
    assert.deepEqual(onOpenai, [], 'the real audit still reports the moved field');
    assert.equal(audit.report.summary.unresolvedRefCount, 0, 'the real audit could not resolve the store ref');
    assert.equal(audit.report.summary.storeResidueCount, 0);
    // groq stays plaintext on purpose: the audit still sees exactly that one.
    assert.deepEqual(
      audit.report.findings.filter((f) => f.code === 'PLAINTEXT_FOUND').map((f) => f.jsonPath),
      ['models.providers.groq.apiKey'],
    );
  });

  it('a name that holds another value is never overwritten: refused at "check"', async () => {
    const before = sbx.writeConfig(config({ source: 'store', provider: 'default', id: 'OPENAI_API_KEY' }, GROQ_KEY));
    const err = await refusal(
      moveToBackend({
        backend: openclawStoreBackend,
        location: sbx.location,
        env: sbx.env,
        fields: [{ path: GROQ_PATH, name: 'OPENAI_API_KEY' }],
      }),
    );
    assert.equal(err.step, 'check');
    assert.match(err.message, /"OPENAI_API_KEY" already holds a different value/);
    assert.equal(sbx.readConfig(), before);
    const held = await compareStoreEntry({
      stateDir: sbx.stateDir,
      name: 'OPENAI_API_KEY',
      value: OPENAI_KEY,
      env: sbx.env,
      openclawBin: path.join(sbx.binDir, 'openclaw'),
      timeoutMs: 30_000,
    });
    assert.equal(held.state, 'same', 'the stored value changed');
  });

  it('store locked by another writer: refused at "store" with OpenClaw\'s reason, config untouched', async () => {
    const before = sbx.writeConfig(config({ source: 'store', provider: 'default', id: 'OPENAI_API_KEY' }, GROQ_KEY));
    // A second process holds SQLite's exclusive lock, as a gateway mid-write would.
    const holder: ChildProcess = spawn(
      sbx.oracle.nodeBin,
      [
        '--no-warnings',
        '-e',
        `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.argv[1]);
         db.exec('BEGIN EXCLUSIVE'); process.stdout.write('locked\\n'); process.stdin.on('end', () => db.close()); process.stdin.resume();`,
        storeDatabasePath(sbx.stateDir),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the lock holder did not start within 30 s')), 30_000);
        holder.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('locked')) {
            clearTimeout(timer);
            resolve();
          }
        });
        holder.on('exit', () => reject(new Error('the lock holder exited')));
      });
      const err = await refusal(
        moveToBackend({
          backend: openclawStoreBackend,
          location: sbx.location,
          env: sbx.env,
          fields: [{ path: GROQ_PATH }],
        }),
      );
      // A WAL reader still sees the committed rows, so the check passes; openclaw's write is what fails.
      assert.equal(err.step, 'store', err.message);
      assert.match(err.message, /openclaw secrets store set exited with code \d+: .*locked/i);
      assert.equal(sbx.readConfig(), before);
    } finally {
      holder.stdin!.end();
      if (holder.exitCode === null) await new Promise((r) => holder.on('exit', r));
    }
  });
});
