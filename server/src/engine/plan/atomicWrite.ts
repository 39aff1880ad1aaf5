// The one atomic-write function: temp file beside the target, mode 0600, fsync, rename. The temp
// name never carries content, and a failed write removes its temp file.
import { promises as fs, constants as fsc } from 'node:fs';
import * as path from 'node:path';

export async function writeFileAtomic(filePath: string, content: string, mode = 0o600): Promise<void> {
  const dir = path.dirname(filePath);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(
    dir,
    `.${path.basename(filePath)}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`,
  );
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, mode);
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, filePath);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

export interface FileSnapshot {
  path: string;
  existed: boolean;
  content?: Buffer;
  mode?: number;
}

/** Snapshot files in memory (never on disk: they may hold plaintext) so a failed transaction can roll back. */
export async function snapshotFiles(paths: readonly string[]): Promise<FileSnapshot[]> {
  return Promise.all(
    paths.map(async (p) => {
      try {
        const [content, st] = await Promise.all([fs.readFile(p), fs.stat(p)]);
        return { path: p, existed: true, content, mode: st.mode & 0o7777 };
      } catch (err) {
        // ENOTDIR: a parent is a file, so this file cannot exist either.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { path: p, existed: false };
        throw err;
      }
    }),
  );
}

export async function restoreSnapshots(snapshots: readonly FileSnapshot[]): Promise<void> {
  for (const s of snapshots) {
    if (!s.existed) await fs.rm(s.path, { force: true });
    else await writeFileAtomic(s.path, s.content!.toString('utf8'), s.mode ?? 0o600);
  }
}
