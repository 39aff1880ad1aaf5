// The store through the real `openclaw secrets store list --json` (runtimes without node:sqlite): names,
// kinds, and env-kind values (OpenClaw prints those; secret-kind values it never prints). Own process
// group, a deadline, the group killed on timeout; stdout is parsed in memory and never echoed.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RawStoreEntry } from './secretStore';
import { isRecord } from '../config/jsonValue';

/** Cap on what we accept from the child (the listing is names and metadata). */
const MAX_LIST_BYTES = 8 * 1024 * 1024;

/** The first executable regular file named openclaw on PATH, as a shell would find it. */
export function findOpenClawBinary(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, 'openclaw');
    try {
      const st = fs.statSync(candidate);
      if (st.isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface CliStoreRead {
  entries: RawStoreEntry[];
  problem?: string;
}

/** Parse `store list --json`: an array of `{ name, kind, valuePreview? }`; anything else is refused. */
export function parseStoreList(stdout: string): RawStoreEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const entries: RawStoreEntry[] = [];
  for (const item of parsed) {
    if (!isRecord(item) || typeof item.name !== 'string') return undefined;
    if (item.scopeKind !== undefined && item.scopeKind !== 'team') continue;
    if (item.kind !== 'secret' && item.kind !== 'env') return undefined;
    entries.push({
      name: item.name,
      kind: item.kind,
      ...(item.kind === 'env' && typeof item.valuePreview === 'string' ? { value: item.valuePreview } : {}),
    });
  }
  return entries;
}

export function readStoreWithOpenClawCli(
  binary: string,
  stateDir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CliStoreRead> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['secrets', 'store', 'list', '--json'], {
      env: { ...env, OPENCLAW_STATE_DIR: stateDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const finish = (result: CliStoreRead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      killGroup(); // helpers it started must not outlive our answer
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ entries: [], problem: `openclaw secrets store list did not answer within ${timeoutMs} ms.` }),
      timeoutMs,
    );
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_LIST_BYTES)
        finish({ entries: [], problem: 'openclaw secrets store list printed more than expected; ignored.' });
      else chunks.push(d);
    });
    child.on('error', (err) =>
      finish({
        entries: [],
        problem: `openclaw could not be started (${(err as NodeJS.ErrnoException).code ?? err.name}).`,
      }),
    );
    child.on('close', (code) => {
      if (code !== 0)
        return finish({ entries: [], problem: `openclaw secrets store list exited with code ${code ?? 'signal'}.` });
      const entries = parseStoreList(Buffer.concat(chunks).toString('utf8'));
      finish(
        entries
          ? { entries }
          : { entries: [], problem: 'openclaw secrets store list printed something that is not its JSON listing.' },
      );
    });
  });
}
