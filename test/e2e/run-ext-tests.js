#!/usr/bin/env node
// Runs the extension-host mocha suites (out/test/e2e/suite) inside code-server: the workbench loads this repo
// as the extension under development and requires the suite, exactly like @vscode/test-electron would.
// Usage: node test/e2e/run-ext-tests.js [--untrusted] [--results FILE]
// Prints one line per test and "N passed, M failed"; exit code 0 only if every test passed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const {
  REPO,
  missingPrerequisites,
  makeRunDir,
  startCodeServer,
  launchChromium,
  folderUrl,
  removeRunDir,
} = require('./codeServer');
const { writeWorkspace, CANARY, SERVER_ENV } = require('./workspace');

// A deadline, not a wait: the whole suite on a busy 2-core machine in the heavier 1.139 workbench took 277 s.
const RUN_TIMEOUT_MS = 480_000;

async function main() {
  const untrusted = process.argv.includes('--untrusted');
  const resultsArg = process.argv.indexOf('--results');
  const missing = missingPrerequisites();
  if (missing.length) {
    console.error(`e2e: cannot run, missing: ${missing.join('; ')}`);
    return 2;
  }
  const suiteEntry = path.join(REPO, 'out', 'test', 'e2e', 'suite', 'index.js');
  if (!fs.existsSync(suiteEntry)) {
    console.error(`e2e: ${suiteEntry} is missing (npm run build compiles the suites)`);
    return 2;
  }
  const mode = untrusted ? 'untrusted' : 'trusted';
  const runDir = makeRunDir(mode);
  const ws = writeWorkspace(path.join(runDir, 'ws'));
  const resultsFile = path.join(runDir, 'results.json');
  const server = await startCodeServer({
    runDir,
    trusted: !untrusted,
    env: {
      ...SERVER_ENV,
      // The env variable the quick fix suggests for models.providers.openai.apiKey holds the same value.
      OPENAI_API_KEY: CANARY,
      OPENCLAW_E2E_MODE: mode,
      OPENCLAW_E2E_RESULTS: resultsFile,
      OPENCLAW_ORACLE_PREFIX: process.env.OPENCLAW_ORACLE_PREFIX || path.join(REPO, '.oracle'),
    },
  });
  const { context, page } = await launchChromium(runDir);
  let exitCode;
  try {
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${server.authority}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${server.authority}${suiteEntry}`],
    ];
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    // The workbench forwards the extension host's console here and reports run()'s outcome as an exit code.
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (line.includes(CANARY)) console.log('e2e: (a log line held the canary value and was withheld)');
      else console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    const started = Date.now();
    // A loaded shared machine can take well over 30 s to serve the workbench.
    await page.goto(folderUrl(server.base, ws.root, payload), { timeout: 180_000 });
    let timer;
    exitCode = await Promise.race([
      exited,
      new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    console.log(`e2e (${mode}): workbench exit code ${exitCode} after ${Date.now() - started} ms`);
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
  const results = fs.existsSync(resultsFile)
    ? JSON.parse(fs.readFileSync(resultsFile, 'utf8'))
    : { tests: [], figures: {} };
  if (resultsArg > 0 && process.argv[resultsArg + 1])
    fs.writeFileSync(process.argv[resultsArg + 1], JSON.stringify(results, null, 2));
  const passed = results.tests.filter((t) => t.state === 'passed').length;
  let failed = results.tests.filter((t) => t.state === 'failed').length;
  const pending = results.tests.filter((t) => t.state === 'pending').length;
  if (exitCode !== 0 && failed === 0) failed = 1; // the run itself broke (timeout, load error)
  for (const t of results.tests)
    console.log(
      `${t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip'} ${t.title}${t.error ? `\n     ${t.error.split('\n').slice(0, 4).join('\n     ')}` : ''}`,
    );
  if (Object.keys(results.figures || {}).length) console.log(`figures: ${JSON.stringify(results.figures)}`);
  console.log(`${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  if (failed === 0) removeRunDir(runDir);
  else console.log(`e2e: run dir kept for inspection: ${runDir}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
