// Shared helpers for the resolver tests: temp dirs, resolver scripts written with real modes, and
// waiting on an event with a deadline (no sleeps).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TempDir {
  dir: string;
  file: (name: string) => string;
  cleanup: () => void;
}

export function tempDir(prefix = 'ocs-resolve-'): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A `#!/bin/sh` resolver script at `<dir>/<name>` with the given mode (0700 unless said otherwise). */
export function writeScript(dir: string, name: string, body: string, mode = 0o700): string {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, mode);
  return p;
}

export function writeSecretFile(dir: string, name: string, content: string, mode = 0o600): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
}

export function readLines(p: string): string[] {
  return existsSync(p)
    ? readFileSync(p, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

/** Poll `check` on timers until it returns true or the deadline passes (waiting on an event, not sleeping). */
export async function waitUntil(check: () => boolean, deadlineMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** True when the pid no longer runs (gone, or a zombie waiting to be reaped). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Every message a test saw must be free of the fake secret canary. */
export const CANARY = 'sk-test-CANARY';
