// Benchmark (issue 15, deliverable 2): the training panel's images/s against `convlens train`'s on the same model,
// data and settings, in a real VS Code (code-server in headless Chromium, as the UI scenario), in interleaved
// rounds (panel then CLI, CLI then panel, …). Beside each panel run: the CPU seconds the workbench's processes
// (Chromium's renderer, GPU and browser processes; code-server) took while it ran, and the extension host's
// (the training itself); and Chromium's alone from 1 to 3 s after Start, while the steps run. Goal: the panel
// within 10 % of the CLI (median ratio ≥ 0.90).
//   npm run bench:panel-train            (ROUNDS=6, LIMIT=4000, EPOCHS=2 by default)
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(process.env.E2E_DIR, 'node_modules', 'playwright-core'));
const { cliRun, cpuBetween, panelRate, processes, setNumber, trainFrame } = require('./train-speed-parts');

const URL = process.env.VSCODE_URL;
const ROUNDS = Number(process.env.ROUNDS || 6);
const LIMIT = Number(process.env.LIMIT || 4000);
const EPOCHS = Number(process.env.EPOCHS || 2);
const workspace = new globalThis.URL(URL).searchParams.get('folder');
/** How long after Start the workbench's CPU is sampled while the steps run (after the start's drawing, before the end's). */
const WINDOW_MS = [1000, 3000];

async function panelRun(page, frame) {
  const before = processes(), t = Date.now();
  await frame.locator('#start:not([disabled])').click();
  await frame.locator('body[data-state="running"]').waitFor({ timeout: 60000 });
  await page.waitForTimeout(WINDOW_MS[0]);
  const a = processes(), ta = Date.now();
  await page.waitForTimeout(WINDOW_MS[1] - WINDOW_MS[0]);
  const b = processes(), tb = Date.now();
  const whole = await frame.locator('body[data-state="running"]').count() === 1;
  await frame.locator('body[data-state="done"]').waitFor({ timeout: 600000 });
  return {
    rate: await panelRate(frame), seconds: (Date.now() - t) / 1000, cpu: cpuBetween(before, processes()),
    // the window counts only when the run was still training at its end
    steady: whole ? cpuBetween(a, b).chromium / ((tb - ta) / 1000) : NaN,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 860 }, deviceScaleFactor: 1,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const ratios = [], steady = [];
  try {
    await page.goto(URL);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.getByRole('treeitem', { name: 'lenet_mnist.py' }).click();
    const lens = page.locator('.codelens-decoration a', { hasText: /^Train$/ }).first();
    await lens.waitFor({ timeout: 60000 });
    await lens.click();
    const frame = await trainFrame(page, 60000);
    await frame.locator('#data-info', { hasText: 'Fits the model' }).waitFor({ timeout: 60000 });
    await setNumber(frame, 'limit', LIMIT);
    await setNumber(frame, 'epochs', EPOCHS);
    await frame.locator('#data-info', { hasText: `${LIMIT.toLocaleString('en-US')} training` }).waitFor({ timeout: 60000 });
    console.log(`LeNet, bundled MNIST, ${LIMIT} images × ${EPOCHS} epochs, Adam, batch 32; images/s of the training steps on both sides`);
    for (let i = 0; i < ROUNDS; i++) {
      const cliFirst = i % 2 === 1;
      const cliA = cliFirst ? cliRun(workspace, LIMIT, EPOCHS) : null;
      const panel = await panelRun(page, frame);
      const cli = cliA ?? cliRun(workspace, LIMIT, EPOCHS);
      if (cli.error) throw new Error(`convlens train failed: ${cli.error}`);
      ratios.push(panel.rate / cli.rate);
      if (!Number.isNaN(panel.steady)) steady.push(panel.steady);
      const c = panel.cpu, per = (v) => `${v.toFixed(2)} s (${((100 * v) / panel.seconds).toFixed(0)} % of a core)`;
      console.log(`round ${i + 1} (${cliFirst ? 'CLI first' : 'panel first'}): panel ${panel.rate}/s, CLI ${cli.rate}/s: ${ratios.at(-1).toFixed(2)}× | `
        + `Chromium while the steps run ${Number.isNaN(panel.steady) ? '– (the run ended first)' : `${(100 * panel.steady).toFixed(0)} % of a core`}; `
        + `during the panel's ${panel.seconds.toFixed(1)} s: Chromium ${per(c.chromium)}, code-server ${per(c['code-server'])}, `
        + `extension host ${c['extension host'].toFixed(2)} s (the CLI's run: ${cli.cpu.toFixed(2)} s) | load ${os.loadavg()[0].toFixed(1)}`);
    }
    if (steady.length) console.log(`Chromium while the steps run: median ${(100 * median(steady)).toFixed(0)} % of a core over ${steady.length} runs`);
    console.log(`panel / CLI: median ${median(ratios).toFixed(2)}× over ${ratios.length} rounds (${ratios.map((r) => r.toFixed(2)).join(', ')}); goal ≥ 0.90×`);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
