// Animate is a real button today that says honestly what it will do: its panel lands with its own
// issue (convolution animations).
import * as vscode from 'vscode';

const WHAT = {
  animate: 'Convolution animations (this layer\'s kernel sliding over its input with its own stride and padding) are coming soon in ConvLens.',
};

export async function comingSoon(feature: keyof typeof WHAT, subject?: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`${subject ? `${subject}: ` : ''}${WHAT[feature]} Meanwhile, the summary shows every layer's shape, parameters and MACs.`, 'Show Summary');
  if (choice) await vscode.commands.executeCommand('convlens.showSummary');
}
