// Whether this process did one-off work that later runs skip (preparing OpenClaw's schema, compiling its pieces).
// The CLI's launcher keeps no V8 code cache from such a run: it would hold that work's code (Ajv's compiler,
// 0.25 MB of it), which every warm run would then deserialize and never call.
let coldWork = false;

export function noteColdWork(): void {
  coldWork = true;
}

/** True when a V8 code cache taken at the end of this run holds only what a repeat of the run calls. */
export function codeCacheWorthKeeping(): boolean {
  return !coldWork;
}
