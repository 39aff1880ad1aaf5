// Starts code-server (a real VS Code 1.100.3 workbench + Node extension host) on 127.0.0.1 with throwaway
// HOME/XDG dirs, and drives Debian's Chromium with playwright-core. Shared by the e2e runner, DOM smoke and measure.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const CODE_SERVER_PREFIX = process.env.CODE_SERVER_PREFIX || path.join(REPO, '.e2e', 'code-server');
const CODE_SERVER_BIN = path.join(CODE_SERVER_PREFIX, 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function missingPrerequisites() {
  const missing = [];
  if (!fs.existsSync(CODE_SERVER_BIN))
    missing.push(`code-server (run scripts/install-code-server.sh ${CODE_SERVER_PREFIX})`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`chromium at ${CHROMIUM} (apt-get install chromium)`);
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js')) || !fs.existsSync(path.join(REPO, 'dist', 'server.js')))
    missing.push('dist bundles (npm run build)');
  return missing;
}

/** A fresh temp dir for one run; everything code-server and Chromium write goes under it. */
function makeRunDir(label) {
  return fs.mkdtempSync(path.join(process.env.E2E_TMP || os.tmpdir(), `openclaw-e2e-${label}-`));
}

/**
 * Starts code-server and resolves once it logs its listening URL (or rejects after the deadline).
 * options: { runDir, trusted = true, env = {}, settings = {}, extensionsDir, smokeTestDriver = true }
 */
async function startCodeServer(options) {
  const runDir = options.runDir;
  const home = path.join(runDir, 'home');
  const userData = path.join(runDir, 'user-data');
  const extensions = options.extensionsDir || path.join(runDir, 'extensions');
  const tmp = path.join(runDir, 'tmp');
  for (const dir of [home, path.join(userData, 'User'), extensions, tmp]) fs.mkdirSync(dir, { recursive: true });
  const trusted = options.trusted !== false;
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
    'files.autoSave': 'off',
    'files.hotExit': 'off',
    'workbench.enableExperiments': false,
    'chat.commandCenter.enabled': false,
    ...(options.settings || {}),
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const args = [
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
  ];
  if (trusted) args.push('--disable-workspace-trust');
  const env = {
    ...process.env,
    TMPDIR: tmp,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    // VS Code >= 1.10x honours the URL payload (extensionDevelopmentPath/extensionTestsPath) in a built workbench
    // only with the smoke-test driver on; code-server 4.139 passes this variable's flags to VS Code (4.100 ignores it).
    // The driver also stops 1.139 from showing notification toasts, so what a person sees is tested without it.
    ...(options.smokeTestDriver === false ? {} : { VSCODE_OPTIONS: 'enable-smoke-test-driver' }),
    ...(options.env || {}),
  };
  const log = fs.openSync(path.join(runDir, 'code-server.log'), 'a');
  // Own process group (detached = setsid): stopping it also ends the file watchers it forks.
  const child = spawn(CODE_SERVER_BIN, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = Date.now();
  const base = await new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`code-server did not start within 60 s; see ${runDir}/code-server.log`)),
      60_000,
    );
    const onData = (chunk) => {
      fs.writeSync(log, chunk);
      buffered += chunk.toString('utf8');
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}; see ${runDir}/code-server.log`));
    });
  });
  // Keep draining output into the log so the pipes never fill.
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.on('data', (c) => fs.writeSync(log, c));
  child.stderr.on('data', (c) => fs.writeSync(log, c));
  child.removeAllListeners('exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
    fs.closeSync(log);
  };
  return { base, authority: new URL(base).host, startMs: Date.now() - started, stop, userData, home };
}

async function launchChromium(runDir) {
  const { chromium } = require('playwright-core');
  const profile = path.join(runDir, 'chromium-profile');
  fs.mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 860 },
    // Chromium writes crash reports under XDG_CONFIG_HOME: keep them in the run dir.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, 'xdg'), HOME: path.join(runDir, 'home') },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  // The 1.139 workbench is a heavier page than 1.100's: on a busy 2-core machine its load event can take over 30 s.
  // (On the page: a page's navigation timeout outranks the step timeout callers set with page.setDefaultTimeout.)
  context.setDefaultNavigationTimeout(120_000);
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultNavigationTimeout(120_000);
  return { context, page };
}

function folderUrl(base, folder, payload) {
  let url = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

function removeRunDir(runDir) {
  if (process.env.E2E_KEEP) return;
  fs.rmSync(runDir, { recursive: true, force: true });
}

/**
 * Named steps on a page: each runs, prints "ok" or "FAIL" with its reason, and on failure leaves a screenshot
 * in runDir; `results` collects them for the summary line.
 */
function stepRunner(page, runDir) {
  const results = [];
  const step = async (name, body) => {
    const started = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      results.push({ name, ok: false, error: String((err && err.message) || err) });
      console.log(
        `FAIL ${name}\n     ${String((err && err.message) || err)
          .split('\n')
          .slice(0, 8)
          .join('\n     ')}`,
      );
      await page.screenshot({ path: path.join(runDir, `failed-${results.length}.png`) }).catch(() => undefined);
    }
  };
  return { results, step };
}

/** F1, the command's full name ("Category: Title") typed, its row waited for, Enter: as a person runs it. */
async function runPaletteCommand(page, name) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type(name);
  const title = name.slice(name.indexOf(': ') + 2);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Go to Line/Column (Ctrl+G), the way a person jumps to a spot without the mouse. Enter waits for the widget's
 * "Go to line N ..." row: an Enter before the widget has read the typed position leaves it open.
 */
async function goToLine(page, line, column) {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type(`${line}:${column}`);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`line ${line}\\b`) })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
}

/**
 * Presses `key` until `locator` shows (each try waits `tryMs`), Escape between tries, up to `deadlineMs`: VS Code
 * can drop the answer to a keystroke that races the editor taking focus back or its own requests (Ctrl+. against
 * the lightbulb's request, Ctrl+Space before the server is ready), and then shows an empty widget that closes.
 */
async function pressUntilShown(page, key, locator, what, { tryMs = 5_000, deadlineMs = 45_000 } = {}) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    await page.keyboard.press(key);
    const shown = await locator.waitFor({ timeout: tryMs }).then(
      () => true,
      () => false,
    );
    if (shown) return;
    if (Date.now() > deadline) throw new Error(`${key} showed no ${what} within ${deadlineMs / 1000} s`);
    await page.keyboard.press('Escape');
  }
}

module.exports = {
  REPO,
  CODE_SERVER_BIN,
  CHROMIUM,
  missingPrerequisites,
  makeRunDir,
  startCodeServer,
  launchChromium,
  folderUrl,
  removeRunDir,
  stepRunner,
  runPaletteCommand,
  goToLine,
  pressUntilShown,
};
