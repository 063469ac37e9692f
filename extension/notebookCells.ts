// Notebook cells in the editor: each cell is a TextDocument of the `vscode-notebook-cell` scheme;
// ConvLens analyses the notebook that holds it (its code cells as one program, in cell order).
import * as vscode from 'vscode';
import type { CellSource } from '../engine/notebook/ipynb';

export const isNotebookCell = (document: vscode.TextDocument): boolean => document.uri.scheme === 'vscode-notebook-cell';

/** The notebook a cell document belongs to, and the cell's 1-based index among all its cells. */
export function notebookOf(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: number } | undefined {
  if (!isNotebookCell(document)) return undefined;
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().findIndex((c) => c.document === document);
    if (cell >= 0) return { notebook, cell: cell + 1 };
  }
  return undefined;
}

const isPythonCode = (c: vscode.NotebookCell): boolean => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python';

/** What the engine reads: every cell in order, Python code cells as `code`. */
export function notebookCells(notebook: vscode.NotebookDocument): CellSource[] {
  return notebook.getCells().map((c) => ({
    kind: isPythonCode(c) ? 'code' : c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'raw',
    source: c.document.getText(),
  }));
}

/** The notebook's Python code cells with their 1-based index among all cells. */
export function codeCells(notebook: vscode.NotebookDocument): Array<{ document: vscode.TextDocument; cell: number }> {
  return notebook.getCells().flatMap((c, i) => (isPythonCode(c) ? [{ document: c.document, cell: i + 1 }] : []));
}

/** Changes whenever a cell is edited, added, removed, moved or changes kind or language. */
export function notebookVersion(notebook: vscode.NotebookDocument): string {
  return notebook.getCells().map((c) => `${c.kind}:${c.document.languageId}:${c.document.uri.fragment}:${c.document.version}`).join('|');
}
