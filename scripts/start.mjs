// `npm start`: the main job. With VS Code installed and a display, open the bundled examples with
// the extension loaded; otherwise (a terminal, a headless machine) print the command-line summary
// of an example, which is the same report the editor shows.
import { spawnSync } from 'node:child_process';

const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform === 'darwin' || process.platform === 'win32';
const code = spawnSync('code', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
if (hasDisplay && code.status === 0) {
  console.log('Opening examples/ in VS Code with ConvLens loaded (extension development mode)…');
  spawnSync('code', [`--extensionDevelopmentPath=${process.cwd()}`, 'examples', 'examples/resnet_cifar.py'], { stdio: 'inherit', shell: process.platform === 'win32' });
} else {
  console.log('No VS Code window available here: printing the summary of examples/resnet_cifar.py.\n');
  const r = spawnSync(process.execPath, ['dist/cli.js', 'summary', 'examples/resnet_cifar.py'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
