// The integration suites through @vscode/test-electron, for machines that can download VS Code
// (the desktop build and its Electron). Here, without that download, use `npm run test:integration`.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '../..');

runTests({
  version: '1.100.3',
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'dist/test/integration/index.js'),
  launchArgs: [path.join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
}).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
