#!/usr/bin/env bash
# Puts Node.js (22.18+, 24.11+ or 26+, the versions tsup builds on) and pnpm first on PATH. The system Node is used when it is new enough;
# otherwise Node 22 is installed from the `node` npm package into a cache folder, since these
# machines ship an older Node and no version manager.
# Sourced by .ci/run and by developers, so it sets no shell options of its own.

tools_dir="${CFKV_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cfkv-tools}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$repo_root/package.json")"

node_is_recent() {
  "$1" -e 'const [major, minor] = process.versions.node.split(".").map(Number);
    const built = (major === 22 && minor >= 18) || (major === 24 && minor >= 11) || major >= 26;
    process.exit(built ? 0 : 1)' 2>/dev/null
}

if ! command -v node >/dev/null || ! node_is_recent node; then
  if ! [ -x "$tools_dir/node22/node_modules/.bin/node" ] ||
    ! node_is_recent "$tools_dir/node22/node_modules/.bin/node"; then
    echo "toolchain: system Node is not 22.18+, 24.11+ or 26+; installing node@22 into $tools_dir/node22"
    npm install --silent --no-audit --no-fund --prefix "$tools_dir/node22" node@22 >/dev/null
  fi
  # The node package ships its binary in node/bin; .bin/node is a link to it.
  export PATH="$(dirname "$(readlink -f "$tools_dir/node22/node_modules/.bin/node")"):$PATH"
fi

if ! [ -x "$tools_dir/pnpm-$pnpm_version/node_modules/.bin/pnpm" ]; then
  echo "toolchain: installing pnpm@$pnpm_version into $tools_dir/pnpm-$pnpm_version"
  npm install --silent --no-audit --no-fund --prefix "$tools_dir/pnpm-$pnpm_version" "pnpm@$pnpm_version" >/dev/null
fi
export PATH="$tools_dir/pnpm-$pnpm_version/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1 WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
export MASTRA_TELEMETRY_DISABLED=1
# The pinned pnpm is installed above; pnpm must not try to fetch another build of itself.
export npm_config_manage_package_manager_versions=false

echo "toolchain: node $(node --version), pnpm $(pnpm --version)"
