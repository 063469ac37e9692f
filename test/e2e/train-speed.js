// Benchmark (issue 15, deliverable 2): the training panel's images/s against `convlens train`'s on the same model,
// data and settings, in a real VS Code (code-server in headless Chromium, as the UI scenario), in interleaved
// rounds (panel then CLI, CLI then panel, …). Beside each panel run: the CPU seconds the workbench's processes
// (Chromium's renderer, GPU and browser processes; code-server) took while it ran, and the extension host's
// (the training itself). Goal: the panel within 10 % of the CLI (median ratio ≥ 0.90).
//   npm run bench:panel-train            (ROUNDS=6, LIMIT=4000, EPOCHS=2 by default)
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(process.env.E2E_DIR, 'node_modules', 'playwright-core'));
const { cliRun, panelRate, setNumber, trainFrame } = require('./train-speed-parts');

const URL = process.env.VSCODE_URL;
const ROUNDS = Number(process.env.ROUNDS || 6);
const LIMIT = Number(process.env.LIMIT || 4000);
const EPOCHS = Number(process.env.EPOCHS || 2);
const workspace = new globalThis.URL(URL).searchParams.get('folder');
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const HZ = 100;

/** CPU seconds so far of every process, by pid, with what it is. */
function processes() {
  const out = new Map();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { cpu: (Number(f[11]) + Number(f[12])) / HZ, group: group(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')) });
    } catch { /* it ended meanwhile */ }
  }
  return out;
}

/** The process's part: Chromium (the workbench's drawing), the extension host (the training), the rest of code-server. */
function group(cmdline) {
  if (/chromium/.test(cmdline)) return 'chromium';
  if (/type=extensionHost/.test(cmdline)) return 'extension host';
  if (/code-server/.test(cmdline)) return 'code-server';
  return null;
}

function cpuBetween(a, b) {
  const by = { chromium: 0, 'extension host': 0, 'code-server': 0 };
  for (const [pid, p] of b) if (p.group) by[p.group] += p.cpu - (a.get(pid)?.cpu ?? 0);
  return by;
}

async function panelRun(frame) {
  const before = processes(), t = Date.now();
  await frame.locator('#start:not([disabled])').click();
  await frame.locator('body[data-state="running"]').waitFor({ timeout: 60000 });
  await frame.locator('body[data-state="done"]').waitFor({ timeout: 600000 });
  return { rate: await panelRate(frame), seconds: (Date.now() - t) / 1000, cpu: cpuBetween(before, processes()) };
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
  const ratios = [];
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
      const panel = await panelRun(frame);
      const cli = cliA ?? cliRun(workspace, LIMIT, EPOCHS);
      if (cli.error) throw new Error(`convlens train failed: ${cli.error}`);
      ratios.push(panel.rate / cli.rate);
      const c = panel.cpu, per = (v) => `${v.toFixed(2)} s (${((100 * v) / panel.seconds).toFixed(0)} % of a core)`;
      console.log(`round ${i + 1} (${cliFirst ? 'CLI first' : 'panel first'}): panel ${panel.rate}/s, CLI ${cli.rate}/s: ${ratios.at(-1).toFixed(2)}× | `
        + `during the panel's ${panel.seconds.toFixed(1)} s: Chromium ${per(c.chromium)}, code-server ${per(c['code-server'])}, `
        + `extension host ${c['extension host'].toFixed(2)} s (the CLI's run: ${cli.cpu.toFixed(2)} s) | load ${os.loadavg()[0].toFixed(1)}`);
    }
    console.log(`panel / CLI: median ${median(ratios).toFixed(2)}× over ${ratios.length} rounds (${ratios.map((r) => r.toFixed(2)).join(', ')}); goal ≥ 0.90×`);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
