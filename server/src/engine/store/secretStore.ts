// OpenClaw 2026.9.6's shared secret store (`<STATE_DIR>/state/openclaw.sqlite`, table secret_store_entries):
// one read-only snapshot of the team scope. Values stay inside this closure: callers can ask whether a
// name exists, its kind, a value for resolution, or which names hold a given plaintext; nothing lists values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV_ID_PATTERN } from '../refs/secretRef';
import { readStoreWithNodeSqlite, nodeSqliteAvailable } from './sqliteStoreReader';
import { readStoreWithOpenClawCli, findOpenClawBinary } from './cliStoreReader';

export type StoreEntryKind = 'secret' | 'env';

/** How the store was read: node:sqlite (names and values), the openclaw CLI (names; env-kind values only), or not at all. */
export type StoreReadVia = 'node:sqlite' | 'openclaw-cli' | 'none';

/** OpenClaw's message when the database cannot be read (its resolve error for store refs). */
export const STORE_UNAVAILABLE_MESSAGE = 'Secret store database is unavailable.';

export interface RawStoreEntry {
  name: string;
  kind: StoreEntryKind;
  /** undefined when the reader could not see it (a secret-kind entry read through the CLI) */
  value?: string;
}

export interface SecretStoreSnapshot {
  via: StoreReadVia;
  databasePath: string;
  /** why the store could not be read (no value in it); undefined when it was read (or does not exist) */
  problem?: string;
  /** true when values were readable, so residue and placeholder checks are complete */
  valuesReadable: boolean;
  names(): string[];
  kindOf(name: string): StoreEntryKind | undefined;
  /** the value for resolution: a string, `withheld` when it exists but could not be read here, or undefined when absent */
  valueFor(name: string): string | typeof WITHHELD | undefined;
  /** names whose value equals `plaintext` (for STORE_PLAINTEXT_RESIDUE); compared in memory */
  namesHolding(plaintext: string): string[];
  /** names whose value is a redaction placeholder */
  redactedNames(isPlaceholder: (value: string) => boolean): string[];
}

/** The value of an entry that exists but whose secret-kind value the reader cannot see (CLI fallback). */
export const WITHHELD = Symbol('secret-store-value-withheld');

export function storeDatabasePath(stateDir: string): string {
  return path.join(stateDir, 'state', 'openclaw.sqlite');
}

/** A snapshot over entries already read; live team entries whose names follow the env grammar only. */
export function snapshotOf(
  via: StoreReadVia,
  databasePath: string,
  entries: readonly RawStoreEntry[],
  problem?: string,
  valuesReadable = via === 'node:sqlite' && !problem,
): SecretStoreSnapshot {
  const byName = new Map<string, RawStoreEntry>();
  // Hidden names (e.g. github-setup-<hex>) never take part, as in OpenClaw's listing.
  for (const e of entries) if (ENV_ID_PATTERN.test(e.name)) byName.set(e.name, { ...e });
  return {
    via,
    databasePath,
    ...(problem ? { problem } : {}),
    valuesReadable,
    names: () => [...byName.keys()].sort(),
    kindOf: (name) => byName.get(name)?.kind,
    valueFor: (name) => {
      const e = byName.get(name);
      if (!e) return undefined;
      return e.value ?? WITHHELD;
    },
    namesHolding: (plaintext) =>
      [...byName.values()].filter((e) => e.value !== undefined && e.value === plaintext).map((e) => e.name),
    redactedNames: (isPlaceholder) =>
      [...byName.values()].filter((e) => e.value !== undefined && isPlaceholder(e.value)).map((e) => e.name),
  };
}

export interface OpenStoreOptions {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** for tests: force a reader; default tries node:sqlite, then the openclaw CLI */
  prefer?: 'node:sqlite' | 'openclaw-cli';
  /** CLI fallback deadline */
  cliTimeoutMs?: number;
}

/**
 * Read the store once: node:sqlite where this runtime has it, else `openclaw secrets store list --json`
 * when an openclaw binary is on PATH, else a snapshot that says store refs cannot be checked here.
 */
export async function openSecretStore(opts: OpenStoreOptions): Promise<SecretStoreSnapshot> {
  const dbPath = storeDatabasePath(opts.stateDir);
  const useSqlite = opts.prefer !== 'openclaw-cli' && nodeSqliteAvailable();
  if (useSqlite) {
    const read = readStoreWithNodeSqlite(dbPath);
    return snapshotOf('node:sqlite', dbPath, read.entries, read.problem);
  }
  // No database: every name is absent, exactly as OpenClaw answers; nothing left unchecked.
  if (!fs.existsSync(dbPath)) return snapshotOf('none', dbPath, [], undefined, true);
  const binary = findOpenClawBinary(opts.env);
  if (!binary) {
    return snapshotOf(
      'none',
      dbPath,
      [],
      'this runtime has no node:sqlite (Node >= 22.13) and no openclaw binary was found on PATH',
    );
  }
  const read = await readStoreWithOpenClawCli(binary, opts.stateDir, opts.env, opts.cliTimeoutMs ?? 30_000);
  return snapshotOf(
    read.problem && read.entries.length === 0 ? 'none' : 'openclaw-cli',
    dbPath,
    read.entries,
    read.problem,
  );
}
