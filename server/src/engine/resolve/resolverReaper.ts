// Leaves nothing of a resolver running: its process group, and (Linux) any process that still holds one
// of our pipes to it, which is how a `setsid` grandchild that left the group is found.
import { readdirSync, readlinkSync } from 'node:fs';

/** The names of our own stdio: a child caught between its fork and its dup2s still shows these as its 0-2. */
function ownStdioLinks(): Set<string> {
  const links = new Set<string>();
  for (const fd of [0, 1, 2]) {
    try {
      links.add(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed, or no /proc
    }
  }
  return links;
}

/**
 * The `pipe:[inode]` / `socket:[inode]` names of a child's stdio (Node gives it socketpair ends, whose
 * inodes differ from ours, so they are read from the child's own fd table). Our own stdio is left out: a
 * child caught before its stdio is set up still shows ours, and those are not its. Nothing else of ours can
 * show there: Node's descriptors are close-on-exec, and the child's ends are closed here once spawn returns.
 */
export function childStdioIdentities(pid: number | undefined): Set<string> {
  const ids = new Set<string>();
  if (pid === undefined || process.platform !== 'linux') return ids;
  const own = ownStdioLinks();
  for (const fd of [0, 1, 2]) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if ((link.startsWith('pipe:') || link.startsWith('socket:')) && !own.has(link)) ids.add(link);
    } catch {
      // the child already exited or closed it: its group is still killed
    }
  }
  return ids;
}

export function killProcessGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    // The resolver leads its own group (spawned detached), so -pgid reaches everything it forked.
    process.kill(process.platform === 'win32' ? pgid : -pgid, 'SIGKILL');
  } catch {
    // group already empty
  }
}

/** SIGKILL every other process whose fd table holds one of `pipes` (the child's stdio ends); returns how many. */
export function killPipeHolders(pipes: ReadonlySet<string>): number {
  let killed = 0;
  // Repeat until a pass finds nobody: a holder may fork between our reading /proc and its death.
  for (let pass = 0; pass < 5; pass++) {
    const n = killPipeHoldersOnce(pipes);
    killed += n;
    if (n === 0) break;
  }
  return killed;
}

function killPipeHoldersOnce(pipes: ReadonlySet<string>): number {
  if (pipes.size === 0 || process.platform !== 'linux') return 0;
  let killed = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!pipes.has(link)) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // exited meanwhile
      }
      break;
    }
  }
  return killed;
}
