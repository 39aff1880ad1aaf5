// Extension-host entry (extensionTestsPath): runs the mocha suites inside the real VS Code extension host,
// and writes pass/fail per test to OPENCLAW_E2E_RESULTS for the runner (the workbench only reports an exit code).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mode = process.env.OPENCLAW_E2E_MODE === 'untrusted' ? 'untrusted' : 'trusted';
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const file of files) {
    if ((file === 'untrusted.test.js') === (mode === 'untrusted')) mocha.addFile(path.join(__dirname, file));
  }
  const records: TestRecord[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsPath = process.env.OPENCLAW_E2E_RESULTS;
      if (resultsPath)
        fs.writeFileSync(resultsPath, JSON.stringify({ mode, tests: records, figures: figures() }, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => records.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) =>
      records.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }),
    );
    runner.on('pending', (t) => records.push({ title: t.fullTitle(), state: 'pending' }));
  });
}

/** Figures measured by the suites (activation time, time to first diagnostics). */
function figures(): Record<string, number> {
  return (globalThis as { openclawE2eFigures?: Record<string, number> }).openclawE2eFigures ?? {};
}
