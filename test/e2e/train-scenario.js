// The training panel in the real workbench, driven like a user: Train on LeNet's CodeLens, the
// bundled MNIST subset with a small limit, Start, the curves while it trains (updates per second),
// the test accuracy at the end (must beat chance by far), the confusion matrix, the feature maps of a
// test image, screenshots in both themes (starting dark, where the main scenario leaves off); then a second run stopped halfway,
// seen at 400 px wide while it runs, checked on disk.
const path = require('path');
const { oneLine } = require('./text');
const fs = require('fs');
const os = require('os');
const { chartsInView, narrowPanel, widenAgain } = require('./narrow');
const { cliRun, cpuBetween, panelRate: shownRate, processes, setNumber, trainFrame } = require('./train-speed-parts');

/** The first run's training images (2 epochs, 10 % held out): long enough that startup does not decide its speed. */
const LIMIT = 4000;

/** Reads the test accuracy ("87.3 %") as a fraction. */
const percent = (text) => Number(text.replace(/[^\d.]/g, '')) / 100;

async function runTrainScenario({ page, check, shot, setTheme, openFile, runCommand, lap, workspace }) {
  await openFile(page, 'lenet_mnist.py');
  const lens = page.locator('.codelens-decoration a', { hasText: /^Train$/ }).first();
  await lens.waitFor({ timeout: 30000 });
  await lens.click();
  let frame = await trainFrame(page);
  lap('training panel open');
  await frame.locator('#data-info', { hasText: 'Fits the model' }).waitFor({ timeout: 60000 });
  check('the panel checks the data against the model before Start', (await frame.locator('#data-info').innerText()).includes('(1, 28, 28)'), await frame.locator('#data-info').innerText());
  const lenetHeader = oneLine(await frame.locator('header').innerText());
  check('the header says the run trains every parameter', lenetHeader.includes('training all 61,706 parameters'), lenetHeader);
  await setNumber(frame, 'limit', LIMIT);
  await setNumber(frame, 'epochs', 2);
  await frame.locator('#data-info', { hasText: `${LIMIT.toLocaleString('en-US')} training` }).waitFor({ timeout: 60000 });
  // The panel trains as fast as the CLI (issue 15): the same model, data and settings through `convlens train`
  // right before and right after the panel's run, on this shared machine; both count the training steps only.
  const cliBefore = cliRun(workspace, LIMIT, 2);
  const cpu0 = processes();
  await frame.locator('#start:not([disabled])').click();

  // While it trains: count the panel's redraws over a few seconds.
  await frame.locator('body[data-state="running"]').waitFor({ timeout: 60000 });
  const count = () => frame.evaluate(() => Number(document.body.dataset.updates || 0));
  const c0 = await count(), t0 = Date.now();
  await page.waitForTimeout(2000);
  const c1 = await count(), rate = ((c1 - c0) * 1000) / (Date.now() - t0);
  console.log(`measured: ${rate.toFixed(1)} panel updates per second while training`);
  check('the curves update while training', c1 > c0, `${c0} → ${c1}`);

  const acc = frame.locator('#test-accuracy');
  await acc.waitFor({ timeout: 240000 });
  const accuracy = percent(await acc.innerText());
  lap(`first run finished: test accuracy ${(100 * accuracy).toFixed(1)} %`);
  check('test accuracy beats chance (10 %) by a wide margin', accuracy >= 0.5, `${accuracy}`);
  const panelRate = await shownRate(frame), cpu = cpuBetween(cpu0, processes());
  const cliAfter = cliRun(workspace, LIMIT, 2), cli = (cliBefore.rate + cliAfter.rate) / 2;
  console.log(`measured: ${panelRate} images/s in the panel, ${cliBefore.rate} before and ${cliAfter.rate} after with the CLI (same model, `
    + `data and settings, ${LIMIT} images × 2 epochs; training steps only): ${(panelRate / cli).toFixed(2)}× their mean (goal ≥ 0.90×); load ${os.loadavg()[0].toFixed(1)}; `
    + `CPU seconds during the panel's run: extension host ${cpu['extension host'].toFixed(2)} (the CLI's runs ${cliBefore.cpu.toFixed(2)}, `
    + `${cliAfter.cpu.toFixed(2)}), Chromium ${cpu.chromium.toFixed(2)}, code-server ${cpu['code-server'].toFixed(2)}`);
  // The goal is within 10 % of the mean (issue 15); `npm run bench:panel-train` measures it over interleaved rounds.
  // The check is a guard against a gross loss (per-batch redraws cost 0.34×): at least half the slower CLI run, since
  // on this shared 2-core machine one run of either side swings widely with the other sessions' load (two runs of
  // this scenario at load 11–13: 0.49× and 1.32× the mean).
  check('the panel trains at least half as fast as the CLI (goal: within 10 %)', panelRate >= 0.5 * Math.min(cliBefore.rate, cliAfter.rate),
    `${panelRate} vs ${cliBefore.rate}, ${cliAfter.rate}: ${cliBefore.error}${cliAfter.error}`);
  check('the charts are canvases', (await frame.locator('.uplot canvas').count()) >= 2, 'no chart canvas');
  // after the run, with the pointer off the charts, each legend shows its curves' latest values (uPlot's own: "--")
  const legend = await frame.locator('#charts .u-legend .u-value').allInnerTexts();
  check('the charts\' legends show the latest values', legend.filter((v) => /\d/.test(v)).length >= 8, JSON.stringify(legend));
  check('a 10×10 confusion matrix', (await frame.locator('table.confusion tbody tr').count()) === 10, 'no confusion matrix');
  // the default run trains without crops or flips, so TTA is not run and the panel says why
  check('TTA is not run without augmentation, and the panel says so', /not run/.test(await frame.locator('#test-accuracy-tta').innerText()), await frame.locator('#test-accuracy-tta').innerText());
  await frame.locator('.sample').first().click();
  await frame.locator('.feature-row').first().waitFor({ timeout: 30000 });
  check('feature maps of a chosen test image, per layer', (await frame.locator('.feature-row').count()) >= 4, 'too few feature rows');
  // The workbench is dark at this point (the scenario's earlier steps): dark first, then light.
  // The panel's editor group is maximised for the pictures, then restored.
  await runCommand(page, 'View: Toggle Maximize Editor Group');
  await page.waitForTimeout(800);
  await frame.locator('#charts').scrollIntoViewIfNeeded();
  await shot(page, 'train-dark.png');
  await frame.locator('#results').scrollIntoViewIfNeeded();
  await shot(page, 'train-results-dark.png');
  await setTheme(page, 'Light Modern', false);
  frame = await trainFrame(page);
  await frame.locator('.uplot canvas').first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(500);
  await frame.locator('#results').scrollIntoViewIfNeeded();
  await shot(page, 'train-results-light.png');
  await frame.locator('#charts').scrollIntoViewIfNeeded();
  await shot(page, 'train-light.png');
  await frame.locator('header').scrollIntoViewIfNeeded();
  await shot(page, 'train-form-light.png');
  // Export as a PyTorch training script: the save dialog (VS Code's own in the browser) takes the
  // default name; the script holds this form's settings and imports the model from its file
  const scriptFile = path.join(workspace, 'train_LeNet.py');
  fs.rmSync(scriptFile, { force: true });
  await frame.locator('#export-script:not([disabled])').click();
  const saveInput = page.locator('.quick-input-widget input');
  await saveInput.waitFor({ timeout: 30000 });
  const proposed = await saveInput.inputValue();
  await saveInput.press('Enter');
  const waitEnd = Date.now() + 60000;
  while (!fs.existsSync(scriptFile) && Date.now() < waitEnd) await page.waitForTimeout(250);
  const script = fs.existsSync(scriptFile) ? fs.readFileSync(scriptFile, 'utf8') : '';
  check('Export as PyTorch training script writes the run as a script (this form\'s settings, the model imported from its file)',
    /^MODEL_FILE = "lenet_mnist\.py"/m.test(script) && /^MODEL_ENTRY = "LeNet"/m.test(script) && /^EPOCHS = 2$/m.test(script)
    && new RegExp(`^TRAIN_LIMIT = ${LIMIT} `, 'm').test(script) && /^def main\(\):/m.test(script), `${proposed}: ${script.slice(0, 200)}`);
  await page.locator('.statusbar', { hasText: 'training script written' }).waitFor({ timeout: 10000 }).catch(() => undefined);
  await frame.locator('header').scrollIntoViewIfNeeded();
  await shot(page, 'train-export-script-light.png');
  await runCommand(page, 'View: Toggle Maximize Editor Group');

  // A second run, stopped halfway: the run list and the files on disk agree.
  // early stopping off: with it, 30 epochs on this subset can end by themselves before Stop is clicked
  await setNumber(frame, 'epochs', 30);
  await setNumber(frame, 'patience', 0);
  // TTA follows augmentation: it cannot be ticked without any; random crop turns it on, and the line
  // under the boxes names the 5 views it would average; crop off again, TTA off and disabled again
  check('TTA cannot be ticked for a run without augmentation', (await frame.locator('#tta[disabled]').count()) === 1, 'the TTA box is enabled');
  await frame.locator('#crop').click();
  const note = oneLine(await frame.locator('#tta-note', { hasText: '5 views' }).innerText({ timeout: 10000 }));
  const ticked = await frame.locator('#tta').evaluate((e) => e.checked === true);
  check('random crop turns TTA on; the note names its views', ticked && /averages 5 views, the 4 corner crops and the centre:/.test(note) && !/mirror/.test(note), `${ticked} ${note}`);
  await frame.locator('#crop').click();
  await frame.locator('#tta[disabled]').waitFor({ timeout: 10000 });
  await frame.locator('#start:not([disabled])').click();
  await frame.locator('body[data-state="running"]').waitFor({ timeout: 60000 });
  // While it runs, at 400 px wide: the settings fold to their headings, both curves are in view
  // without scrolling, and no notification covers them (the progress is in the status bar).
  const narrow = await narrowPanel(page, frame, runCommand);
  await frame.locator('#charts .uplot').nth(1).waitFor({ timeout: 30000 });
  await frame.evaluate(() => window.scrollTo(0, 0));
  const view = await chartsInView(frame);
  const inView = view.charts.length === 2 && view.charts.every((c) => c.bottom <= view.height && c.right <= view.width);
  check(`training at ${narrow} px: both curves in view without scrolling while it runs`,
    Math.abs(narrow - 400) <= 3 && view.scrollY === 0 && view.sideways <= 0 && inView, JSON.stringify(view));
  const toasts = await page.locator('.notification-toast', { hasText: 'Training' }).count();
  const progress = await page.locator('.statusbar', { hasText: 'Training' }).count();
  check('no notification over the curves; the progress is in the status bar', toasts === 0 && progress > 0, `${toasts} toasts, ${progress} status bar items`);
  await shot(page, 'train-running-400-light.png');
  await setTheme(page, 'Dark Modern', true);
  frame = await trainFrame(page);
  await page.waitForTimeout(500);
  await shot(page, 'train-running-400-dark.png');
  check('still training after the pictures (Stop is what ends this run)', (await frame.locator('body[data-state="running"]').count()) === 1, 'the run ended by itself');
  // the workspace may hold runs of earlier tests: the list must grow by one, the stopped run on top
  const before = await frame.locator('#runs tbody tr').count();
  await frame.locator('#stop').click();
  await frame.locator('body[data-state="stopped"]').waitFor({ timeout: 120000 });
  await frame.locator('#runs tbody tr').nth(before).waitFor({ timeout: 30000 });
  const rows = await frame.locator('#runs tbody tr').count();
  const newest = (await frame.locator('#runs tbody tr').first().innerText()).replace(/\s+/g, ' ');
  check('the stopped run heads the run list', rows === before + 1 && newest.includes('stopped'), newest);
  // the stopped run's results and the unfolded settings, still at 400 px (dark)
  if (await frame.locator('#results:not([hidden])').count()) {
    await frame.locator('#results').scrollIntoViewIfNeeded();
    await shot(page, 'train-results-400-dark.png');
  }
  await frame.locator('header').scrollIntoViewIfNeeded();
  await shot(page, 'train-form-400-dark.png');
  const runsDir = path.join(workspace, '.convlens', 'runs');
  const ids = fs.readdirSync(runsDir).sort();
  const last = path.join(runsDir, ids[ids.length - 1]);
  const metrics = JSON.parse(fs.readFileSync(path.join(last, 'metrics.json'), 'utf8'));
  const config = JSON.parse(fs.readFileSync(path.join(last, 'config.json'), 'utf8'));
  const weights = fs.readFileSync(path.join(last, 'weights.safetensors'));
  const header = JSON.parse(weights.subarray(8, 8 + Number(weights.readBigUInt64LE(0))).toString());
  check('the stopped run is saved consistently (and drops its resume state)', metrics.status === 'stopped' && config.settings.epochs === 30
    && !fs.existsSync(path.join(last, 'resume.safetensors'))
    && metrics.epochs.length < 30 && metrics.batches.length > 0 && 'conv1.weight' in header && 'fc3.bias' in header,
  `${metrics.status}, ${metrics.epochs.length} epochs, ${Object.keys(header).join(',')}`);

  // A third run, interrupted by a window reload after its first epochs: the restored panel lists it
  // as interrupted (epochs k of 6), opening it says so and offers Resume and the exports; Resume
  // finishes it in the same run folder.
  await setNumber(frame, 'epochs', 6);
  await frame.locator('#start:not([disabled])').click();
  // reloaded by epoch 4 at the latest: the panel's status comes twice a second, and a short run can end before the reload lands
  await frame.locator('.status', { hasText: /epoch [2-4]\/6/ }).waitFor({ timeout: 120000 });
  const reloaded = page.waitForEvent('load', { timeout: 60000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  frame = await trainFrame(page, 60000);
  const row = frame.locator('#runs tbody tr', { hasText: 'interrupted' }).first();
  await row.waitFor({ timeout: 60000 });
  const rowText = (await row.innerText()).replace(/\s+/g, ' ');
  check('after a reload mid-run the run is listed as interrupted, with the epochs it reached of 6', / [1-5] of 6 /.test(rowText), rowText);
  const runId = await row.getAttribute('data-run');
  await row.locator('vscode-button', { hasText: 'Open' }).click();
  const interrupted = frame.locator('#interrupted-note');
  await interrupted.waitFor({ timeout: 30000 });
  const noteText = oneLine(await interrupted.innerText());
  check('the opened interrupted run says where it stopped and which weights it kept', /interrupted at epoch [1-5] of 6 .*saved weights are those of epoch [1-5]/.test(noteText), noteText);
  check('an interrupted run offers Resume, Export weights and the loading code',
    (await frame.locator('#resume-run').count()) === 1 && (await frame.locator('#export-weights').count()) === 1 && (await frame.locator('#copy-code').count()) === 1, noteText);
  await frame.locator('#results').scrollIntoViewIfNeeded();
  // the reload kept the narrow window (its side bar closed)
  const narrowAgain = await frame.evaluate(() => window.innerWidth);
  await shot(page, 'train-interrupted-400-dark.png');
  await setTheme(page, 'Light Modern', false);
  frame = await trainFrame(page);
  await frame.locator('#results').scrollIntoViewIfNeeded();
  await shot(page, 'train-interrupted-400-light.png');
  const fit = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(`the interrupted run's actions fit ${narrowAgain} px without scrolling sideways`, fit <= 0, `${fit} px too wide`);
  await frame.locator('#resume-run').click();
  await frame.locator('body[data-state="running"]').waitFor({ timeout: 60000 });
  await frame.locator('#test-accuracy').waitFor({ timeout: 240000 });
  const resumed = JSON.parse(fs.readFileSync(path.join(runsDir, runId, 'metrics.json'), 'utf8'));
  const steps = resumed.batches.map((b) => b.step);
  check('the resumed run finishes in its own folder: completed, 6 epochs, every step once',
    resumed.status === 'completed' && resumed.epochs.length === 6 && steps.every((s, i) => s === i + 1) && !fs.existsSync(path.join(runsDir, runId, 'resume.safetensors')),
  `${resumed.status}, ${resumed.epochs.length} epochs, ${steps.length} steps`);
  await frame.locator('#results').scrollIntoViewIfNeeded();
  await shot(page, 'train-resumed-400-light.png');

  // A fine-tuning file (test/e2e/files/finetune_frozen.py): once checked, the header says what a run trains.
  await widenAgain(page, runCommand);
  // in the editors' group, not the panel's: its CodeLens is then the only one on screen
  await runCommand(page, 'View: Focus First Editor Group');
  await openFile(page, 'finetune_frozen.py');
  const tune = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /^Train$/ }).first();
  await tune.waitFor({ timeout: 30000 });
  await tune.click();
  const frozen = await frameWithHeader(page, 'frozen)');
  const line = oneLine(await frozen.locator('header').innerText());
  check('a fine-tuning model: the header says what trains (PyTorch: 4,956 trainable, 512 frozen)',
    line.includes('training 4,956 of 5,468 parameters (512 frozen)'), line);
  await frozen.locator('header').scrollIntoViewIfNeeded();
  await shot(page, 'train-frozen-light.png');
}

/** The frame of the training webview whose header holds `text`. */
async function frameWithHeader(page, text, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (await f.locator('header', { hasText: text }).count().catch(() => 0)) return f;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no training panel's header says ${text}`);
}

module.exports = { runTrainScenario };
