#!/usr/bin/env bash
# The main job: build, start a real VS Code (code-server 4.100.3) on 127.0.0.1 with this extension installed
# and examples/ open, print its URL, and run the CLI audit of the same example. Ctrl-C stops code-server.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PORT=${PORT:-8787}
PREFIX=${CODE_SERVER_PREFIX:-$REPO/.e2e/code-server}
DATA=${START_DATA_DIR:-$REPO/.e2e/start}

npm run build
if ! dpkg -s libkrb5-dev ripgrep >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends libkrb5-dev ripgrep >/dev/null
fi
bash scripts/install-code-server.sh "$PREFIX"
CS="$PREFIX/node_modules/.bin/code-server"

# Install the extension as a folder (what the .vsix would unpack to), into a throwaway extensions dir.
rm -rf "$DATA/extensions"
EXT="$DATA/extensions/openclaw-secrets.openclaw-secrets-0.1.0"
mkdir -p "$EXT" "$DATA/home" "$DATA/user-data/User" "$DATA/tmp"
cp -r package.json README.md dist schemas "$EXT/"
[ -d syntaxes ] && cp -r syntaxes "$EXT/"
[ -d media ] && cp -r media "$EXT/"
cat > "$DATA/user-data/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "update.mode": "none",
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false }
JSON

echo
echo "== CLI: openclaw-secrets audit of examples/openclaw.json"
OPENCLAW_CONFIG_PATH="$REPO/examples/openclaw.json" OPENCLAW_STATE_DIR="$REPO/examples" node dist/cli.js audit || true
echo

TMPDIR="$DATA/tmp" HOME="$DATA/home" XDG_CONFIG_HOME="$DATA/home/.config" XDG_DATA_HOME="$DATA/home/.local/share" \
XDG_CACHE_HOME="$DATA/home/.cache" setsid "$CS" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-getting-started-override --ignore-last-opened \
  --user-data-dir "$DATA/user-data" --extensions-dir "$DATA/extensions" > "$DATA/code-server.log" 2>&1 &
PID=$!
trap 'kill -- -$PID 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 150); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; kill -0 $PID 2>/dev/null || { cat "$DATA/code-server.log"; exit 1; }; sleep 0.2; done
echo "== VS Code (code-server) with OpenClaw Secrets is running:"
echo "   http://127.0.0.1:$PORT/?folder=$REPO/examples"
echo "   (log: $DATA/code-server.log; Ctrl-C to stop)"
if [ "${START_DETACH:-0}" = 1 ]; then trap - EXIT INT TERM; echo "   detached: stop with kill -- -$PID"; exit 0; fi
wait $PID
