#!/usr/bin/env bash
# Installs what the editor tests need, using only Debian packages and the npm registry:
# a real VS Code (code-server 4.100.3 = VS Code 1.100.3 with a Node extension host), Debian
# Chromium driven by playwright-core, and @vscode/vsce to package the VSIX. Everything npm
# goes into the git-ignored folder .e2e/vscode of the project, never into its devDependencies
# (code-server's postinstall is heavy). Run as root. Idempotent; about 1 minute the first time.
#
# CI needs, in this order:
#   bash test/e2e/setup-vscode.sh
#   npm run test:integration     # integration suites inside the real extension host
#   npm run test:e2e             # the same plus the Playwright UI scenario (screenshots in .e2e/artifacts)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_DIR="${E2E_DIR:-$ROOT/.e2e/vscode}"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_CORE_VERSION=1.65.1
VSCE_VERSION=3.9.2

if [ -x "$E2E_DIR/node_modules/.bin/code-server" ] && [ -x /usr/bin/chromium ] \
   && [ -x "$E2E_DIR/node_modules/.bin/vsce" ] && [ -d "$E2E_DIR/node_modules/playwright-core" ]; then
  echo "e2e tools already installed in $E2E_DIR"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# chromium: the browser for the workbench; ripgrep: replaces the rg binary that @vscode/ripgrep
# would download; libkrb5-dev: headers for the kerberos native module of VS Code's server.
apt-get install -y --no-install-recommends chromium ripgrep libkrb5-dev >/dev/null

# @vscode/ripgrep@1.15.11 (a dependency of VS Code 1.100) downloads rg in its postinstall,
# but first looks in this cache folder: seed it with Debian's rg.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg

mkdir -p "$E2E_DIR"
cd "$E2E_DIR"
[ -f package.json ] || echo '{ "name": "convlens-e2e-tools", "private": true }' > package.json
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall calls `npx node-gyp`, and npmrc may say yes=false.
npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --no-audit --no-fund -E "code-server@$CODE_SERVER_VERSION" \
  "playwright-core@$PLAYWRIGHT_CORE_VERSION" "@vscode/vsce@$VSCE_VERSION"
XDG_CONFIG_HOME="$E2E_DIR/.config" XDG_DATA_HOME="$E2E_DIR/.data" "$E2E_DIR/node_modules/.bin/code-server" --version
