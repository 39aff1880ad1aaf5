// Cache entries named after the file they were made from, without reading or hashing it: its device, inode,
// size and times. Writing or replacing a file changes its ctime (which no program can set back), so an edited
// or reinstalled file never matches an entry made from what was there before.
import type { BigIntStats } from 'node:fs';

/** `hexChars` hex digits (a multiple of 8, at most 64) naming the file `st` describes. */
export function fileIdentityKey(st: BigIntStats, hexChars = 16): string {
  const identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  let key = '';
  // 32-bit FNV-1a per round, each round from another basis: a name, not a defence (the cache dir is the user's).
  for (let round = 0; key.length < hexChars; round++) {
    let h = 0x811c9dc5 ^ Math.imul(round + 1, 0x9e3779b9);
    for (let i = 0; i < identity.length; i++) h = Math.imul(h ^ identity.charCodeAt(i), 0x01000193);
    key += (h >>> 0).toString(16).padStart(8, '0');
  }
  return key;
}
