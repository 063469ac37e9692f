// A Keras model in the training panel (issue 15): the official Simple MNIST convnet of keras.io trains on
// the MNIST subset in the panel's worker, to Keras's own accuracy on the same data (Keras 3.15.1's model.fit,
// JAX, 2 epochs, batch 128, Adam 1e-3, seed 0: 93.35 %; `convlens train` with the same settings: 95.5 %;
// test/bench/keras-mnist/compare.sh); the run is saved with Keras's weight names and shapes; the PyTorch
// training script is refused with its reason.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { readSafetensors } from '../../engine/train/save/safetensors';
import type { TrainSettings } from '../../webview/trainProtocol';
import { api, eventually, openExample } from './helpers';

const SETTINGS: TrainSettings = {
  dataset: 'mnist', limit: 12000, epochs: 2, batchSize: 128, optimizer: 'adam', lr: 0.001, momentum: 0.9, weightDecay: 0,
  init: 'default', crop: false, flip: false, tta: false, patience: 0, valSplit: 0, seed: 0, fit: 'resize',
};

suite('training panel: Keras', () => {
  test('the keras.io Simple MNIST convnet trains in the panel to Keras\'s accuracy and saves Keras weights', async function () {
    this.timeout(900_000);
    const doc = await openExample('keras_mnist_convnet.py');
    const model = (await (await api()).reportFor(doc.uri))!.models[0];
    assert.strictEqual(model.framework, 'keras');
    await vscode.commands.executeCommand('convlens.train', { uri: doc.uri.toString(), modelLine: model.line });
    const t = (await api()).training;
    const session = () => t.sessions().find((s) => s.model === model.name);
    await eventually(() => (session()?.panelOpen ? true : undefined), 'the Keras model\'s training panel');

    // the PyTorch script is refused: nothing is written where the save dialog would have said
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'keras_train.py');
    t.answerSave(target);
    try {
      assert.strictEqual(await t.receive(model.name, { type: 'exportScript', settings: SETTINGS }), true);
    } finally {
      t.answerSave(undefined);
    }
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)), 'no script for a Keras model');

    assert.strictEqual(await t.receive(model.name, { type: 'setData', dataset: 'mnist', limit: SETTINGS.limit }), true);
    assert.strictEqual(await t.receive(model.name, { type: 'start', settings: SETTINGS }), true);
    const s = await eventually(() => (session()?.state === 'running' ? session() : undefined), 'the run to start', 60_000);
    const done = await eventually(() => (session()?.state === 'done' ? session() : undefined), 'the run to finish', 840_000);
    assert.strictEqual(done?.runId, s?.runId);
    const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.convlens', 'runs', s!.runId!);
    const metrics = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'metrics.json'))));
    console.log(`      measured: Keras Simple MNIST convnet in the panel, 2 epochs of 12,000: test accuracy ${(100 * metrics.result.testAccuracy).toFixed(2)} %, `
      + `${Math.round(metrics.result.imagesPerSecond)} images/s`);
    assert.ok(metrics.result.testAccuracy > 0.93, `test accuracy ${metrics.result.testAccuracy} (Keras's own fit: 0.9335, the CLI: 0.955)`);
    const weights = readSafetensors(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'weights.safetensors')));
    assert.deepStrictEqual([...weights.keys()], model.parameters.map((p) => p.name), 'Keras weight names in Keras\'s order');
    assert.deepStrictEqual(weights.get('conv2d/kernel')!.shape, [3, 3, 1, 32]);
    assert.deepStrictEqual(weights.get('dense/kernel')!.shape, [1600, 10]);
  });
});
