// The status bar's line for a running training session, rewritten once a second; a click shows the
// model's panel. A status bar item with a still icon, not VS Code's window progress: that one spins its
// icon at 20 frames a second for the whole run, and drawing it cost the workbench ~10 % of a core
// (software compositing, e2e train-speed run) on the cores the training runs on.
import * as vscode from 'vscode';
import { COMMANDS, type Target } from './commands';
import { trainProgressText, type RunProgress } from './trainProgressText';
import { plainTitle } from './untrusted';

const TICK_MS = 1000;

/** Shows the run's progress until `finished` settles. */
export function showTrainProgress(model: string, target: Target, progress: () => RunProgress, finished: Promise<void>): void {
  const item = vscode.window.createStatusBarItem('convlens.training', vscode.StatusBarAlignment.Left, 0);
  const name = plainTitle(model);
  item.name = 'ConvLens training';
  item.tooltip = `ConvLens is training ${name}: show its panel`;
  item.command = { command: COMMANDS.train, title: 'Show the training panel', arguments: [target] };
  const render = (): void => { item.text = trainProgressText(name, progress()); };
  render();
  item.show();
  const tick = setInterval(render, TICK_MS);
  void finished.finally(() => { clearInterval(tick); item.dispose(); });
}
