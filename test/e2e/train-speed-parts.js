// What the UI scenario (train-scenario.js) and the panel-vs-CLI benchmark (train-speed.js) share: the
// training panel's frame, its number fields, the panel's images/s and the same run through `convlens train`.
const path = require('path');
const fs = require('fs');
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
 * stopping after 2): its images/s (training steps only) and CPU seconds, or the error. It runs in a session of its
 * own, as from a terminal: Linux's scheduler (autogroup) shares the CPU fairly between sessions, and code-server,
 * whose extension host trains the panel's runs, has one of its own (run.sh), while this script's session holds
 * Chromium; run here, the CLI would share one session's part with the workbench's drawing.
 */
function cliRun(workspace, limit, epochs) {
  const cli = spawnSync('setsid', ['-w', '/usr/bin/time', '-f', '%U %S', process.execPath, path.join(__dirname, '..', '..', 'dist', 'cli.js'), 'train',
    path.join(workspace, 'lenet_mnist.py'), '--dataset', 'mnist', '--limit', String(limit), '--epochs', String(epochs), '--optimizer', 'adam',
    '--lr', '0.002', '--val-split', '0.1', '--early-stopping', '2', '--json'], { encoding: 'utf8' });
  const [user, sys] = cli.stderr.trim().split('\n').pop().split(' ').map(Number);
  return cli.status === 0 ? { rate: JSON.parse(cli.stdout).trainImagesPerSecond, cpu: user + sys, error: '' }
    : { rate: NaN, cpu: NaN, error: cli.stderr.slice(-300) };
}

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

module.exports = { trainFrame, setNumber, panelRate, cliRun, processes, cpuBetween };
