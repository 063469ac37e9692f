#!/usr/bin/env bash
# `npm run package`: the VSIX with @vscode/vsce (installed by setup-vscode.sh into .e2e/vscode, not
# a devDependency: vsce 3.9.2 is the last that runs on node 20). Prints the VSIX and its size.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VSCE="${E2E_DIR:-$ROOT/.e2e/vscode}/node_modules/.bin/vsce"
[ -x "$VSCE" ] || { echo "vsce missing: run  bash test/e2e/setup-vscode.sh  first" >&2; exit 2; }
cd "$ROOT"
VERSION="$(node -p "require('./package.json').version")"
"$VSCE" package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "convlens-$VERSION.vsix"
echo "convlens-$VERSION.vsix: $(du -k "convlens-$VERSION.vsix" | cut -f1) KB"
"$VSCE" ls --no-dependencies
