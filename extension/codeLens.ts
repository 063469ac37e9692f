// CodeLens above each model: its totals, its input shape and where that came from, and the actions
// Summary, Train, Animate, Set input shape. The two facts are plain text (no command): nothing looks
// clickable that is not. They sit above the model's class when the file defines it, and again on
// the line that builds the model (`model = Net()` at the end of a file is far from the class).
import * as vscode from 'vscode';
import { COMMANDS } from './commandArgs';
import { displayOptions } from './display';
import { computeText, fullCount, inputSourceShort, inputSourceText, inputText, paramsText } from './format';
import { toRange } from './ranges';
import type { ReportService } from './reportService';
import { readSettings } from './settings';
import { plainTitle } from './untrusted';
import { hasDefaultMemories, trainingPeakText } from './memoryText';
import { ReportChangeEvent } from './reportChangeEvent';

export class ModelCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed: ReportChangeEvent;
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly reports: ReportService) {
    this.changed = new ReportChangeEvent(reports);
    this.onDidChangeCodeLenses = this.changed.event;
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readSettings(document.uri).codeLens) return [];
    const version = document.version;
    const report = await this.reports.get(document);
    if (!report || token.isCancellationRequested) return [];
    this.changed.answeredFrom(document, report);
    await this.reports.figuresOf(report);
    if (token.isCancellationRequested) return [];
    // The worker drops a report's figures when the next edit's analysis comes first: the lenses of that edit's report
    // are then the ones to show, rather than figures of an outdated version worked out here (decoding its graph).
    if (document.version !== version && !hasDefaultMemories(report)) return this.provideCodeLenses(document, token);
    const o = displayOptions(document.uri);
    const lenses: vscode.CodeLens[] = [];
    for (const model of report.models) {
      // above the class and where the model is built; in a notebook cell, only those of this cell (line 0: another)
      const built = () => (model.range && !model.range.file ? toRange(model.range).start : new vscode.Position(model.line - 1, 0));
      const places = [
        ...(model.definitionLine !== undefined ? [new vscode.Position(model.definitionLine - 1, 0)] : []),
        ...(model.line >= 1 ? [built()] : []),
      ];
      const target = { uri: document.uri.toString(), modelLine: model.line };
      const p = model.paramsComplete, m = model.macsComplete;
      const bound = model.unmodelled.length ? ` (≥: ${model.unmodelled.map((u) => u.name).join(', ')} not modelled)` : '';
      for (const at of places) {
        const range = new vscode.Range(at, at);
        const lens = (title: string, command = '', tooltip?: string) =>
          lenses.push(new vscode.CodeLens(range, { title: plainTitle(title), command, tooltip, arguments: command ? [target] : undefined }));
        lens(`${model.name}: ${paramsText(model.totalParams, p)} · ${computeText(model.macs, o.computeUnit, m)}`, '',
          `${fullCount(model.totalParams, p)} parameters (${fullCount(model.trainableParams, p)} trainable), ${fullCount(model.macs, m)} MACs per sample${bound}`);
        lens(`input ${inputText(model, o)} · ${inputSourceShort(model).replace(/`/g, '')}`, '', inputSourceText(model).replace(/`/g, ''));
        lens(trainingPeakText(model), '', 'Estimated memory of one training step: parameters, gradients, optimiser state, '
          + 'activations kept for backward and the largest transient (see the summary panel for other batch sizes)');
        lens('Summary', COMMANDS.showSummary, 'Open the model summary: every module with its output shape, parameters and MACs');
        lens('Train', COMMANDS.train, 'Train this model on small data in the editor');
        lens('Animate', COMMANDS.animateLayer, 'Animate the first convolution or pooling layer with its own kernel, stride and padding');
        lens('Set input shape', COMMANDS.setInputShape, 'Write a # convlens: input=(…) comment above the model');
      }
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
