// Train and Animate are real buttons today that say honestly what they will do: their panels land
// with their own issues (training in the editor, convolution animations).
import * as vscode from 'vscode';

const WHAT = {
  train: 'Training in the editor (your model on MNIST or your own images, with live loss and accuracy curves) is coming soon in ConvLens.',
  animate: 'Convolution animations (this layer\'s kernel sliding over its input with its own stride and padding) are coming soon in ConvLens.',
};

export async function comingSoon(feature: keyof typeof WHAT, subject?: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`${subject ? `${subject}: ` : ''}${WHAT[feature]} Meanwhile, the summary shows every layer's shape, parameters and MACs.`, 'Show Summary');
  if (choice) await vscode.commands.executeCommand('convlens.showSummary');
}
