// End to end: the real VS Code workbench (code-server) in headless Chromium, driven like a user.
// Opens examples, reads an inlay hint, hovers a Conv2d and reads its formula, applies the quick fix
// of a broken model, reads statement hints (statement-scenario.js), opens the summary panel and reads
// a row (also at 400 px wide), opens the animation panel from the hover link and steps through it;
// screenshots in light and dark themes.
// Every expected number is the engine's, checked by hand and with PyTorch (see test/integration).
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(process.env.E2E_DIR, 'node_modules', 'playwright-core'));
const { runTrainScenario } = require('./train-scenario');
const { runStatementScenario } = require('./statement-scenario');
const { narrowPanel, summaryFit, widenAgain } = require('./narrow');

const URL = process.env.VSCODE_URL;
const ARTIFACTS = process.env.ARTIFACTS;
const t0 = Date.now();
const lap = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const results = [];
function check(name, ok, detail) {
  results.push(ok);
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok ? '' : `: ${detail}`}`);
}
const clean = (s) => s.replace(/\u00a0/g, ' ').trim();

/** Screen position of `word` inside the first editor line that contains `lineText`. */
async function wordBox(page, lineText, word) {
  return page.evaluate(([lineText, word]) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      if (!line.textContent.replace(/\u00a0/g, ' ').includes(lineText)) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent.indexOf(word);
        if (i >= 0) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + word.length);
          const b = r.getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        }
      }
    }
    return null;
  }, [lineText, word]);
}

/** Puts the cursor on `word` of the first line of `file` that holds `lineText` (Go to Line, `line:column`). */
async function goToText(page, file, lineText, word) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(lineText));
  const col = lines[i].indexOf(lineText) + lineText.indexOf(word) + 2;
  await page.keyboard.press('Control+g');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 15000 });
  await page.keyboard.type(`${i + 1}:${col}`);
  await page.keyboard.press('Enter');
}

async function openFile(page, name) {
  await page.getByRole('treeitem', { name }).click();
  await page.locator('.monaco-editor .view-line').first().waitFor();
  await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15000 });
}

async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  // A webview that has the focus (the animation, the training panel) may swallow the first key: try again.
  for (let i = 0; i < 3 && !(await input.isVisible()); i++) {
    await page.keyboard.press(i === 0 ? 'F1' : 'Control+Shift+P');
    await input.waitFor({ timeout: 5000 }).catch(() => undefined);
  }
  await input.waitFor({ timeout: 10000 });
  await input.fill(`>${title}`);
  // The exact command, not another whose name contains the title.
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title}$`) }) }).first();
  await row.waitFor();
  await row.click();
}

async function setTheme(page, label, dark) {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForFunction((dark) => document.querySelector('.monaco-workbench').classList.contains(dark ? 'vs-dark' : 'vs'), dark, { timeout: 20000 });
  await page.waitForTimeout(500);
}

async function hoverWord(page, lineText, word, hasText) {
  const hover = page.locator('.monaco-hover-content', { hasText }).first();
  // The first hover can be lost while the editor is still settling: move away and retry.
  for (let attempt = 1; ; attempt++) {
    // A file just opened may not be rendered yet: give its lines a moment to appear.
    let box = await wordBox(page, lineText, word);
    for (let wait = 0; !box && wait < 50; wait++) {
      await page.waitForTimeout(300);
      box = await wordBox(page, lineText, word);
    }
    if (!box) throw new Error(`${word} not found on the line with ${lineText}`);
    await page.mouse.move(box.x + 200, box.y + 200);
    await page.waitForTimeout(200);
    await page.mouse.move(box.x, box.y, { steps: 5 });
    try {
      await hover.waitFor({ timeout: 10000 });
      return hover;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** The webview frame (inside VS Code's iframe) that holds `selector`. */
async function webviewFrame(page, selector) {
  for (let i = 0; i < 150; i++) {
    for (const f of page.frames()) {
      if (await f.locator(selector).count().catch(() => 0)) return f;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview with ${selector}`);
}

async function shot(page, name) {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  lap(`screenshot ${file}`);
}

(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 860 },
    deviceScaleFactor: 1,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const cspErrors = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) cspErrors.push(m.text().slice(0, 300));
  });
  try {
    await page.goto(URL);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.getByRole('treeitem', { name: 'stem_conv.py' }).waitFor({ timeout: 60000 });
    lap('workbench loaded');

    // 1. An inlay hint after the stem convolution.
    await openFile(page, 'stem_conv.py');
    const conv1 = page.locator('.monaco-editor .view-line', { hasText: 'self.conv1 = nn.Conv2d' }).first();
    await page.locator('.monaco-editor .view-line', { hasText: '→ (N, 64, 112, 112)' }).first().waitFor({ timeout: 30000 });
    const hintLine = clean(await conv1.innerText());
    check('inlay hint after Conv2d', hintLine.includes('→ (N, 64, 112, 112) · 9.41K params · 118M MACs'), hintLine);

    // 2. Hover the Conv2d: the output-size formula with this layer's numbers.
    const hover = await hoverWord(page, 'self.conv1 = nn.Conv2d', 'Conv2d', 'Parameters');
    const hoverText = clean(await hover.innerText());
    check('hover shows the substituted formula', /224.*= 112/.test(hoverText), hoverText);
    check('hover shows params and MACs', hoverText.includes('9,408') && hoverText.includes('118,013,952'), hoverText);
    await shot(page, 'hover-light.png');
    await page.keyboard.press('Escape');

    // 3. A broken model: the diagnostic, its quick fix, and the diagnostic going away.
    await openFile(page, 'broken_linear.py');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });
    check('diagnostic on the broken Linear', (await page.locator('.monaco-editor .squiggly-error').count()) > 0, 'no squiggle');
    // The cursor goes to the word with Go to Line, not a click: CodeLens and hints arriving late move the lines.
    await goToText(page, path.join(__dirname, '../../examples/broken_linear.py'), 'self.classifier = nn.Linear', 'Linear');
    await page.keyboard.press('Control+Period');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: '2048' }).first();
    await fix.waitFor({ timeout: 15000 });
    await shot(page, 'quickfix-light.png');
    // The menu sits under a pointer-blocking layer: choose the fix with the keyboard, as users do.
    for (let i = 0; i < 6; i++) {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '');
      if (focused.includes('2048')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    const fixed = page.locator('.monaco-editor .view-line', { hasText: 'nn.Linear(2048, num_classes)' }).first();
    await fixed.waitFor({ timeout: 15000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30000 });
    check('quick fix applied and the diagnostic is gone', (await page.locator('.monaco-editor .squiggly-error').count()) === 0, 'error squiggle still there');

    // 3b. Statement hints, Keras functional lines, three-cell notebooks, a hostile name (statement-scenario.js).
    await runStatementScenario({ page, check, shot, openFile, goToText, hoverWord });

    // 4. The summary panel of LeNet, and one of its rows.
    await openFile(page, 'lenet_mnist.py');
    await page.locator('.monaco-editor .view-line', { hasText: '→ (N, 120)' }).first().waitFor({ timeout: 30000 });
    await runCommand(page, 'ConvLens: Show Model Summary');
    // the summary's page among the webviews (a notebook editor has one of its own)
    const frame = await webviewFrame(page, 'tr[data-path="fc1"]');
    const row = frame.locator('tr[data-path="fc1"]');
    await row.waitFor({ timeout: 30000 });
    const rowText = clean(await row.innerText()).replace(/\s+/g, ' ');
    check('summary row of fc1', rowText.includes('(N, 120)') && rowText.includes('48,120') && rowText.includes('48,000'), rowText);
    const footer = clean(await frame.locator('footer:not(.memory)').innerText()).replace(/\s+/g, ' ');
    check('summary totals', footer.includes('61,706') && footer.includes('416,520'), footer);
    const memory = clean(await frame.locator('footer.memory').innerText()).replace(/\s+/g, ' ');
    check('summary memory totals', /Training peak ≈ \(batch 32\) [\d.]+ MiB/.test(memory) && memory.includes('Saved for backward'), memory);
    await shot(page, 'summary-light.png');

    // 4a. The same summary at 400 px wide, light and dark: every column in view, nothing to scroll sideways.
    const narrow = await narrowPanel(page, frame, runCommand);
    const fit = await summaryFit(frame);
    check(`summary at ${narrow} px: every column in view, no sideways scroll`,
      Math.abs(narrow - 400) <= 3 && fit.page <= 0 && fit.table <= 0 && fit.lastColumnRight <= fit.width, JSON.stringify(fit));
    // counts read short there, the full number in the cell's tooltip (fc1: 48,120 params)
    const narrowRow = clean(await row.innerText()).replace(/\s+/g, ' ');
    const fullTitle = await row.locator('td.num').first().getAttribute('title');
    check('summary at 400 px: short counts, full ones in the tooltip', narrowRow.includes('48.1K') && fullTitle === '48,120', `${narrowRow} / ${fullTitle}`);
    await shot(page, 'summary-400-light.png');
    await setTheme(page, 'Dark Modern', true);
    await shot(page, 'summary-400-dark.png');
    await setTheme(page, 'Light Modern', false);
    await widenAgain(page, runCommand);

    // 4b. A notebook in the notebook editor: LeNet's class and its call are in different cells; the
    // class cell gets its hints (conv1: 6·1·5·5 + 6 = 156 params, 6·25·28·28 = 117,600 MACs).
    await openFile(page, 'lenet_notebook.ipynb');
    const nbHint = page.locator('.notebookOverlay .monaco-editor .view-line', { hasText: '→ (N, 6, 28, 28) · 156 params · 118K MACs' }).first();
    await nbHint.waitFor({ timeout: 30000 });
    check('notebook: the hint of conv1 in its cell', await nbHint.isVisible(), 'no hint');
    await page.locator('.notebookOverlay .monaco-editor .view-line', { hasText: 'self.conv1 = nn.Conv2d' }).first().click();
    await page.waitForTimeout(500);
    await shot(page, 'notebook-light.png');

    // 5. The same in the dark theme.
    await setTheme(page, 'Dark Modern', true);
    await shot(page, 'summary-dark.png');
    await openFile(page, 'stem_conv.py');
    const darkHover = await hoverWord(page, 'self.conv1 = nn.Conv2d', 'Conv2d', 'Parameters');
    await shot(page, 'hover-dark.png');

    // 6. The animation panel from the hover link: the stem conv1 scaled to 10×10 (1 channel, 2 of
    // its 64 filters, made-up values). Step 3 is y[0, 0, 3]; the first row of map 0 is
    // 19, 11, 11, 1, … (checked with torch.nn.functional.conv2d(x, w, stride=2, padding=3)).
    await darkHover.locator('a', { hasText: 'Animate this layer' }).click();
    const anim = await webviewFrame(page, '[data-testid=arithmetic]');
    // The keyboard: Home goes to the first step (and pauses), → steps forward.
    await anim.locator('h1').click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await anim.locator('[data-testid=counter]', { hasText: 'Step 4 / 50' }).waitFor({ timeout: 10000 });
    const arithmeticLine = clean(await anim.locator('[data-testid=arithmetic]').innerText());
    check('arithmetic line of step 3', arithmeticLine.startsWith('y[0, 0, 3] = (-1)×0 + 1×0') && arithmeticLine.endsWith('+ 1×2 = 1'), arithmeticLine);
    const cells = [];
    for (let j = 0; j < 5; j++) cells.push(clean(await anim.locator('[data-grid="output-0"] td[data-at="0,' + j + '"]').innerText()));
    check('output cells filled up to step 3', cells.join(' ') === '19 11 11 1 ', cells.join(' '));
    const notes = clean(await anim.locator('.source-notes').innerText());
    check('the panel says it scaled the layer down', notes.includes('224×224 input, shown here on 10×10'), notes);
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await page.waitForTimeout(600);
    await shot(page, 'animate-dark.png');
    await anim.getByRole('tab', { name: 'img2col' }).click();
    const shape = clean(await anim.locator('[data-testid=matrix-shape]').innerText());
    check('img2col matrix shapes', shape.startsWith('X̂ is 49 × 25 (C·k_h·k_w × o_h·o_w), W is 2 × 49'), shape);
    await anim.locator('#first').click();
    for (let i = 0; i < 6; i++) await anim.locator('#forward').click();
    await page.waitForTimeout(400);
    await shot(page, 'animate-img2col-dark.png');
    await setTheme(page, 'Light Modern', false);
    await anim.getByRole('tab', { name: 'Sliding window' }).click();
    await anim.locator('#first').click();
    for (let i = 0; i < 3; i++) await anim.locator('#forward').click();
    await page.waitForTimeout(400);
    await shot(page, 'animate-light.png');

    // 7. From the command palette: the lecture's first worked example, y[0] = 3×1 + 2×0 + 2×2 = 7.
    await runCommand(page, 'ConvLens: Animate Convolution');
    await anim.locator('[data-testid=counter]', { hasText: '/ 4' }).waitFor({ timeout: 10000 });
    await anim.locator('#first').click();
    const lecture = clean(await anim.locator('[data-testid=arithmetic]').innerText());
    check('the lecture\'s first step', lecture === 'y[0] = 3×1 + 2×0 + 2×2 = 7', lecture);
    await anim.locator('#last').click();
    const outputs = clean(await anim.locator('[data-grid="output-0"] table').innerText()).split(/\s+/).join(' ');
    check('the lecture\'s output [7, 8, 16, 14]', outputs === '7 8 16 14', outputs);
    await page.waitForTimeout(400);
    await shot(page, 'animate-lecture-light.png');

    // 8. The lecture's img2col example, chosen in the panel's own setup: two filters, X̂ is 4 × 9.
    await anim.locator('.setup-box > summary').click();
    await anim.locator('#example').click();
    await anim.locator('vscode-option', { hasText: '2D img2col' }).click();
    const lectureShape = clean(await anim.locator('[data-testid=matrix-shape]').innerText());
    check('img2col of the lecture\'s 4×4 image', lectureShape.startsWith('X̂ is 4 × 9 (C·k_h·k_w × o_h·o_w), W is 2 × 4'), lectureShape);
    await anim.locator('.setup-box > summary').click();
    await anim.locator('#first').click();
    for (let i = 0; i < 4; i++) await anim.locator('#forward').click();
    await page.waitForTimeout(400);
    await shot(page, 'animate-img2col-light.png');

    // back to the normal layout, no editors open (the stem's CodeLens must not be the first Train
    // on screen) and the dark theme, where the training scenario starts. Focus leaves the webview
    // first (a click on the window title), or F1 would go to the panel's page.
    await page.locator('.part.titlebar').click({ position: { x: 720, y: 10 } });
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await runCommand(page, 'File: Save All Files');
    await runCommand(page, 'View: Close All Editor Groups');
    await setTheme(page, 'Dark Modern', true);
    // 9. The training panel (test/e2e/train-scenario.js).
    await runTrainScenario({ page, check, shot, setTheme, openFile, runCommand, lap, workspace: new globalThis.URL(URL).searchParams.get('folder') });
    check('no Content Security Policy violations', cspErrors.length === 0, cspErrors.join('\n'));
  } catch (e) {
    console.error('scenario error:', e);
    results.push(false);
    try { await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png') }); } catch { /* the page is gone */ }
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const passed = results.filter(Boolean).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  process.exit(passed === results.length && results.length > 0 ? 0 : 1);
})();
