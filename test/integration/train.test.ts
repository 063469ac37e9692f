// The training panel inside the real extension host: messages from the webview are validated (bad
// ones change nothing), a run's worker thread goes away on stop, on closing the panel and on
// deactivation, and a run is saved (config, metrics, PyTorch-named safetensors) and read back.
import * as assert from 'assert';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import { buildNetwork } from '../../engine/train/graph/build';
import { initParams } from '../../engine/train/init/init';
import { readSafetensors } from '../../engine/train/save/safetensors';
import { Rng } from '../../engine/train/tensor/rng';
import { listRuns } from '../../extension/trainRuns';
import { runJob } from '../../extension/trainWorkerClient';
import type { TrainSettings } from '../../webview/trainProtocol';
import { api, eventually, EXTENSION_ID, openExample, revert } from './helpers';

const SETTINGS: TrainSettings = {
  dataset: 'bars', limit: 4000, epochs: 40, batchSize: 16, optimizer: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 0,
  init: 'default', crop: false, flip: false, tta: false, patience: 0, valSplit: 0.1, seed: 1, fit: 'resize',
};

async function training() {
  return (await api()).training;
}

async function openPanel(): Promise<vscode.TextDocument> {
  const doc = await openExample('lenet_mnist.py');
  await vscode.commands.executeCommand('convlens.train', { uri: doc.uri.toString(), modelLine: 8 });
  const t = await training();
  await eventually(() => (t.sessions().find((s) => s.model === 'LeNet' && s.panelOpen) ? true : undefined), 'the LeNet training panel');
  return doc;
}

const session = async () => (await training()).sessions().find((s) => s.model === 'LeNet');

async function startRun(): Promise<void> {
  const t = await training();
  assert.strictEqual(await t.receive('LeNet', { type: 'setData', dataset: 'bars', limit: SETTINGS.limit }), true);
  assert.strictEqual(await t.receive('LeNet', { type: 'start', settings: SETTINGS }), true);
  await eventually(async () => ((await session())?.state === 'running' ? true : undefined), 'the run to start', 30_000);
  assert.ok(t.liveWorkers() >= 1, 'a worker thread trains');
}

const noWorkers = async (what: string) => {
  const t = await training();
  await eventually(() => (t.liveWorkers() === 0 ? true : undefined), `no worker thread left after ${what}`, 30_000);
};

suite('training panel', () => {
  test('Train opens the panel of the model; malformed messages are rejected and change nothing', async () => {
    await openPanel();
    const t = await training();
    const bad: unknown[] = [
      null, 'start', { type: 'launch' }, { type: 'start' }, { type: 'start', settings: { ...SETTINGS, epochs: 0 } },
      { type: 'start', settings: { ...SETTINGS, lr: -1 } }, { type: 'start', settings: { ...SETTINGS, dataset: '/etc/passwd' } },
      { type: 'start', settings: { ...SETTINGS, seed: 1.5 } }, { type: 'setData', dataset: 'mnist', limit: 0 },
      { type: 'pickData', kind: 'network' }, { type: 'openRun', id: '../../etc' }, { type: 'openRun', id: '..' }, { type: 'exportWeights', id: '.' }, { type: 'features', sample: -1 },
      { type: 'compare', ids: [] }, { type: 'reveal', line: 0 }, { type: 'copyCode', id: 5 },
    ];
    for (const m of bad) assert.strictEqual(await t.receive('LeNet', m), false, JSON.stringify(m));
    assert.notStrictEqual((await session())?.state, 'running');
    // Only the check that opening the panel started may still be running; it ends by itself.
    await noWorkers('the model check');
    assert.notStrictEqual((await session())?.state, 'running', 'no message started a run');
  });

  test('Export as PyTorch training script: the form\'s settings, written where the save dialog says, by a worker that ends', async () => {
    await openPanel();
    const t = await training();
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'exported_train.py');
    t.answerSave(target);
    try {
      const settings = { ...SETTINGS, epochs: 7, optimizer: 'adamw' as const, crop: true, tta: true, patience: 3 };
      assert.strictEqual(await t.receive('LeNet', { type: 'exportScript', settings }), true);
    } finally {
      t.answerSave(undefined);
    }
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    for (const line of [/^EPOCHS = 7$/m, /^OPTIMIZER = "adamw" /m, /^EARLY_STOPPING = 3 /m, /^TTA = True /m, /^AUGMENT = \{'crop': True, 'flip': False\} /m,
      /^SYNTHETIC = \("bars", 4000, 1000, \(1, 28, 28\)\) /m, /^MODEL_FILE = "(?:\.\.\/)*[\w/]*lenet_mnist\.py" /m, /^MODEL_ENTRY = "LeNet" /m, /^SEED = 1$/m]) {
      assert.match(text, line);
    }
    await vscode.workspace.fs.delete(target);
    await noWorkers('the export');
  });

  test('Stop ends the worker and leaves a consistent saved run (config, metrics, PyTorch-named weights)', async () => {
    await openPanel();
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await startRun();
    await new Promise((r) => setTimeout(r, 3000));
    const t = await training();
    assert.strictEqual(await t.receive('LeNet', { type: 'stop' }), true);
    delay.disable();
    console.log(`      measured: extension host event-loop delay during training: max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`);
    const s = await eventually(async () => { const s = await session(); return s?.state === 'stopped' ? s : undefined; }, 'the run to stop', 60_000);
    await noWorkers('Stop');

    const folder = vscode.workspace.workspaceFolders![0].uri;
    const dir = vscode.Uri.joinPath(folder, '.convlens', 'runs', s.runId!);
    const read = async (name: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name));
    const config = JSON.parse(new TextDecoder().decode(await read('config.json')));
    const metrics = JSON.parse(new TextDecoder().decode(await read('metrics.json')));
    assert.strictEqual(config.id, s.runId);
    assert.strictEqual(config.model.name, 'LeNet');
    assert.deepStrictEqual(config.settings, SETTINGS);
    assert.strictEqual(metrics.status, 'stopped');
    assert.deepStrictEqual((await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n).sort(), ['config.json', 'metrics.json', 'weights.safetensors'], 'a run that ended keeps no resume state');
    assert.ok(metrics.batches.length > 0, 'batches were recorded');
    assert.ok(metrics.epochs.length < SETTINGS.epochs, 'stopped before the last epoch');
    assert.strictEqual(metrics.batches.at(-1).step, metrics.batches.length, 'every step is recorded once');
    assert.ok(metrics.result.testAccuracy >= 0 && metrics.result.testAccuracy <= 1);
    const weights = readSafetensors(await read('weights.safetensors'));
    const report = (await (await api()).reportFor(vscode.Uri.joinPath(folder, 'lenet_mnist.py')))!.models[0];
    assert.deepStrictEqual([...weights.keys()], report.parameters.map((p) => p.name), 'state_dict names in PyTorch order');
    for (const p of report.parameters) assert.deepStrictEqual(weights.get(p.name)!.shape, p.shape, p.name);
    assert.ok([...weights.values()].every((w) => w.data.every(Number.isFinite)));
  });

  test('closing the panel of a running session asks; "Stop" ends the worker', async () => {
    await openPanel();
    await startRun();
    const t = await training();
    t.answerStop('Stop');
    try {
      t.closePanel('LeNet');
      await noWorkers('closing the panel');
      await eventually(async () => ((await session()) === undefined ? true : undefined), 'the session to end');
    } finally {
      t.answerStop(undefined);
    }
  });

  test('closing the panel and keeping the run: reopening catches up with the same run', async () => {
    await openPanel();
    await startRun();
    const t = await training();
    const before = (await session())!.runId;
    t.answerStop('Keep Training');
    try {
      t.closePanel('LeNet');
      await new Promise((r) => setTimeout(r, 500));
      assert.strictEqual((await session())?.state, 'running', 'still training without a panel');
      assert.strictEqual((await session())?.panelOpen, false);
      await openPanel();
      assert.strictEqual((await session())?.runId, before, 'the reopened panel shows the same run');
    } finally {
      t.answerStop(undefined);
    }
    await t.receive('LeNet', { type: 'stop' });
    await noWorkers('Stop');
  });

  test('a run checkpoints at every epoch end: after a shutdown mid-run it is interrupted; a changed model is refused, files intact; Resume finishes it', async () => {
    const doc = await openPanel();
    const t = await training();
    const settings = { ...SETTINGS, limit: 300, valSplit: 0, epochs: 40 };
    assert.strictEqual(await t.receive('LeNet', { type: 'setData', dataset: 'bars', limit: 300 }), true);
    assert.strictEqual(await t.receive('LeNet', { type: 'start', settings }), true);
    const s = await eventually(async () => { const s = await session(); return s?.state === 'running' ? s : undefined; }, 'the run to start', 30_000);
    const root = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.convlens', 'runs');
    const file = (name: string) => vscode.Uri.joinPath(root, s.runId!, name);
    const metricsOf = async () => JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file('metrics.json'))));
    const checkpoint = await eventually(async () => { try { return await metricsOf(); } catch { return undefined; } }, 'a checkpoint', 60_000);
    assert.strictEqual(checkpoint.status, 'interrupted');
    await t.shutdown();
    await noWorkers('shutdown');
    // a checkpoint save under way at the shutdown still ends, and leaves no temporary file
    const files = async () => (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root, s.runId!))).map(([n]) => n).sort().join();
    let last = '';
    await eventually(async () => {
      const now = (await files()) + JSON.stringify(await metricsOf());
      const still = now === last && now.startsWith('config.json,metrics.json,resume.safetensors,weights.safetensors{');
      last = now;
      return still ? true : await new Promise<undefined>((r) => setTimeout(r, 300));
    }, 'only the run files, and no save under way');
    const saved = await metricsOf();
    console.log(`      measured: interrupted after epoch ${saved.epochs.length} of ${settings.epochs}`);
    assert.strictEqual(saved.status, 'interrupted', 'a run ended by a shutdown stays interrupted');
    assert.ok(saved.epochs.length >= 1 && saved.epochs.length < settings.epochs, `interrupted mid-run (${saved.epochs.length} epochs)`);
    assert.strictEqual(saved.bestEpoch, saved.epochs.length, 'without validation the weights are the latest epoch\'s');
    assert.ok(saved.batches.every((b: { epoch: number }) => b.epoch <= saved.epochs.length), 'the metrics stop at the checkpoint\'s epoch end');
    const weights = readSafetensors(await vscode.workspace.fs.readFile(file('weights.safetensors')));
    assert.ok([...weights.values()].every((w) => w.data.every(Number.isFinite)));
    const listed = (await listRuns(root)).find((r) => r.id === s.runId);
    assert.strictEqual(listed?.status, 'interrupted');
    assert.strictEqual(listed?.plannedEpochs, settings.epochs);
    await openPanel();
    assert.strictEqual(await t.receive('LeNet', { type: 'openRun', id: s.runId! }), true);
    await eventually(async () => { const o = await session(); return o?.runId === s.runId && o?.state === 'stopped' ? true : undefined; }, 'the interrupted run to open');
    // its best weights export as a finished run's do, and the loading code names them
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'interrupted-export.safetensors');
    t.answerSave(target);
    try {
      assert.strictEqual(await t.receive('LeNet', { type: 'exportWeights', id: s.runId! }), true);
    } finally {
      t.answerSave(undefined);
    }
    const exported = await vscode.workspace.fs.readFile(target);
    assert.ok(Buffer.from(exported).equals(Buffer.from(await vscode.workspace.fs.readFile(file('weights.safetensors')))), 'the exported file is the checkpoint\'s weights');
    await vscode.workspace.fs.delete(target);
    assert.strictEqual(await t.receive('LeNet', { type: 'copyCode', id: s.runId! }), true);
    const code = await vscode.env.clipboard.readText();
    assert.ok(code.includes(`.convlens/runs/${s.runId}/weights.safetensors`) && code.includes('LeNet') && /mean = torch.tensor\(\[/.test(code), code);

    // the model in the file changed so that the checkpoint no longer fits: refused, and the files stay as they were
    const bytes = async () => Promise.all(['metrics.json', 'resume.safetensors', 'weights.safetensors', 'config.json'].map(async (n) => vscode.workspace.fs.readFile(file(n))));
    const before = await bytes();
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('num_classes=10');
    assert.ok(at > 0, 'LeNet has num_classes=10');
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'num_classes=10'.length)), 'num_classes=12'));
    try {
      await eventually(async () => ((await (await api()).reportFor(doc.uri))?.models[0].parameters.find((p) => p.name === 'fc3.weight')?.shape[0] === 12 ? true : undefined), 'the edited model');
      assert.strictEqual(await t.receive('LeNet', { type: 'resumeRun', id: s.runId! }), true);
      const refused = await eventually(async () => { const o = await session(); return o?.state === 'failed' ? o : undefined; }, 'the refusal', 60_000);
      assert.match(refused.message ?? '', /Cannot resume run .*the model changed since the run was saved.*fc3\.weight is \(10, 84\) in the checkpoint but \(12, 84\) in the model.*files are unchanged/);
      assert.strictEqual(refused.runId, s.runId);
      await noWorkers('the refusal');
      const after = await bytes();
      before.forEach((b, i) => assert.ok(Buffer.from(b).equals(Buffer.from(after[i])), `file ${i} unchanged`));
      assert.strictEqual((await listRuns(root)).find((r) => r.id === s.runId)?.status, 'interrupted', 'still listed as interrupted');
    } finally {
      await revert(doc);
    }
    await eventually(async () => ((await (await api()).reportFor(doc.uri))?.models[0].parameters.find((p) => p.name === 'fc3.weight')?.shape[0] === 10 ? true : undefined), 'the model as it was');

    // as if a kill came between the metrics and the resume state of the next epoch end (the resume state
    // is written last): the metrics are an epoch ahead of it, and the resumed run cuts them back
    type Batch = { epoch: number; step: number };
    const k = saved.epochs.length, perEpoch = saved.epochs[0].step;
    const ahead = {
      ...saved, epochs: [...saved.epochs, { ...saved.epochs[k - 1], epoch: k + 1, step: (k + 1) * perEpoch }],
      batches: [...saved.batches, ...saved.batches.filter((b: Batch) => b.epoch === k).map((b: Batch) => ({ ...b, epoch: k + 1, step: b.step + perEpoch }))],
    };
    await vscode.workspace.fs.writeFile(file('metrics.json'), new TextEncoder().encode(JSON.stringify(ahead)));

    // Resume: the same run id and folder, the curves go on from the checkpoint, and it ends as a completed run
    assert.strictEqual(await t.receive('LeNet', { type: 'resumeRun', id: s.runId! }), true);
    await eventually(async () => { const o = await session(); return o?.state === 'running' && o.runId === s.runId ? true : undefined; }, 'the resumed run to train', 60_000);
    const done = await eventually(async () => { const o = await session(); return o?.state === 'done' ? o : undefined; }, 'the resumed run to finish', 180_000);
    assert.strictEqual(done.runId, s.runId, 'the run keeps its id');
    await noWorkers('the resumed run');
    const end = await metricsOf();
    assert.strictEqual(end.status, 'completed');
    assert.deepStrictEqual(end.epochs.map((e: { epoch: number }) => e.epoch), Array.from({ length: settings.epochs }, (_, i) => i + 1), 'every epoch once, in order');
    assert.deepStrictEqual(end.epochs.slice(0, saved.epochs.length), saved.epochs, 'the epochs before the interruption are kept as they were');
    assert.deepStrictEqual(end.batches.map((b: { step: number }) => b.step), Array.from({ length: end.batches.length }, (_, i) => i + 1), 'every step once, in order');
    assert.ok(end.seconds >= saved.seconds, 'the time goes on');
    assert.strictEqual(end.result.bestEpoch, settings.epochs);
    assert.ok(end.result.testAccuracy > 0.3, `test accuracy ${end.result.testAccuracy} (8 classes)`);
    assert.strictEqual(await files(), 'config.json,metrics.json,weights.safetensors', 'a completed run drops its resume state');
    assert.strictEqual((await listRuns(root)).find((r) => r.id === s.runId)?.status, 'completed');
  });

  test('a fine-tuning file: the worker says what trains, and a run keeps the frozen tensors at their seeded start', async () => {
    const doc = await openExample('finetune_frozen.py');
    const model = (await (await api()).reportFor(doc.uri))!.models[0];
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const spec = { name: model.name, graph: model.graph, parameters: model.parameters };
    const checked = await runJob(ext, { type: 'check', model: spec, data: { kind: 'shapes', limit: 64, seed: 0 } });
    // PyTorch: sum(p.numel() for p in model.parameters() if p.requires_grad) = 4,956; 512 frozen
    assert.deepStrictEqual(checked.type === 'checked' && checked.params, { trainable: 4956, frozen: 512 });
    const settings: TrainSettings = { ...SETTINGS, dataset: 'shapes', limit: 64, epochs: 1, valSplit: 0, seed: 3 };
    const done = await runJob(ext, { type: 'train', model: spec, data: { kind: 'shapes', limit: 64, seed: 3 }, settings, control: new SharedArrayBuffer(4) });
    assert.ok(done.type === 'done', JSON.stringify(done).slice(0, 300));
    const saved = readSafetensors(done.weights), start = buildNetwork(model);
    initParams(start.params, 'default', new Rng(3));
    const frozen = start.params.filter((p) => !p.trainable);
    assert.deepStrictEqual(frozen.map((p) => p.name), ['conv1.weight', 'conv1.bias', 'bn1.weight', 'bn1.bias', 'conv2.bias']);
    for (const p of frozen) assert.deepStrictEqual(saved.get(p.name)!.data, p.value, `${p.name} as it started`);
    assert.notDeepStrictEqual(saved.get('fc.weight')!.data, start.params.find((p) => p.name === 'fc.weight')!.value, 'the head trained');
    assert.ok(saved.get('bn1.running_mean')!.data.some((v) => v !== 0), 'a frozen BatchNorm still updates its running mean');
  });

  test('deactivation (shutdown) leaves no worker thread', async () => {
    await openPanel();
    await startRun();
    await (await training()).shutdown();
    await noWorkers('shutdown');
    assert.strictEqual((await training()).sessions().length, 0);
  });
});
