// The store through node:sqlite (Node >= 22.13, VS Code >= 1.101's extension host): read-only, a short busy
// timeout, one query, closed at once, so a running gateway (WAL writer) is never blocked.
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import type { RawStoreEntry } from './secretStore';

interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  close(): void;
}
interface SqliteModule {
  DatabaseSync: new (
    path: string,
    options?: { readOnly?: boolean; timeout?: number; open?: boolean },
  ) => SqliteDatabase;
}

let cached: SqliteModule | null | undefined;

/** node:sqlite when this runtime has it without flags; feature-detected, never by version number. */
export function loadNodeSqlite(): SqliteModule | undefined {
  if (cached !== undefined) return cached ?? undefined;
  // A runtime without it says so at no cost: a failed require builds and formats an error (about 1 ms).
  if (!isBuiltin('node:sqlite')) {
    cached = null;
    return undefined;
  }
  // Node 22 prints "SQLite is an experimental feature" on load; that line is noise on our CLI's stderr.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(typeof warning === 'string' ? warning : warning.message).includes('SQLite is an experimental')) return;
    return (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('node:sqlite') as Partial<SqliteModule>;
    cached = typeof mod.DatabaseSync === 'function' ? (mod as SqliteModule) : null;
  } catch {
    cached = null;
  } finally {
    process.emitWarning = emitWarning;
  }
  return cached ?? undefined;
}

export function nodeSqliteAvailable(): boolean {
  return loadNodeSqlite() !== undefined;
}

/** Milliseconds SQLite waits on a lock before giving up (the gateway's write transactions are short). */
const BUSY_TIMEOUT_MS = 250;

const QUERY =
  "SELECT name, kind, value FROM secret_store_entries WHERE scope_kind = 'team' AND scope_id = '' AND deleted_at_ms IS NULL";

/** A short reason for a failed read; SQLite's own text names the cause (locked, not a database), never a value. */
function describe(err: unknown): string {
  const e = err as { code?: string; errstr?: string; message?: string };
  const detail = e.errstr ?? (typeof e.message === 'string' ? e.message.split('\n')[0] : undefined) ?? 'unknown error';
  return detail.slice(0, 200);
}

export interface SqliteStoreRead {
  entries: RawStoreEntry[];
  problem?: string;
}

/** Live team entries; a missing file or table is an empty store (OpenClaw: "was not found"). */
export function readStoreWithNodeSqlite(dbPath: string): SqliteStoreRead {
  const sqlite = loadNodeSqlite();
  if (!sqlite) return { entries: [], problem: 'node:sqlite is not available in this runtime.' };
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dbPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
    return {
      entries: [],
      problem: `Secret store database is unavailable (${(err as NodeJS.ErrnoException).code ?? 'stat failed'}).`,
    };
  }
  // Only a regular file is opened: never a symlink, FIFO or device.
  if (!stat.isFile()) return { entries: [], problem: 'Secret store database is unavailable (not a regular file).' };
  let db: SqliteDatabase | undefined;
  try {
    db = new sqlite.DatabaseSync(dbPath, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
    const rows = db.prepare(QUERY).all();
    const entries: RawStoreEntry[] = [];
    for (const row of rows) {
      const r = row as { name?: unknown; kind?: unknown; value?: unknown };
      if (typeof r.name !== 'string' || typeof r.value !== 'string' || (r.kind !== 'secret' && r.kind !== 'env'))
        continue;
      entries.push({ name: r.name, kind: r.kind, value: r.value });
    }
    return { entries };
  } catch (err) {
    const reason = describe(err);
    if (/no such table/i.test(reason)) return { entries: [] };
    return { entries: [], problem: `Secret store database is unavailable (${reason}).` };
  } finally {
    try {
      db?.close();
    } catch {
      // already closed or never opened
    }
  }
}
