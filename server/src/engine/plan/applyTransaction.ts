// apply as one transaction over every file it writes: a lock that serializes applies (and that a crashed
// run cannot leave stuck), and a redo journal so a kill at any instant is finished or rolled back by the
// next command. The journal holds only paths (no value, no hash); new contents sit in 0600 staged files beside
// their targets (the same directory and mode as the files they replace), old contents only in memory.
import { constants as fsc, promises as fs, readdirSync, readFileSync } from 'node:fs';
import {
  readRegularFile,
  readRegularFileBytes,
  readRegularFileSync,
  RegularFileError,
} from '../config/readRegularFile';
import * as path from 'node:path';
import { isRecord } from '../config/jsonValue';

export const LOCK_NAME = '.openclaw-secrets-apply.lock';
export const JOURNAL_NAME = '.openclaw-secrets-apply.journal';
/** The lock holds a pid and a start time: anything bigger is not ours. */
const LOCK_MAX_BYTES = 64 * 1024;
/** Suffix of a staged new file: deterministic, so recovery finds every one the journal names. */
export const STAGED_SUFFIX = '.openclaw-secrets-apply.new';

/** A failure of the transaction machinery, said without any file content. */
export class ApplyTransactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyTransactionError';
  }
}

// ---------- lock ----------

interface LockOwner {
  pid: number;
  /** the process's start time (clock ticks since boot, /proc/<pid>/stat field 22), so a reused pid is not mistaken for the owner */
  start?: string;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function ownerIsAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStartTime(owner.pid);
  return owner.start === undefined || start === undefined || start === owner.start;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (isRecord(v) && Number.isSafeInteger(v.pid) && (v.pid as number) > 0)
      return { pid: v.pid as number, start: typeof v.start === 'string' ? v.start : undefined };
  } catch {
    // a lock file cut short by a crash before its content was written: the creator is gone or about to write
  }
  return undefined;
}

export interface ApplyLock {
  path: string;
  release(): Promise<void>;
}

/** Our own not-yet-linked lock file: the lock appears with its owner already written (link is atomic). */
const ownLockDraft = (lockPath: string): string => `${lockPath}.${process.pid}`;

async function tryCreateLock(lockPath: string): Promise<boolean> {
  const self: LockOwner = { pid: process.pid, start: processStartTime(process.pid) };
  const draft = ownLockDraft(lockPath);
  try {
    await writeSynced(draft, JSON.stringify(self), 0o600);
    await fs.link(draft, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ApplyTransactionError(
      `Cannot create the apply lock ${lockPath} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  } finally {
    await fs.rm(draft, { force: true });
  }
}

/** Lock drafts (`<lock>.<pid>`) of processes that died between writing and removing them. */
async function removeDeadDrafts(stateDir: string): Promise<void> {
  const names = await fs.readdir(stateDir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^\.openclaw-secrets-apply\.lock\.(\d+)$/.exec(name);
    if (m && Number(m[1]) !== process.pid && !ownerIsAlive({ pid: Number(m[1]) }))
      await fs.rm(path.join(stateDir, name), { force: true });
  }
}

/** Remove a lock whose owner is gone; a lock taken over in between (another inode) is put back. */
async function breakStaleLock(lockPath: string): Promise<void> {
  let st;
  let text;
  try {
    st = await fs.stat(lockPath);
    text = await readRegularFile(lockPath, { noFollow: true, maxBytes: LOCK_MAX_BYTES });
  } catch {
    return; // gone already: retry creating it
  }
  const owner = parseOwner(text);
  if (owner && ownerIsAlive(owner)) return;
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await fs.stat(aside).catch(() => undefined);
  if (moved && moved.ino !== st.ino) await fs.link(aside, lockPath).catch(() => undefined);
  await fs.rm(aside, { force: true });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Take the apply lock of `stateDir`, waiting for a live holder up to `waitMs`; a holder that died is taken
 * over. Returns undefined when the wait ran out (waitMs 0: do not wait).
 */
export async function acquireApplyLock(stateDir: string, waitMs: number): Promise<ApplyLock | undefined> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(stateDir, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  let pause = 5;
  for (;;) {
    if (await tryCreateLock(lockPath)) {
      await removeDeadDrafts(stateDir);
      return {
        path: lockPath,
        release: async () => {
          await fs.rm(lockPath, { force: true });
        },
      };
    }
    await breakStaleLock(lockPath);
    if (await tryCreateLock(lockPath)) {
      await removeDeadDrafts(stateDir);
      return { path: lockPath, release: async () => void (await fs.rm(lockPath, { force: true })) };
    }
    if (Date.now() >= deadline) return undefined;
    // Polling is the only portable wait for another process's O_EXCL file; the pause grows to 100 ms.
    await delay(Math.min(pause, Math.max(1, deadline - Date.now())));
    pause = Math.min(100, pause * 2);
  }
}

export function describeLockHolder(stateDir: string): string {
  try {
    const owner = parseOwner(
      readRegularFileSync(path.join(stateDir, LOCK_NAME), { noFollow: true, maxBytes: LOCK_MAX_BYTES }),
    );
    return owner ? `pid ${owner.pid}` : 'another process';
  } catch {
    return 'another process';
  }
}

// ---------- journal ----------

interface JournalEntry {
  /** the file as named (a symlink stays a symlink) */
  file: string;
  /** where the bytes go: the symlink's target, or `file` */
  target: string;
  staged: string;
}

interface Journal {
  version: 1;
  phase: 'staged' | 'commit';
  entries: JournalEntry[];
}

export type RecoveryOutcome = { kind: 'none' } | { kind: 'finished' | 'rolled-back'; files: string[] };

async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, fsc.O_RDONLY).catch(() => undefined);
  if (!h) return;
  await h.sync().catch(() => undefined);
  await h.close();
}

/** Write `content` to `file` (0600) and flush it; the file is truncated first. */
async function writeSynced(file: string, content: string | Buffer, mode: number): Promise<void> {
  const handle = await fs.open(file, fsc.O_CREAT | fsc.O_TRUNC | fsc.O_WRONLY | fsc.O_NOFOLLOW, mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeJournal(stateDir: string, journal: Journal): Promise<void> {
  const file = path.join(stateDir, JOURNAL_NAME);
  const tmp = `${file}.tmp`;
  await writeSynced(tmp, JSON.stringify(journal), 0o600);
  await fs.rename(tmp, file);
  await fsyncDir(stateDir);
}

function parseJournal(text: string): Journal | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (!isRecord(v) || v.version !== 1 || (v.phase !== 'staged' && v.phase !== 'commit') || !Array.isArray(v.entries))
      return undefined;
    const entries: JournalEntry[] = [];
    for (const e of v.entries) {
      if (!isRecord(e) || typeof e.file !== 'string' || typeof e.target !== 'string' || typeof e.staged !== 'string')
        return undefined;
      // Only our own staged names are ever renamed or removed, whatever the journal says.
      if (!path.isAbsolute(e.target) || e.staged !== stagedPathFor(e.target)) return undefined;
      entries.push({ file: e.file, target: e.target, staged: e.staged });
    }
    return { version: 1, phase: v.phase, entries };
  } catch {
    return undefined;
  }
}

/** rm that also treats a parent that is not a directory as "not there" */
async function removeIfPresent(file: string): Promise<void> {
  await fs.rm(file, { force: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOTDIR') throw err;
  });
}

export function stagedPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${STAGED_SUFFIX}`);
}

/**
 * Finish (journal in phase commit) or roll back (phase staged) an apply that was killed; the caller holds
 * the lock. Leaves no staged file and no journal behind.
 */
export async function recoverInterruptedApply(stateDir: string): Promise<RecoveryOutcome> {
  const file = path.join(stateDir, JOURNAL_NAME);
  await fs.rm(`${file}.tmp`, { force: true });
  let text: string;
  try {
    // Our own file, but in a folder others may reach: a regular file, not followed, capped (never a FIFO's wait).
    text = await readRegularFile(file, { noFollow: true });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { kind: 'none' };
    throw new ApplyTransactionError(
      `Cannot read the apply journal ${file} (${err instanceof RegularFileError ? (err.code ?? err.problem) : 'error'}).`,
    );
  }
  const journal = parseJournal(text);
  if (!journal)
    throw new ApplyTransactionError(
      `The apply journal ${file} is damaged; check the files it may concern, then remove it.`,
    );
  const dirs = new Set<string>();
  for (const e of journal.entries) {
    dirs.add(path.dirname(e.target));
    if (journal.phase === 'commit') {
      // A staged file is complete once the journal says commit: move it into place.
      await fs.rename(e.staged, e.target).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR')
          throw new ApplyTransactionError(
            `Cannot finish the interrupted apply for ${e.file} (${err.code ?? 'error'}).`,
          );
      });
    } else {
      await removeIfPresent(e.staged);
    }
  }
  for (const d of dirs) await fsyncDir(d);
  await fs.rm(file, { force: true });
  await fsyncDir(stateDir);
  return { kind: journal.phase === 'commit' ? 'finished' : 'rolled-back', files: journal.entries.map((e) => e.file) };
}

export function describeRecovery(outcome: RecoveryOutcome): string | undefined {
  if (outcome.kind === 'none') return undefined;
  const files = outcome.files.length;
  return outcome.kind === 'finished'
    ? `Finished an interrupted secrets apply (${files} file(s) written).`
    : `Rolled back an interrupted secrets apply (${files} file(s) left as they were).`;
}

/**
 * Recover before a read-only command (audit, resolve): only when no live apply holds the lock, so a running
 * apply is never disturbed. Returns the line to print on stderr, if any.
 */
export async function recoverIfIdle(stateDir: string): Promise<string | undefined> {
  // Sync: one small listing, and the common case (nothing to recover) then never loads node:fs/promises.
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return undefined;
  }
  if (!names.some((n) => n.startsWith('.openclaw-secrets-apply.'))) return undefined;
  const lock = await acquireApplyLock(stateDir, 0);
  if (!lock) return undefined;
  try {
    return describeRecovery(await recoverInterruptedApply(stateDir));
  } finally {
    await lock.release();
  }
}

/** Where the bytes of `file` live: a symlink is written through to its target, the link stays. */
export async function writeTargetOf(file: string): Promise<string> {
  let st;
  try {
    st = await fs.lstat(file);
  } catch {
    return file;
  }
  if (!st.isSymbolicLink()) return file;
  try {
    return await fs.realpath(file);
  } catch (err) {
    throw new ApplyTransactionError(
      `Cannot apply secrets plan: ${file} is a symlink whose target cannot be reached (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
}

export interface FileWrite {
  file: string;
  content: string;
}

/**
 * Write every file or none: stage each new content beside its target, journal, then rename each into place.
 * The caller holds the lock. An error before the journal says commit leaves every file as it was.
 */
export async function commitFileWrites(stateDir: string, writes: readonly FileWrite[]): Promise<void> {
  const entries: JournalEntry[] = [];
  const seen = new Set<string>();
  for (const w of writes) {
    const target = await writeTargetOf(path.resolve(w.file));
    if (seen.has(target))
      throw new ApplyTransactionError(
        `Cannot apply secrets plan: two files of the plan are the same file (${w.file}).`,
      );
    seen.add(target);
    entries.push({ file: w.file, target, staged: stagedPathFor(target) });
  }
  const journal: Journal = { version: 1, phase: 'staged', entries };
  await writeJournal(stateDir, journal);
  try {
    for (let i = 0; i < writes.length; i++) {
      const e = entries[i];
      await fs.mkdir(path.dirname(e.target), { recursive: true, mode: 0o700 });
      await writeSynced(e.staged, writes[i].content, 0o600);
    }
    for (const d of new Set(entries.map((e) => path.dirname(e.target)))) await fsyncDir(d);
  } catch (err) {
    await recoverInterruptedApply(stateDir).catch(() => undefined);
    throw err;
  }
  // Old contents stay in memory only, for an in-process failure while renaming (they may hold plaintext);
  // read as regular files, not followed, capped, like every other read of the targets.
  const before = await Promise.all(
    entries.map((e) =>
      readRegularFileBytes(e.target, { noFollow: true }).then(
        (b) => b,
        () => undefined,
      ),
    ),
  );
  journal.phase = 'commit';
  try {
    await writeJournal(stateDir, journal);
  } catch (err) {
    await recoverInterruptedApply(stateDir).catch(() => undefined);
    throw err;
  }
  // From here on the apply is decided: a kill is finished by the next command.
  const renamed: number[] = [];
  try {
    for (let i = 0; i < entries.length; i++) {
      await fs.rename(entries[i].staged, entries[i].target);
      renamed.push(i);
    }
    for (const d of new Set(entries.map((e) => path.dirname(e.target)))) await fsyncDir(d);
  } catch (err) {
    // A rename failed in this process: put back what was renamed, drop the rest, end the transaction.
    for (const i of renamed) {
      const e = entries[i];
      const old = before[i];
      if (old === undefined) await fs.rm(e.target, { force: true }).catch(() => undefined);
      else
        await writeSynced(e.staged, old, 0o600)
          .then(() => fs.rename(e.staged, e.target))
          .catch(() => undefined);
    }
    for (const e of entries) await removeIfPresent(e.staged).catch(() => undefined);
    await fs.rm(path.join(stateDir, JOURNAL_NAME), { force: true }).catch(() => undefined);
    throw err;
  }
  await fs.rm(path.join(stateDir, JOURNAL_NAME), { force: true });
  await fsyncDir(stateDir);
}
