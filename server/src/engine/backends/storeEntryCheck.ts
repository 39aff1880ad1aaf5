// Does OpenClaw's store hold `value` under `name`? Compared in memory, answered as absent/same/different.
// In-process through node:sqlite where this runtime has it (the store resolver's own reader); on Node 20
// (VS Code 1.100's extension host) through the Node that runs openclaw (>= 24, so it has node:sqlite):
// the expected value goes to that child on stdin and only the verdict comes back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSecretStore, storeDatabasePath, WITHHELD } from '../store/secretStore';
import { nodeSqliteAvailable } from '../store/sqliteStoreReader';
import { runChild } from './childRun';
import type { ExistingEntry } from './backendTypes';

export interface StoreEntryVerdict {
  state: ExistingEntry;
  /** why it could not tell (no value in it) */
  problem?: string;
  /** how it was read */
  via: 'node:sqlite' | 'openclaw-node';
}

// The same query as the store reader (team scope, live rows), for one name; prints only the verdict.
const CHILD_SCRIPT = `
const fs = require('node:fs');
const [dbPath, name] = process.argv.slice(1);
const chunks = [];
process.stdin.on('data', (d) => chunks.push(d));
process.stdin.on('end', () => {
  const expected = Buffer.concat(chunks).toString('utf8');
  const say = (o) => process.stdout.write(JSON.stringify(o));
  let st;
  try { st = fs.lstatSync(dbPath); } catch (e) { return say(e.code === 'ENOENT' ? { state: 'absent' } : { state: 'unknown', problem: 'stat failed (' + e.code + ')' }); }
  if (!st.isFile()) return say({ state: 'unknown', problem: 'the store database is not a regular file' });
  let db;
  try {
    const { DatabaseSync } = require('node:sqlite');
    db = new DatabaseSync(dbPath, { readOnly: true, timeout: 250 });
    const row = db.prepare("SELECT value FROM secret_store_entries WHERE scope_kind = 'team' AND scope_id = '' AND deleted_at_ms IS NULL AND name = ?").get(name);
    if (!row || typeof row.value !== 'string') return say({ state: 'absent' });
    say({ state: row.value === expected ? 'same' : 'different' });
  } catch (e) {
    const why = String(e && (e.errstr || e.message) || 'error').split('\\n')[0].slice(0, 200);
    say(/no such table/i.test(why) ? { state: 'absent' } : { state: 'unknown', problem: why });
  } finally { try { db && db.close(); } catch {} }
});
`;

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      if (fs.statSync(candidate).isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Node that runs `openclawBin`: its shebang's interpreter (`#!/usr/bin/env node` -> node on PATH). */
export function nodeForOpenClaw(openclawBin: string, env: NodeJS.ProcessEnv): string | undefined {
  let head: string;
  try {
    const fd = fs.openSync(fs.realpathSync(openclawBin), 'r');
    try {
      const buf = Buffer.alloc(256);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, 256, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(head);
  if (!shebang) return undefined;
  const [, interpreter, arg] = shebang;
  if (path.basename(interpreter) === 'env' && arg) return findOnPath(arg, env);
  if (path.isAbsolute(interpreter) && /node/.test(path.basename(interpreter))) return interpreter;
  return undefined;
}

export async function compareStoreEntry(opts: {
  stateDir: string;
  name: string;
  value: string;
  env: NodeJS.ProcessEnv;
  openclawBin?: string;
  timeoutMs: number;
}): Promise<StoreEntryVerdict> {
  if (nodeSqliteAvailable()) {
    const store = await openSecretStore({ stateDir: opts.stateDir, env: opts.env, prefer: 'node:sqlite' });
    if (store.problem) return { state: 'unknown', problem: store.problem, via: 'node:sqlite' };
    const held = store.valueFor(opts.name);
    const state =
      held === undefined ? 'absent' : held === WITHHELD ? 'unknown' : held === opts.value ? 'same' : 'different';
    return { state, via: 'node:sqlite' };
  }
  const node = opts.openclawBin ? nodeForOpenClaw(opts.openclawBin, opts.env) : undefined;
  if (!node)
    return {
      state: 'unknown',
      via: 'openclaw-node',
      problem: `this runtime (Node ${process.versions.node}) has no node:sqlite and the Node running openclaw was not found`,
    };
  const run = await runChild({
    command: node,
    args: ['--no-warnings', '-e', CHILD_SCRIPT, storeDatabasePath(opts.stateDir), opts.name],
    env: { PATH: opts.env.PATH ?? '/usr/bin:/bin' },
    stdin: opts.value,
    timeoutMs: opts.timeoutMs,
    redact: [opts.value],
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = undefined;
  }
  const verdict = parsed as { state?: unknown; problem?: unknown } | undefined;
  if (verdict && ['absent', 'same', 'different', 'unknown'].includes(String(verdict.state)))
    return {
      state: verdict.state as ExistingEntry,
      via: 'openclaw-node',
      ...(typeof verdict.problem === 'string' ? { problem: verdict.problem.slice(0, 200) } : {}),
    };
  return {
    state: 'unknown',
    via: 'openclaw-node',
    problem: run.timedOut
      ? `reading the store through ${node} did not finish within ${opts.timeoutMs} ms`
      : `reading the store through ${node} failed (exit ${run.exitCode ?? run.spawnError ?? run.signal})`,
  };
}
