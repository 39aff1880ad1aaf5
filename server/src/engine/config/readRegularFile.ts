// The one way we read OpenClaw's files: open without blocking (a FIFO cannot hang us), fstat the open
// descriptor, accept only a regular file, and read at most a cap from that same descriptor.
import * as fs from 'node:fs';

/** openclaw.json, auth stores and plans; far above any real one, far below what a device could feed us. */
export const STATE_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** `.env` files: small by nature. */
export const DOTENV_MAX_BYTES = 4 * 1024 * 1024;

export type RegularFileProblem = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

export class RegularFileError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly problem: RegularFileProblem,
    /** errno code when the OS refused (EACCES, ELOOP, ...) */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RegularFileError';
  }
}

export interface ReadRegularFileOptions {
  maxBytes?: number;
  /** refuse a symlink at the last path component (provider files); config files may be dotfile links */
  noFollow?: boolean;
}

/** What a non-regular file is, in words a person recognises. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

function openFlags(noFollow: boolean | undefined): number {
  const c = fs.constants;
  return c.O_RDONLY | (c.O_NONBLOCK ?? 0) | (noFollow ? (c.O_NOFOLLOW ?? 0) : 0);
}

function openError(file: string, err: unknown, noFollow: boolean | undefined): RegularFileError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new RegularFileError(`cannot read ${file}: it does not exist.`, file, 'missing', code);
  if (code === 'ELOOP' && noFollow)
    return new RegularFileError(`cannot read ${file}: it is a symlink.`, file, 'not-regular', code);
  if (code === 'EISDIR')
    return new RegularFileError(`cannot read ${file}: it is a directory.`, file, 'not-regular', code);
  return new RegularFileError(`cannot read ${file}: ${code ?? 'open failed'}.`, file, 'unreadable', code);
}

function checkOpened(file: string, st: fs.Stats, maxBytes: number): void {
  if (!st.isFile()) throw new RegularFileError(`cannot read ${file}: it is ${fileKind(st)}.`, file, 'not-regular');
  if (st.size > maxBytes) throw tooLarge(file, maxBytes);
}

function tooLarge(file: string, maxBytes: number): RegularFileError {
  return new RegularFileError(`cannot read ${file}: it is larger than ${maxBytes} bytes.`, file, 'too-large');
}

/** A bigger buffer holding `buf`, at most one byte past the cap (that byte means "too large"). */
function grow(buf: Buffer, maxBytes: number): Buffer {
  const next = Buffer.allocUnsafe(Math.min(Math.max(buf.length * 2, 64 * 1024), maxBytes + 1));
  buf.copy(next);
  return next;
}

/** Synchronous read of a regular file as UTF-8; throws RegularFileError. */
export function readRegularFileSync(file: string, opts: ReadRegularFileOptions = {}): string {
  return readRegularFileBytesSync(file, opts).toString('utf8');
}

/** Synchronous read of a regular file's bytes; throws RegularFileError. */
export function readRegularFileBytesSync(file: string, opts: ReadRegularFileOptions = {}): Buffer {
  const maxBytes = opts.maxBytes ?? STATE_FILE_MAX_BYTES;
  let fd: number;
  try {
    fd = fs.openSync(file, openFlags(opts.noFollow));
  } catch (err) {
    throw openError(file, err, opts.noFollow);
  }
  try {
    const st = fs.fstatSync(fd);
    checkOpened(file, st, maxBytes);
    // Read to EOF from this descriptor, never past the cap: the file may have grown since fstat.
    let buf: Buffer = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > maxBytes) throw tooLarge(file, maxBytes);
        buf = grow(buf, maxBytes);
      }
      let n: number;
      try {
        n = fs.readSync(fd, buf, length, buf.length - length, null);
      } catch (err) {
        throw new RegularFileError(
          `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}.`,
          file,
          'unreadable',
          (err as NodeJS.ErrnoException).code,
        );
      }
      if (n === 0) break;
      length += n;
    }
    return buf.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

/** Asynchronous read of a regular file as UTF-8; throws RegularFileError. */
export async function readRegularFile(file: string, opts: ReadRegularFileOptions = {}): Promise<string> {
  return (await readRegularFileBytes(file, opts)).toString('utf8');
}

/** Asynchronous read of a regular file's exact bytes (to restore them as they were); throws RegularFileError. */
export async function readRegularFileBytes(file: string, opts: ReadRegularFileOptions = {}): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? STATE_FILE_MAX_BYTES;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, openFlags(opts.noFollow));
  } catch (err) {
    throw openError(file, err, opts.noFollow);
  }
  try {
    const st = await handle.stat();
    checkOpened(file, st, maxBytes);
    let buf: Buffer = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > maxBytes) throw tooLarge(file, maxBytes);
        buf = grow(buf, maxBytes);
      }
      const { bytesRead } = await handle.read(buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buf.subarray(0, length);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
