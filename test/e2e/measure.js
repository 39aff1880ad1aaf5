#!/usr/bin/env node
// Figures for the bench, as JSON: extension activation time, time from opening a config to its first
// diagnostics in code-server (extension-host and as seen in the DOM), and the .vsix size.
// Usage: node test/e2e/measure.js [--ext-results FILE] [--dom-figures FILE] [--vsix FILE]
// Without --ext-results it runs the extension-host suite itself; without --vsix it packages one.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, CODE_SERVER_BIN } = require('./codeServer');

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
// Which editor the figures come from: code-server's version and the VS Code it carries (e2e runs two).
const codeServerLabel = () => {
  const pkgDir = path.join(path.dirname(CODE_SERVER_BIN), '..', 'code-server');
  const cs = readJson(path.join(pkgDir, 'package.json'));
  const product = readJson(path.join(pkgDir, 'lib', 'vscode', 'product.json'));
  return cs ? `${cs.version} (VS Code ${product ? product.version : '?'})` : 'unknown';
};
const readJson = (file) => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);

function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-measure-'));
  try {
    let extResults = readJson(arg('--ext-results'));
    if (!extResults) {
      const file = path.join(scratch, 'ext.json');
      try {
        execFileSync(process.execPath, [path.join(__dirname, 'run-ext-tests.js'), '--results', file], {
          stdio: 'ignore',
        });
      } catch {
        /* failures still leave figures */
      }
      extResults = readJson(file);
    }
    let vsix = arg('--vsix');
    if (!vsix || !fs.existsSync(vsix)) {
      vsix = path.join(scratch, 'openclaw-secrets.vsix');
      execFileSync(
        process.execPath,
        [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix],
        { cwd: REPO, stdio: 'ignore' },
      );
    }
    const dom = readJson(arg('--dom-figures')) || {};
    const figures = extResults ? extResults.figures || {} : {};
    const vsixBytes = fs.statSync(vsix).size;
    const report = {
      codeServer: codeServerLabel(),
      activationMs: figures.activationMs ?? null,
      openToFirstDiagnosticMs: figures.openToFirstDiagnosticMs ?? null,
      domOpenToFirstSquiggleMs: dom.openToFirstDiagnosticMs ?? null,
      workbenchLoadMs: dom.workbenchLoadMs ?? null,
      vsixBytes,
      vsixUnder1MB: vsixBytes < 1024 * 1024,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main();
