// The few asynchronous file calls a CLI audit makes (a provider file's checks and read), as promises over
// node:fs's callback API: the first touch of `fs.promises` loads node:fs/promises and seven modules it
// pulls in (readline, watchers, dirs), about 2 ms of every short run, for calls that need none of them.
import * as fs from 'node:fs';

const settle =
  <T>(resolve: (value: T) => void, reject: (err: NodeJS.ErrnoException) => void) =>
  (err: NodeJS.ErrnoException | null, value: T) =>
    err ? reject(err) : resolve(value);

export function lstat(file: string): Promise<fs.Stats> {
  return new Promise((resolve, reject) => fs.lstat(file, settle(resolve, reject)));
}

export function open(file: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => fs.open(file, flags, settle(resolve, reject)));
}

export function fstat(fd: number): Promise<fs.Stats> {
  return new Promise((resolve, reject) => fs.fstat(fd, settle(resolve, reject)));
}

/** Reads into `buffer` from the descriptor's current position; resolves with the count read (0 at the end). */
export function read(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buffer, offset, length, null, settle(resolve, reject)));
}

export function close(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())));
}
