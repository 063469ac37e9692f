// Hover on a layer (its construction or its call in forward()/call()).
import * as vscode from 'vscode';
import { COMMANDS } from './commandArgs';
import { displayOptions } from './display';
import { hoverMarkdown } from './hoverText';
import { toRange } from './ranges';
import { layersAt, statementAt } from './reportQueries';
import { statementMarkdown } from './statementText';
import type { ReportService } from './reportService';
import type { FileReport } from '../engine/report/types';
import { environmentText, originText } from '../engine/report/package-origin';
import { mdCode, mdText } from './untrusted';

/** On an import line, the hover names where the package under the cursor was found. */
function importHover(report: FileReport, document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  const text = document.lineAt(position.line).text;
  const range = document.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_]*/);
  if (!range || !/^\s*(import|from)\s/.test(text)) return undefined;
  const found = report.packages?.find((p) => p.name === document.getText(range));
  if (!found) return undefined;
  const env = report.environment ? `\n\nPython environment: ${mdText(environmentText(report.environment))}` : '';
  return new vscode.Hover(new vscode.MarkdownString(`${mdCode(found.name)}: ${mdText(originText(found))}${env}`), range);
}

export class LayerHover implements vscode.HoverProvider {
  constructor(private readonly reports: ReportService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const report = await this.reports.get(document);
    if (!report || token.isCancellationRequested) return undefined;
    const o = displayOptions(document.uri);
    const hits = layersAt(report, position.line + 1, position.character);
    const statement = statementAt(report, position.line + 1, position.character);
    if (!hits.length && !statement) return importHover(report, document, position);
    const sections: string[] = [];
    // the statement first: the hover of a line says what the line produces, then the layer under the cursor
    if (statement) sections.push(statementMarkdown(statement.statement, statement.model.framework, o));
    if (hits.length) {
      const { model, range } = hits[0];
      const rows = hits.map((h) => h.row);
      const lines = new Set([range.line, ...rows.map((r) => r.line)]);
      const diagnostics = model.diagnostics.filter((d) => lines.has(d.line));
      sections.push(hoverMarkdown(document.uri.toString(), model, rows, diagnostics, o));
    }
    const md = new vscode.MarkdownString(sections.join('\n\n---\n\n'), true);
    md.isTrusted = { enabledCommands: [COMMANDS.setInputShape, COMMANDS.animateLayer, COMMANDS.showSummary] };
    return new vscode.Hover(md, toRange(hits.length ? hits[0].range : statement!.statement.range));
  }
}
