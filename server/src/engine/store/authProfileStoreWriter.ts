// Writes an agent's auth-profile store (`<agentDir>/openclaw-agent.sqlite`, table auth_profile_store, row
// "primary"), where OpenClaw 2026.9.6's `secrets apply` puts auth-profile plan targets. node:sqlite only.
import * as fs from 'node:fs';
import { loadNodeSqlite } from './sqliteStoreReader';

export class AuthProfileStoreWriteError extends Error {}

/** How long a write waits for the gateway's own transaction to finish before giving up. */
const WRITE_BUSY_TIMEOUT_MS = 5_000;

/** What a refusal names: the plan targets bound for the database, and the plan to hand to OpenClaw instead. */
export interface AuthProfileStoreWriteContext {
  /** `profiles.<id>.key (agent "main")` for each target */
  targets?: readonly string[];
  planPath?: string;
}

/** The targets, why nothing was written, and the one command that does it with OpenClaw itself. */
function refusal(file: string, why: string, todo: string, ctx: AuthProfileStoreWriteContext): string {
  const targets = ctx.targets?.length
    ? ` (needed by auth-profile target${ctx.targets.length > 1 ? 's' : ''} ${ctx.targets.join(', ')})`
    : '';
  const command = `openclaw secrets apply --from ${ctx.planPath ?? '<plan.json>'}`;
  return `Cannot write ${file}: ${why}${targets}. Nothing was written. ${todo}, or apply the plan with OpenClaw itself: \`${command}\`.`;
}

/** Why `file` cannot be written here (undefined when it can); checked before any other file is touched. */
export function authProfileStoreWriteProblem(file: string, ctx: AuthProfileStoreWriteContext = {}): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    // OpenClaw 2026.9.6 makes it with its whole agent schema (55 tables, schema version 23) and refuses a
    // database without that schema ("uses schema version 0"), so we never create it.
    return refusal(
      file,
      'the agent database does not exist yet; OpenClaw creates it with its full agent schema, which this tool does not reproduce',
      'Start that agent once with OpenClaw and run this apply again',
      ctx,
    );
  }
  if (!st.isFile()) return `Cannot write ${file}: not a regular file.`;
  if (!loadNodeSqlite()) return noSqliteRefusal(file, ctx);
  return undefined;
}

/** The refusal on a runtime without node:sqlite (Node 20, VS Code <= 1.100's extension host). */
export function noSqliteRefusal(file: string, ctx: AuthProfileStoreWriteContext = {}): string {
  return refusal(
    file,
    `this runtime (Node ${process.versions.node}) has no node:sqlite, and OpenClaw 2026.9.6 keeps auth profiles in that SQLite database`,
    'Run openclaw-secrets on Node >= 22.13 (or 22.5 to 22.12 with --experimental-sqlite)',
    ctx,
  );
}

/** A staged replacement of the "primary" row: the database stays write-locked until commit or rollback. */
export interface PendingAuthProfileStoreWrite {
  commit(): void;
  rollback(): void;
}

function sqliteFailure(file: string, err: unknown): AuthProfileStoreWriteError {
  if (err instanceof AuthProfileStoreWriteError) return err;
  // SQLite's message names the condition (busy, readonly, corrupt), never a cell.
  const e = err as { errstr?: string; message?: string };
  return new AuthProfileStoreWriteError(`Cannot write ${file}: ${(e.errstr ?? e.message ?? 'error').slice(0, 200)}.`);
}

/**
 * Stage `next` as the store's "primary" row inside an IMMEDIATE transaction, only if the row still holds
 * `expected` (the JSON we planned from): a concurrent credential change is never overwritten.
 */
export function stageAgentAuthProfileStore(
  file: string,
  expected: string | undefined,
  next: string,
): PendingAuthProfileStoreWrite {
  const problem = authProfileStoreWriteProblem(file);
  if (problem) throw new AuthProfileStoreWriteError(problem);
  const sqlite = loadNodeSqlite()!;
  let db: InstanceType<typeof sqlite.DatabaseSync> | undefined;
  const close = () => {
    try {
      db?.close();
    } catch {
      // already closed
    }
  };
  try {
    db = new sqlite.DatabaseSync(file, { timeout: WRITE_BUSY_TIMEOUT_MS });
    db.exec('BEGIN IMMEDIATE');
    const row = db
      .prepare('SELECT store_json AS json FROM auth_profile_store WHERE store_key = ?')
      .all('primary')[0] as { json?: unknown } | undefined;
    const current = typeof row?.json === 'string' ? row.json : undefined;
    if (current !== expected)
      throw new AuthProfileStoreWriteError(
        `Cannot write ${file}: its auth profiles changed while the plan was applied.`,
      );
    db.prepare(
      'INSERT INTO auth_profile_store (store_key, store_json, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT(store_key) DO UPDATE SET store_json = excluded.store_json, updated_at = excluded.updated_at',
    ).run('primary', next, Date.now());
  } catch (err) {
    // Closing a connection with an open transaction rolls it back.
    close();
    throw sqliteFailure(file, err);
  }
  const open = db;
  return {
    commit() {
      try {
        open.exec('COMMIT');
      } catch (err) {
        throw sqliteFailure(file, err);
      } finally {
        close();
      }
    },
    rollback() {
      close();
    },
  };
}
