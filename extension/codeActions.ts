// Quick fixes: the edits the engine attached to its diagnostics (the computed in_features, the
// channels that arrive, …), and pinning a model's input shape with a `# convlens: input=(…)` comment
// — directly when the engine worked the shape out, through the input box when it is symbolic.
import * as vscode from 'vscode';
import type { ModelReport } from '../engine/report/types';
import { COMMANDS } from './commandArgs';
import type { ReportDiagnostics } from './diagnostics';
import { commentText, inputCommentEdit } from './inputComment';
import { toRange } from './ranges';
import { modelAt } from './reportQueries';
import type { ReportService } from './reportService';

export class ReportCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly reports: ReportService, private readonly diagnostics: ReportDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const models = new Set<ModelReport>();
    for (const d of context.diagnostics) {
      if (d.source !== 'ConvLens') continue;
      const published = this.diagnostics.find(document.uri, d);
      if (!published) continue;
      published.fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, toRange(fix.range), fix.newText);
        action.diagnostics = [d];
        action.isPreferred = i === 0;
        actions.push(action);
      });
      if (published.model) models.add(published.model);
    }
    // On a model's first line, or on one of its problems: pin its input shape.
    const report = this.reports.peek(document);
    const here = report && modelAt(report, range.start.line + 1);
    if (here && here.line === range.start.line + 1) models.add(here);
    for (const model of models) {
      const action = this.pinInput(document, model);
      if (action) actions.push(action);
    }
    return actions;
  }

  private pinInput(document: vscode.TextDocument, model: ModelReport): vscode.CodeAction | undefined {
    // a model of another notebook cell (line 0 in this cell's view) gets its comment there
    if (model.line < 1 || model.inputShapeSource === 'comment' || model.inputShapeSource === 'argument') return undefined;
    const all = model.inputShapes ?? [model.inputShape];
    const shapes = all.every((s) => s.every((d): d is number => typeof d === 'number')) ? all as number[][] : undefined;
    if (!shapes) {
      const action = new vscode.CodeAction(`Set the input shape of ${model.name}…`, vscode.CodeActionKind.QuickFix);
      action.command = { title: action.title, command: COMMANDS.setInputShape, arguments: [{ uri: document.uri.toString(), modelLine: model.line }] };
      return action;
    }
    const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
    const e = inputCommentEdit(lines, model.line, shapes);
    const action = new vscode.CodeAction(`Add \`${commentText(shapes)}\` (${model.inputShapeSource} now)`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, new vscode.Range(e.line, e.startCol, e.line, e.endCol), e.newText);
    return action;
  }
}
