// Auth profiles as OpenClaw 2026.9.6 keeps them: the shared store in <STATE_DIR>/state/openclaw.sqlite
// (config_machine_state row "authProfiles.store") and per-agent stores in
// agents/<id>/agent/openclaw-agent.sqlite (auth_profile_store row "primary"). Read-only, node:sqlite only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRecord } from '../config/jsonValue';
import { loadNodeSqlite } from './sqliteStoreReader';
import { storeDatabasePath } from './secretStore';

export interface AuthProfileStoreRead {
  /** the database file, as the audit names it */
  file: string;
  /** the parsed `{ version, profiles }` payload; undefined when the database has no such row */
  payload?: Record<string, unknown>;
  /** the row's JSON text as stored (apply writes only if the row still holds it) */
  raw?: string;
  /** why it could not be read (never a value) */
  problem?: string;
}

const BUSY_TIMEOUT_MS = 250;

function readJsonCell(file: string, sql: string, key: string): AuthProfileStoreRead | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return { file, problem: 'not a regular file' };
  const sqlite = loadNodeSqlite();
  if (!sqlite) return { file, problem: 'this runtime has no node:sqlite (Node >= 22.13)' };
  let db: InstanceType<NonNullable<ReturnType<typeof loadNodeSqlite>>['DatabaseSync']> | undefined;
  try {
    db = new sqlite.DatabaseSync(file, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
    const row = db.prepare(sql).all(key)[0] as { json?: unknown } | undefined;
    if (!row || typeof row.json !== 'string') return { file };
    const parsed: unknown = JSON.parse(row.json);
    return isRecord(parsed) ? { file, payload: parsed, raw: row.json } : { file, raw: row.json };
  } catch (err) {
    const e = err as { errstr?: string; message?: string };
    if (/no such table/i.test(e.errstr ?? e.message ?? '')) return { file };
    // A parse error message could quote the cell: name the class only.
    return {
      file,
      problem:
        err instanceof SyntaxError
          ? 'the stored JSON cannot be parsed'
          : (e.errstr ?? 'unreadable database').slice(0, 200),
    };
  } finally {
    try {
      db?.close();
    } catch {
      // never opened
    }
  }
}

/** The shared (main) auth-profile store inside the state database, when present. */
export function readSharedAuthProfileStore(stateDir: string): AuthProfileStoreRead | undefined {
  return readJsonCell(
    storeDatabasePath(stateDir),
    'SELECT value_json AS json FROM config_machine_state WHERE state_key = ?',
    'authProfiles.store',
  );
}

/** One agent's auth-profile store (`<agentDir>/openclaw-agent.sqlite`), when present. */
export function readAgentAuthProfileStore(agentDir: string): AuthProfileStoreRead | undefined {
  return readJsonCell(
    path.join(agentDir, 'openclaw-agent.sqlite'),
    'SELECT store_json AS json FROM auth_profile_store WHERE store_key = ?',
    'primary',
  );
}

export type AuthProfileCredential =
  | {
      kind: 'api_key' | 'token';
      profileId: string;
      provider: string;
      valueField: string;
      value: unknown;
      refValue: unknown;
    }
  | { kind: 'oauth'; profileId: string; provider: string; hasAccess: boolean; hasRefresh: boolean };

const FIELDS = { api_key: { value: 'key', ref: 'keyRef' }, token: { value: 'token', ref: 'tokenRef' } } as const;

/** Credential-bearing profiles in store order (api_key/token with their value and sibling ref; oauth presence). */
export function authProfileCredentials(payload: Record<string, unknown>): AuthProfileCredential[] {
  const out: AuthProfileCredential[] = [];
  if (!isRecord(payload.profiles)) return out;
  for (const [profileId, p] of Object.entries(payload.profiles)) {
    if (!isRecord(p) || typeof p.provider !== 'string' || p.provider.trim() === '') continue;
    if (p.type === 'api_key' || p.type === 'token') {
      const f = FIELDS[p.type];
      out.push({
        kind: p.type,
        profileId,
        provider: p.provider,
        valueField: f.value,
        value: p[f.value],
        refValue: p[f.ref],
      });
    } else if (p.type === 'oauth') {
      const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';
      out.push({
        kind: 'oauth',
        profileId,
        provider: p.provider,
        hasAccess: nonEmpty(p.access),
        hasRefresh: nonEmpty(p.refresh),
      });
    }
  }
  return out;
}
