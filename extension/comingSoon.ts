// Train is a real button today that says honestly what it will do: its panel lands with its own
// issue (training in the editor).
import * as vscode from 'vscode';

const WHAT = {
  train: 'Training in the editor (your model on MNIST or your own images, with live loss and accuracy curves) is coming soon in ConvLens.',
};

export async function comingSoon(feature: keyof typeof WHAT, subject?: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`${subject ? `${subject}: ` : ''}${WHAT[feature]} Meanwhile, the summary shows every layer's shape, parameters and MACs.`, 'Show Summary');
  if (choice) await vscode.commands.executeCommand('convlens.showSummary');
}
