// Entry names and kinds of the secret store for completion: synchronous, node:sqlite only, values dropped at once.
import { storeDatabasePath, snapshotOf, type StoreEntryKind } from './secretStore';
import { nodeSqliteAvailable, readStoreWithNodeSqlite } from './sqliteStoreReader';

export function readStoreEntryNames(stateDir: string): Array<{ name: string; kind: StoreEntryKind }> {
  if (!nodeSqliteAvailable()) return [];
  const dbPath = storeDatabasePath(stateDir);
  const snapshot = snapshotOf('node:sqlite', dbPath, readStoreWithNodeSqlite(dbPath).entries);
  return snapshot.names().map((name) => ({ name, kind: snapshot.kindOf(name) ?? 'secret' }));
}
