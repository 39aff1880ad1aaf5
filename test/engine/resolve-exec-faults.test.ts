// The exec fault matrix: real resolver scripts in a temp dir, each fault answered within timeoutMs + 1 s,
// the message naming the provider and ending in one period, and nothing the resolver started left running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { resolveRefs } from '../../server/src/engine/resolve';
import type { ExecProviderConfig } from '../../server/src/engine/refs/secretRef';
import { CANARY, tempDir, waitUntil, writeScript } from './resolve-kit';

const TIMEOUT_MS = 1500;
const ANSWER = `printf '{"protocolVersion":1,"values":{"k":"${CANARY}-OK"}}'`;

/** Pids whose argv or environment carries `marker` (every process a case starts inherits it through env). */
function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // dead, awaiting its reaper
      const text = readFileSync(`/proc/${pid}/cmdline`, 'latin1') + readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (text.includes(marker)) found.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

interface FaultCase {
  name: string;
  /** script body after `#!/bin/sh`; MARKER is replaced with this case's marker */
  body?: string;
  mode?: number;
  /** a command other than the script (relative, missing) */
  command?: (dir: string) => string;
  extra?: Partial<ExecProviderConfig>;
  /** the message, or null when the ref resolves */
  message: RegExp | null;
}

const lingering = (marker: string) => `/bin/sh -c '/bin/sleep 30; :' ${marker}`;

const cases: FaultCase[] = [
  {
    name: 'not found',
    command: (d) => path.join(d, 'missing.sh'),
    message: /^secrets\.providers\.vault\.command is not readable: .*missing\.sh$/,
  },
  {
    name: 'not executable',
    body: `${ANSWER}`,
    mode: 0o600,
    message: /^Exec provider "vault" could not be started \(EACCES\)\.$/,
  },
  {
    name: 'relative',
    command: () => 'resolver.sh',
    message: /^secrets\.providers\.vault\.command must be an absolute path\.$/,
  },
  {
    name: 'world-writable',
    body: ANSWER,
    mode: 0o702,
    message: /^secrets\.providers\.vault\.command permissions are too open: /,
  },
  {
    name: 'non-zero exit',
    body: `/bin/cat >/dev/null\necho ${CANARY} >&2\nexit 3`,
    message: /^Exec provider "vault" exited with code 3\.$/,
  },
  {
    name: 'killed by a signal',
    body: `/bin/cat >/dev/null\nkill -TERM $$`,
    message: /^Exec provider "vault" was killed by SIGTERM\.$/,
  },
  {
    name: 'hang',
    body: `/bin/cat >/dev/null\nexec ${lingering('MARKER')}`,
    message: /^Exec provider "vault" (timed out after 1500ms|produced no output for 1500ms)\.$/,
  },
  {
    name: 'output over the limit',
    body: `exec /usr/bin/yes ${CANARY}-FLOOD`,
    extra: { maxOutputBytes: 4096 },
    message: /^Exec provider "vault" output exceeded maxOutputBytes \(4096\)\.$/,
  },
  {
    name: 'stderr flood',
    body: `/bin/cat >/dev/null\nexec /usr/bin/yes ${CANARY}-ERR 1>&2`,
    extra: { maxOutputBytes: 4096 },
    message: /^Exec provider "vault" output exceeded maxOutputBytes \(4096\)\.$/,
  },
  {
    name: 'bad JSON',
    body: `/bin/cat >/dev/null\nprintf '{${CANARY}'`,
    message: /^Exec provider "vault" returned invalid JSON\.$/,
  },
  {
    name: 'wrong protocol',
    body: `/bin/cat >/dev/null\nprintf '{"protocolVersion":2,"values":{"k":"${CANARY}"}}'`,
    message: /^Exec provider "vault" protocolVersion must be 1\.$/,
  },
  {
    name: 'missing id',
    body: `/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"other":"${CANARY}"}}'`,
    message: /^Exec provider "vault" response missing id "k"\.$/,
  },
  {
    name: 'extra ids are ignored',
    body: `/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"k":"${CANARY}-OK","extra":"${CANARY}-X"}}'`,
    message: null,
  },
  {
    name: 'grandchild holding the pipe, same group',
    body: `/bin/cat >/dev/null\n${lingering('MARKER')} &\n${ANSWER}`,
    message: null,
  },
  {
    name: 'grandchild holding the pipe under setsid',
    body: `/bin/cat >/dev/null\n/usr/bin/setsid ${lingering('MARKER')} &\n${ANSWER}`,
    message: null,
  },
  { name: 'double fork', body: `/bin/cat >/dev/null\n( ${lingering('MARKER')} & )\n${ANSWER}`, message: null },
  {
    name: 'nohup grandchild with its own output file',
    body: `/bin/cat >/dev/null\n/usr/bin/nohup ${lingering('MARKER')} >/dev/null 2>&1 &\n${ANSWER}`,
    message: null,
  },
  {
    name: 'hang with a setsid grandchild holding the pipe',
    body: `/bin/cat >/dev/null\n/usr/bin/setsid ${lingering('MARKER')} &\nexec ${lingering('MARKER')}`,
    message: /^Exec provider "vault" (timed out after 1500ms|produced no output for 1500ms)\.$/,
  },
];

for (const c of cases) {
  test(`exec fault: ${c.name}`, async () => {
    const t = tempDir('ocs-exec-fault-');
    const marker = `hardio-fault-${randomBytes(6).toString('hex')}`;
    try {
      const command = c.command
        ? c.command(t.dir)
        : writeScript(t.dir, 'resolver.sh', (c.body ?? '').replaceAll('MARKER', marker), c.mode);
      const started = Date.now();
      const outcomes = await resolveRefs(
        [{ source: 'exec', provider: 'vault', id: 'k' }],
        {
          providers: {
            vault: { source: 'exec', command, timeoutMs: TIMEOUT_MS, env: { OCS_FAULT_MARKER: marker }, ...c.extra },
          },
        },
        { allowExec: true, env: {} },
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed < TIMEOUT_MS + 1000, `answered after ${elapsed}ms`);
      const o = outcomes.get('exec:vault:k');
      assert.ok(o, 'an outcome');
      if (c.message === null) {
        assert.ok(o.ok, o.ok ? '' : o.error.message);
        assert.equal(o.value, `${CANARY}-OK`);
      } else {
        assert.equal(o.ok, false);
        if (o.ok) return;
        assert.match(o.error.message, c.message);
        assert.equal(o.error.provider, 'vault');
        assert.ok(!o.error.message.includes(CANARY), 'no value in the message');
        assert.ok(!o.error.message.endsWith('..'), 'one final period');
      }
      // SIGKILL is sent before we answer; the kernel may need a moment to tear the processes down.
      await waitUntil(() => processesWithMarker(marker).length === 0, 1000, `processes marked ${marker} to be gone`);
    } finally {
      for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
      t.cleanup();
    }
  });
}
