// Runs the integration suites INSIDE code-server's Node extension host, the way @vscode/test-electron
// does on the desktop: the module at TESTS_PATH exports run() (reject = fail). The extension is
// loaded from its source folder (extension development path); the workbench reports the exit code
// through window.codeAutomationExit, and the extension host's console through codeAutomationLog.
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(process.env.E2E_DIR, 'node_modules', 'playwright-core'));

const base = process.env.BASE;
const devPath = process.env.DEV_PATH;
const testsPath = process.env.TESTS_PATH;
const folder = process.env.FOLDER;
const timeoutMs = +(process.env.TEST_TIMEOUT_MS || 300000);

(async () => {
  const t0 = Date.now();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let code = 'timeout';
  let stopWatching = () => {};
  try {
    const page = ctx.pages()[0];
    // bench:editor: the editor lines as the workbench draws them (bench-dom.js)
    if (process.env.BENCH_DOM_LOG) {
      const match = process.env.BENCH_DOM_MATCH || 'nn.Linear(';
      stopWatching = require('./bench-dom.js').watchEditorLines(page, process.env.BENCH_DOM_LOG, match);
    }
    let done;
    const exited = new Promise((r) => (done = r));
    await page.exposeFunction('codeAutomationLog', (_type, args) => console.log(...args));
    await page.exposeFunction('codeAutomationExit', (c) => done(c));
    const host = new URL(base).host;
    const payload = [['extensionDevelopmentPath', `vscode-remote://${host}${devPath}`],
      ['extensionTestsPath', `vscode-remote://${host}${testsPath}`]];
    // BENCH_RENDERER_PROFILE=<file>: a CPU profile of the workbench's page (open it in Chrome's DevTools; `startedAt`
    // is the epoch ms when it began, to find the benchmark's edit loops in it)
    let stopProfile = async () => {};
    if (process.env.BENCH_RENDERER_PROFILE) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
      const startedAt = Date.now();
      stopProfile = async () => {
        const { profile } = await cdp.send('Profiler.stop');
        fs.writeFileSync(process.env.BENCH_RENDERER_PROFILE, JSON.stringify({ startedAt, ...profile }));
      };
    }
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    await stopProfile();
  } finally {
    stopWatching();
    console.log(`extension host tests exit code: ${code} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(code === 0 ? 0 : 1);
})();
