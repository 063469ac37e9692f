// The browser build in VS Code for the Web's extension host: with `remote.extensionKind` set to
// "web", code-server runs ConvLens from dist/web/extension.js in a web worker inside the page.
// Smoke test: it activates and answers a hover with the engine's numbers.
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(process.env.E2E_DIR, 'node_modules', 'playwright-core'));

const results = [];
const check = (name, ok, detail) => { results.push(ok); console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok ? '' : `: ${detail}`}`); };

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-web-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    await page.goto(process.env.VSCODE_URL);
    await page.getByRole('treeitem', { name: 'stem_conv.py' }).click({ timeout: 60000 });
    const line = page.locator('.monaco-editor .view-line', { hasText: 'nn.Conv2d(3, 64' }).first();
    await line.waitFor({ timeout: 30000 });
    // the hint shows that the engine ran in the web extension host
    const hinted = page.locator('.monaco-editor .view-line', { hasText: '→ (N, 64, 112, 112)' }).first();
    await hinted.waitFor({ timeout: 60000 });
    check('inlay hint from the web build', true);
    // CodeLens and hints arrive after the first render and move the line: locate the word again
    // before each try.
    const hover = page.locator('.monaco-hover-content', { hasText: '= 112' }).first();
    for (let attempt = 0; attempt < 5; attempt++) {
      const box = await line.evaluate((el) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = n.textContent.indexOf('Conv2d');
          if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 6); const b = r.getBoundingClientRect(); return { x: b.left + b.width / 2, y: b.top + b.height / 2 }; }
        }
        return null;
      });
      await page.mouse.move(box.x, box.y - 40);
      await page.mouse.move(box.x, box.y, { steps: 5 });
      if (await hover.waitFor({ timeout: 8000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
    }
    await hover.waitFor({ timeout: 10000 });
    const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
    check('hover answers with the substituted formula', text.includes('⌊(224 + 2·3 − 1·(7−1) − 1)/2⌋ + 1 = 112'), text.slice(0, 200));
    // the web extension host is a worker of the page (named by VS Code); ConvLens's bundle runs in it
    const names = await Promise.all(page.workers().map((w) => w.evaluate(() => self.name).catch(() => '?')));
    check('a web worker extension host runs in the page', names.some((n) => /extension ?host/i.test(n)), names.join(', '));
    // …and the server's Node extension host never activated ConvLens: the web build did the work
    const logs = require('child_process').execSync(`cat "${process.env.RUN}"/data/logs/*/exthost1/remoteexthost.log 2>/dev/null || true`, { encoding: 'utf8' });
    check('the Node extension host did not activate ConvLens', !/_doActivateExtension convlens\.convlens/.test(logs), 'found in remoteexthost.log');
  } catch (e) {
    check('web build smoke test', false, e.message);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${results.filter(Boolean).length} passed, ${results.filter((r) => !r).length} failed`);
  process.exit(results.every(Boolean) ? 0 : 1);
})();
