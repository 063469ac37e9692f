// Hover on a layer (its construction or its call in forward()/call()).
import * as vscode from 'vscode';
import { COMMANDS } from './commandArgs';
import { displayOptions } from './display';
import { hoverMarkdown } from './hoverText';
import { toRange } from './ranges';
import { layersAt } from './reportQueries';
import type { ReportService } from './reportService';

export class LayerHover implements vscode.HoverProvider {
  constructor(private readonly reports: ReportService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const report = await this.reports.get(document);
    if (!report || token.isCancellationRequested) return undefined;
    const hits = layersAt(report, position.line + 1, position.character);
    if (!hits.length) return undefined;
    const { model, range } = hits[0];
    const rows = hits.map((h) => h.row);
    const lines = new Set([range.line, ...rows.map((r) => r.line)]);
    const diagnostics = model.diagnostics.filter((d) => lines.has(d.line));
    const md = new vscode.MarkdownString(hoverMarkdown(document.uri.toString(), model, rows, diagnostics, displayOptions(document.uri)), true);
    md.isTrusted = { enabledCommands: [COMMANDS.setInputShape, COMMANDS.animateLayer, COMMANDS.showSummary] };
    return new vscode.Hover(md, toRange(range));
  }
}
