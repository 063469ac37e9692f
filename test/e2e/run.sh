#!/usr/bin/env bash
# Runs ConvLens in a real VS Code: builds and packages the extension (vsce), starts code-server
# (VS Code 1.100.3) on 127.0.0.1 with a fresh profile under .e2e/runs/, then
#   integration — the mocha suites of test/integration inside the real extension host
#   ui          — the Playwright scenario against the real workbench (screenshots in .e2e/artifacts)
#   all         — both
#   train-speed — the panel's training speed against the CLI's, interleaved rounds (train-speed.js)
# and stops the server's whole process group. Needs test/e2e/setup-vscode.sh first.
# E2E_NO_PACKAGE=1 skips vsce and loads the extension from dist/ as built (faster while developing).
set -euo pipefail
MODE="${1:-all}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/test/e2e"
export E2E_DIR="${E2E_DIR:-$ROOT/.e2e/vscode}"
CS="$E2E_DIR/node_modules/.bin/code-server"
VSCE="$E2E_DIR/node_modules/.bin/vsce"
if [ ! -x "$CS" ] || [ ! -x "$VSCE" ] || [ ! -x /usr/bin/chromium ]; then
  echo "VS Code test tools missing: run  bash test/e2e/setup-vscode.sh  first" >&2
  exit 2
fi
PORT="${PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
mkdir -p "$ROOT/.e2e/runs" "$ROOT/.e2e/artifacts"
RUN="$(mktemp -d "$ROOT/.e2e/runs/run.XXXXXX")"
ms() { date +%s%3N; }
# code-server writes logs under the XDG folders: keep them in the run folder, not in ~.
export XDG_DATA_HOME="$RUN/xdg-data" XDG_CONFIG_HOME="$RUN/xdg-config" XDG_CACHE_HOME="$RUN/xdg-cache"

t=$(ms)
if [ -z "${E2E_NO_PACKAGE:-}" ]; then
  # vsce runs the vscode:prepublish script (the production build) before packaging.
  (cd "$ROOT" && "$VSCE" package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$RUN/convlens.vsix" >"$RUN/vsce.log" 2>&1) \
    || { cat "$RUN/vsce.log"; exit 1; }
  echo "built and packaged: $(du -k "$RUN/convlens.vsix" | cut -f1) KB VSIX in $(( $(ms) - t )) ms"
fi

# A fresh copy of the examples: the tests edit files (quick fixes) and must not touch the project's.
WORKSPACE="$RUN/workspace"
cp -r "$ROOT/examples" "$WORKSPACE"
# and the files only the editor tests use (nested calls, Keras functional lines, a Keras notebook, a hostile name)
cp -r "$ROOT/test/e2e/files/." "$WORKSPACE/"
# the keras.io Simple MNIST convnet the Keras training test trains: the unit fixture itself, not a copy
cp "$ROOT/test/fixtures/keras/01_mnist_convnet.py" "$WORKSPACE/keras_mnist_convnet.py"
mkdir -p "$RUN/ext" "$RUN/data/User"
cat > "$RUN/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "workbench.tips.enabled": false,
  "workbench.colorTheme": "Default Light Modern",
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "editor.minimap.enabled": false,
  "editor.hover.delay": 100,
  "files.autoSave": "off",
  "git.enabled": false
}
JSON
if [ "$MODE" = web ]; then
  # run the extension from its browser build, in the web worker extension host of the page
  node -e "const f=process.argv[1],s=JSON.parse(require('fs').readFileSync(f,'utf8'));s['remote.extensionKind']={'convlens.convlens':['web']};require('fs').writeFileSync(f,JSON.stringify(s,null,2))" "$RUN/data/User/settings.json"
fi
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
if [ -z "${E2E_NO_PACKAGE:-}" ]; then
  "$CS" --config "$RUN/config.yaml" --extensions-dir "$RUN/ext" --user-data-dir "$RUN/data" \
    --install-extension "$RUN/convlens.vsix" >"$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; exit 1; }
fi

# bench:editor asks for the lines the workbench draws (bench-dom.js): the extension host reads them from this file
if [ -n "${BENCH_DOM_LOG:-}" ]; then export BENCH_DOM_LOG="$RUN/drawn-lines.jsonl"; fi

t=$(ms)
# setsid: the server gets its own process group, so it stops with its file watcher and extension hosts.
setsid "$CS" --config "$RUN/config.yaml" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --extensions-dir "$RUN/ext" --user-data-dir "$RUN/data" \
  "$WORKSPACE" > "$RUN/server.log" 2>&1 &
SERVER_PID=$!
stop_server() {
  kill -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap stop_server EXIT
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { cat "$RUN/server.log"; exit 1; }
echo "code-server ready on 127.0.0.1:$PORT in $(( $(ms) - t )) ms (run folder $RUN)"

status=0
if [ "$MODE" = integration ] || [ "$MODE" = all ]; then
  BASE="http://127.0.0.1:$PORT" DEV_PATH="$ROOT" TESTS_PATH="${TESTS_PATH:-$ROOT/dist/test/integration/index.js}" FOLDER="$WORKSPACE" \
    node "$HERE/ext-tests.js" || status=1
fi
if [ "$MODE" = ui ] || [ "$MODE" = all ] || [ "$MODE" = train-speed ]; then
  URL="http://127.0.0.1:$PORT/?folder=$WORKSPACE"
  if [ -n "${E2E_NO_PACKAGE:-}" ]; then
    URL="$URL&payload=$(node -e "console.log(encodeURIComponent(JSON.stringify([['extensionDevelopmentPath','vscode-remote://127.0.0.1:$PORT$ROOT']])))")"
  fi
  SCRIPT="$HERE/scenario.js"
  if [ "$MODE" = train-speed ]; then SCRIPT="$HERE/train-speed.js"; fi
  VSCODE_URL="$URL" ARTIFACTS="$ROOT/.e2e/artifacts" node "$SCRIPT" || status=1
fi
if [ "$MODE" = web ]; then
  RUN="$RUN" VSCODE_URL="http://127.0.0.1:$PORT/?folder=$WORKSPACE" node "$HERE/web-smoke.js" || status=1
fi
exit $status
