// The few asynchronous file calls a CLI audit makes (a provider file's checks and read), as promises over
// node:fs's callback API: the first touch of `fs.promises` loads node:fs/promises and seven modules it
// pulls in (readline, watchers, dirs), about 2 ms of every short run, for calls that need none of them.
import * as fs from 'node:fs';
import { promisify } from 'node:util';

export const lstat = promisify(fs.lstat);
export const open = promisify(fs.open);
export const fstat = promisify(fs.fstat);
export const close = promisify(fs.close);
const readInto = promisify(fs.read);

/** Reads into `buffer` from the descriptor's current position; resolves with the count read (0 at the end). */
export async function read(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return (await readInto(fd, buffer, offset, length, null)).bytesRead;
}
