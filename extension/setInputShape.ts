// The "Set input shape" command: asks for a shape (validated as it is typed) and writes the
// `# convlens: input=(…)` comment above the model, replacing one that is already there.
import * as vscode from 'vscode';
import type { ModelReport } from '../engine/report/types';
import { resolveTarget } from './commandArgs';
import { inputCommentEdit, parseShapesText } from './inputComment';
import { modelAt } from './reportQueries';
import type { ReportService } from './reportService';

export async function setInputShape(reports: ReportService, arg: unknown): Promise<boolean> {
  const target = resolveTarget(arg);
  if (!target) {
    void vscode.window.showInformationMessage('ConvLens: open a Python file with a model first.');
    return false;
  }
  const document = await vscode.workspace.openTextDocument(target.uri);
  const report = await reports.get(document);
  const model = report && (target.modelLine ? modelAt(report, target.modelLine) : report.models[0]);
  if (!model) {
    void vscode.window.showInformationMessage('ConvLens found no model in this file (an nn.Module subclass, an nn.Sequential or a Keras model).');
    return false;
  }
  const text = await vscode.window.showInputBox({
    title: `Input shape of ${model.name}`,
    prompt: `Batch first, e.g. ${example(model)}; a forward() of several inputs takes one shape each, (…), (…). Now: ${model.inputShapeOrigin || model.inputShapeSource}.`,
    value: suggestion(model),
    validateInput: (v) => { const p = parseShapesText(v); return 'error' in p ? p.error : undefined; },
  });
  if (text === undefined) return false;
  const parsed = parseShapesText(text);
  if ('error' in parsed) return false;
  const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
  const e = inputCommentEdit(lines, model.line, parsed.shapes);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(e.line, e.startCol, e.line, e.endCol), e.newText);
  return vscode.workspace.applyEdit(edit);
}

const example = (m: ModelReport): string => (m.framework === 'keras' ? '(1, 28, 28, 1)' : '(1, 3, 224, 224)');

/** The current shape when it is all numbers, else the example with the sizes it does know. */
function suggestion(m: ModelReport): string {
  const dims = (m.inputShapes ?? [m.inputShape]).map((s) => s.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : null)));
  return dims.every((s) => s.every((d) => d !== null)) ? dims.map((s) => `(${s.join(', ')})`).join(', ') : example(m);
}
