// Walks folders for files holding a value (the canary): regular files only (never through a symlink), up to a
// size cap, optionally only those changed since a moment. Returns the paths that hold it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const MAX_SCANNED_BYTES = 64 * 1024 * 1024;

/**
 * options: { exclude: absolute paths not to enter, changedSinceMs: skip files last modified before it }
 * Returns { hits, filesScanned }.
 */
function scanForValue(roots, value, options = {}) {
  const needle = Buffer.from(value, 'utf8');
  const exclude = new Set((options.exclude || []).map((p) => path.resolve(p)));
  const hits = [];
  let filesScanned = 0;
  const visit = (p) => {
    if (exclude.has(p)) return;
    let stat;
    try {
      stat = fs.lstatSync(p);
    } catch {
      return; // gone meanwhile, or unreadable
    }
    if (stat.isDirectory()) {
      let names = [];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const name of names) visit(path.join(p, name));
      return;
    }
    if (!stat.isFile() || stat.size === 0 || stat.size > MAX_SCANNED_BYTES) return;
    if (options.changedSinceMs !== undefined && stat.mtimeMs < options.changedSinceMs) return;
    let data;
    try {
      data = fs.readFileSync(p);
    } catch {
      return;
    }
    filesScanned += 1;
    if (data.includes(needle)) hits.push(p);
  };
  const resolved = [...new Set(roots.filter(Boolean).map((r) => path.resolve(r)))];
  // A root inside another root is walked once, as part of the outer one.
  const outer = resolved.filter((r) => !resolved.some((o) => o !== r && r.startsWith(o + path.sep)));
  for (const root of outer) visit(root);
  return { hits, filesScanned };
}

module.exports = { scanForValue };
