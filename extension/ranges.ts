// Report ranges (1-based lines, 0-based columns) as VS Code ranges (0-based lines).
import * as vscode from 'vscode';
import type { SourceRange } from '../engine/report/types';

export const toRange = (r: SourceRange): vscode.Range => new vscode.Range(r.line - 1, r.col, r.endLine - 1, r.endCol);

/** The whole of a 1-based line (for diagnostics the report places by line only). */
export function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  const l = document.lineAt(Math.min(Math.max(line - 1, 0), document.lineCount - 1));
  return new vscode.Range(l.lineNumber, l.firstNonWhitespaceCharacterIndex, l.lineNumber, l.range.end.character);
}
