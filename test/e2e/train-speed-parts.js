// What the UI scenario (train-scenario.js) and the panel-vs-CLI benchmark (train-speed.js) share: the
// training panel's frame, its number fields, the panel's images/s and the same run through `convlens train`.
const path = require('path');
const { spawnSync } = require('child_process');

/** The frame of the training webview (the one whose page has the data section). */
async function trainFrame(page, timeout = 30000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (await f.$('#data-info').catch(() => null)) return f;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('the training panel did not open');
}

async function setNumber(frame, id, value) {
  const input = frame.locator(`#${id} input`);
  await input.fill(String(value));
  await input.press('Tab');
}

/** The finished run's images/s as the panel shows it (training steps only). */
async function panelRate(frame) {
  return Number((await frame.locator('#train-speed').innerText()).replace(/[^\d]/g, ''));
}

/**
 * `convlens train` on the workspace's LeNet with the panel's default settings (Adam 0.002, 10 % held out, early
 * stopping after 2): its images/s (training steps only) and CPU seconds, or the error.
 */
function cliRun(workspace, limit, epochs) {
  const cli = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, path.join(__dirname, '..', '..', 'dist', 'cli.js'), 'train',
    path.join(workspace, 'lenet_mnist.py'), '--dataset', 'mnist', '--limit', String(limit), '--epochs', String(epochs), '--optimizer', 'adam',
    '--lr', '0.002', '--val-split', '0.1', '--early-stopping', '2', '--json'], { encoding: 'utf8' });
  const [user, sys] = cli.stderr.trim().split('\n').pop().split(' ').map(Number);
  return cli.status === 0 ? { rate: JSON.parse(cli.stdout).trainImagesPerSecond, cpu: user + sys, error: '' }
    : { rate: NaN, cpu: NaN, error: cli.stderr.slice(-300) };
}

module.exports = { trainFrame, setNumber, panelRate, cliRun };
