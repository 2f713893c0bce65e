#!/usr/bin/env bash
# Installs the real VS Code the e2e tests drive: code-server 4.100.3 (= VS Code 1.100.3, runs on
# Node 20) from npm, into a cache folder OUTSIDE the project's dependencies, so a user's
# `npm install` stays small. Re-runs are instant once it is there.
#
#   bash test/e2e/setup.sh            # cache: $MODEL_LENS_E2E_CACHE or <repo>/.cache/e2e
#
# System packages it needs (installed by .ci/run): ripgrep, and the build deps of code-server's
# native modules: libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++.
# Pitfalls handled here:
#  - as root, code-server's postinstall refuses to run without npm_config_unsafe_perm=true;
#  - node-pty's postinstall calls `npx node-gyp`, which cancels without a TTY unless
#    npm_config_yes=true (a ~/.npmrc may say yes=false);
#  - @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable); it first looks in
#    $TMPDIR/vscode-ripgrep-cache-<version>/<asset>, so we seed that with Debian's /usr/bin/rg;
#  - code-server writes ~/.config/code-server and ~/.local/share/code-server on any call, so the
#    XDG_* dirs point into the cache.
set -euo pipefail

CS_VERSION=4.100.3
RG_NPM_VERSION=1.15.11   # @vscode/ripgrep version pinned by code-server 4.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${MODEL_LENS_E2E_CACHE:-$REPO/.cache/e2e}
CS_DIR="$CACHE/code-server-$CS_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
STAMP="$CS_DIR/.installed"

export XDG_CONFIG_HOME="$CACHE/xdg/config" XDG_DATA_HOME="$CACHE/xdg/data" \
  XDG_CACHE_HOME="$CACHE/xdg/cache" XDG_STATE_HOME="$CACHE/xdg/state"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"

if [ -f "$STAMP" ] && [ -x "$CS_BIN" ]; then
  echo "e2e setup: code-server $CS_VERSION already installed in $CS_DIR"
  exit 0
fi

missing=()
for tool in rg pkg-config make g++ python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
for pc in krb5-gssapi xkbfile libsecret-1; do pkg-config --exists "$pc" 2>/dev/null || missing+=("pkg-config:$pc"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e setup: missing ${missing[*]}." >&2
  echo "  Install them with: apt-get install -y ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++" >&2
  exit 1
fi

T0=$(date +%s)
rm -rf "$CS_DIR"
mkdir -p "$CS_DIR"
export TMPDIR="$CACHE/tmp"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RG_NPM_VERSION"
tar -czf "$TMPDIR/vscode-ripgrep-cache-$RG_NPM_VERSION/$RG_ASSET" -C "$(dirname "$(command -v rg)")" rg

cd "$CS_DIR"
# When run under `npm test`, npm's own settings for the project are in the environment; they
# must not redirect this install.
unset npm_config_prefix npm_config_local_prefix npm_config_global npm_config_save npm_config_package_lock
echo '{"name":"model-lens-e2e-code-server","private":true}' > package.json
echo "e2e setup: installing code-server $CS_VERSION into $CS_DIR (takes a few minutes; log: $CS_DIR/install.log)"
if ! npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --no-save --foreground-scripts "code-server@$CS_VERSION" > install.log 2>&1; then
  tail -40 install.log >&2
  echo "e2e setup: npm install code-server failed (full log: $CS_DIR/install.log)" >&2
  exit 1
fi
RG_BIN="$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
if [ ! -x "$RG_BIN" ]; then
  echo "e2e setup: @vscode/ripgrep did not install rg at $RG_BIN" >&2
  exit 1
fi
"$CS_BIN" --version | head -1
touch "$STAMP"
echo "e2e setup: done in $(( $(date +%s) - T0 ))s ($(du -sh "$CS_DIR/node_modules" | cut -f1))"
