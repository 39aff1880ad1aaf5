// apply is one transaction: the built CLI is SIGKILLed at 200+ random moments (no hook in the code); each
// file is then old or new, the next command finishes or rolls back (and says which), a rerun converges and
// no temp, staged, journal or lock file is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watch, existsSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  CLI,
  FILES,
  listTree,
  readFiles,
  runCli,
  writeFixture,
  writePlan,
  type Fixture,
  type Run,
} from './applyFixture';

const KILLS = 208;
const PARALLEL = 4;

interface Outcome {
  killedBy: 'timer' | 'journal';
  delayMs: number;
  recovery: 'none' | 'finished' | 'rolled-back';
  endedAs: 'old' | 'new';
}

test(
  `apply SIGKILLed at ${KILLS} random moments: every file old or new, next command recovers, rerun converges, nothing left`,
  { timeout: 1_500_000 },
  async () => {
    assert.ok(existsSync(CLI), `build first: ${CLI} is missing`);
    const root = mkdtempSync(path.join(tmpdir(), 'ocs-crash-'));
    try {
      // Reference: the old files, and the new ones an uninterrupted apply writes.
      const ref = writeFixture(root);
      const refPlan = writePlan(ref.dir, 'plan.json', [0, 50], true);
      const oldFiles = readFiles(ref.dir);
      const t0 = process.hrtime.bigint();
      const clean = await runCli(['apply', '--from', refPlan], ref.env, ref.dir);
      const fullMs = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(clean.code, 0, clean.stderr);
      const newFiles = readFiles(ref.dir);
      for (const f of FILES) assert.notEqual(newFiles[f], oldFiles[f], `${f} changes`);
      const cleanTree = listTree(ref.dir);

      const outcomes: Outcome[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < KILLS; i = next++) {
          const fx = writeFixture(root);
          const plan = writePlan(fx.dir, 'plan.json', [0, 50], true);
          // Half the kills land anywhere in a whole run; half within 3 ms of the k-th change to the journal
          // (k random: the staging and the commit phases each write it), where the writes happen.
          const mode = i % 2 === 0 ? 'timer' : 'journal';
          const delayMs = mode === 'timer' ? Math.random() * fullMs * 1.1 : Math.random() * 3;
          const nthEvent = 1 + Math.floor(Math.random() * 6);
          const killed = await (mode === 'timer'
            ? runCli(['apply', '--from', plan], fx.env, fx.dir, delayMs)
            : runKilledAtJournal(fx, plan, nthEvent, delayMs));
          const label = `kill ${i} (${mode} ${mode === 'journal' ? `event ${nthEvent} + ` : ''}${delayMs.toFixed(2)} ms, ${killed.signal ?? `exit ${killed.code}`})`;
          // Each file on its own is old or new, whatever the moment.
          const now = readFiles(fx.dir);
          for (const f of FILES)
            assert.ok(now[f] === oldFiles[f] || now[f] === newFiles[f], `${label}: ${f} is neither old nor new`);
          // The next command finishes or rolls back and says which: for every 4th kill audit (then the state is
          // checked: all old or all new), else apply itself; a rerun then converges to what a clean apply writes.
          let recovery: Outcome['recovery'] = 'none';
          let endedAs: Outcome['endedAs'] | undefined;
          const said = (r: Run): Outcome['recovery'] =>
            /^Finished an interrupted secrets apply/m.test(r.stderr)
              ? 'finished'
              : /^Rolled back an interrupted secrets apply/m.test(r.stderr)
                ? 'rolled-back'
                : 'none';
          const outputs: Run[] = [killed];
          if (i % 4 === 1) {
            const audit = await runCli(['audit', '--json'], fx.env, fx.dir);
            outputs.push(audit);
            assert.ok(audit.code === 0 || audit.code === 1, `${label}: audit exit ${audit.code}: ${audit.stderr}`);
            recovery = said(audit);
            const after = readFiles(fx.dir);
            endedAs = FILES.every((f) => after[f] === oldFiles[f])
              ? 'old'
              : FILES.every((f) => after[f] === newFiles[f])
                ? 'new'
                : undefined;
            assert.ok(endedAs, `${label}: after recovery (${recovery}) the files are a mix of old and new`);
            if (recovery === 'finished') assert.equal(endedAs, 'new', label);
            if (recovery === 'rolled-back') assert.equal(endedAs, 'old', label);
            assert.deepEqual(listTree(fx.dir), cleanTree, `${label}: leftover files after recovery`);
          }
          const rerun = await runCli(['apply', '--from', plan], fx.env, fx.dir);
          outputs.push(rerun);
          assert.equal(rerun.code, 0, `${label}: ${rerun.stderr}`);
          if (recovery === 'none') recovery = said(rerun);
          endedAs ??= recovery === 'rolled-back' ? 'old' : 'new';
          assert.deepEqual(readFiles(fx.dir), newFiles, `${label}: rerun did not converge`);
          assert.deepEqual(listTree(fx.dir), cleanTree, `${label}: leftover files after the rerun`);
          for (const out of outputs)
            assert.ok(!`${out.stdout}${out.stderr}`.includes('CANARY'), `${label}: a value was printed`);
          outcomes.push({ killedBy: mode, delayMs, recovery, endedAs });
          rmSync(fx.dir, { recursive: true, force: true });
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      assert.equal(outcomes.length, KILLS);
      const count = (p: (o: Outcome) => boolean) => outcomes.filter(p).length;
      // The experiment must have hit the transaction, not only the start-up or the end.
      assert.ok(count((o) => o.recovery !== 'none') > 0, 'no kill landed inside the transaction');
      console.log(
        `# ${KILLS} kills (uninterrupted apply ${fullMs.toFixed(0)} ms): finished ${count((o) => o.recovery === 'finished')}, rolled back ${count((o) => o.recovery === 'rolled-back')}, ` +
          `untouched ${count((o) => o.recovery === 'none' && o.endedAs === 'old')}, already done ${count((o) => o.recovery === 'none' && o.endedAs === 'new')}`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);

/** Kill apply `delayMs` after the `nth` change to its journal in the state dir (or let it end if there are fewer). */
function runKilledAtJournal(fx: Fixture, plan: string, nth: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'apply', '--from', plan], {
      env: fx.env,
      cwd: fx.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    let seen = 0;
    const watcher = watch(fx.dir, (_event, name) => {
      if (killTimer || !name?.startsWith('.openclaw-secrets-apply.journal') || ++seen < nth) return;
      killTimer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      watcher.close();
      if (killTimer) clearTimeout(killTimer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
