// Where an imported package was found, in words: the summary's `torchvision: …/site-packages (venv …)`
// lines (CLI), the summary panel, hover and status bar tooltip.
import type { EnvironmentInfo, PackageOrigin } from './types';

const SOURCES: Record<string, string> = {
  venv: 'venv',
  VIRTUAL_ENV: 'VIRTUAL_ENV',
  conda: 'conda environment',
  poetry: 'Poetry environment',
  pipenv: 'pipenv environment',
  pth: '.pth entry',
  system: 'system site-packages',
  flag: '--python-path',
  setting: 'convlens.python.extraPaths',
  'python-extension': "the Python extension's interpreter",
  defaultInterpreterPath: 'python.defaultInterpreterPath',
};

/** `/p/.venv/lib/python3.11/site-packages (venv /p/.venv)`, `built-in torchvision 0.14.1 (no installed copy found)`, … */
export function originText(p: PackageOrigin): string {
  switch (p.origin) {
    case 'installed': {
      const why = SOURCES[p.source ?? ''] ?? p.source ?? 'search path';
      return `${p.path} (${why}${p.env && p.env !== p.path ? ` ${p.env}` : ''})`;
    }
    case 'bundled': return `built-in ${p.name}${p.version ? ` ${p.version}` : ''} (${p.shadows
      ? `read instead of the installed copy in ${p.shadows}` : 'no installed copy found'})`;
    case 'workspace': return `${p.path} (workspace)`;
    case 'modelled': return 'modelled by ConvLens (no source read)';
    case 'missing': return 'not found: what comes from it is unknown';
  }
}

/** `the venv /p/.venv (Python 3.11)`. */
export function environmentText(e: EnvironmentInfo): string {
  const kind = e.kind === 'system' ? 'the Python installation' : e.kind === 'conda' ? 'the conda environment' : 'the venv';
  const via = e.source === 'venv' || e.source === 'conda' ? '' : `, from ${SOURCES[e.source] ?? e.source}`;
  return `${kind} ${e.root}${e.version ? ` (Python ${e.version}${via})` : via ? ` (${via.slice(2)})` : ''}`;
}

/** One line per imported package that is not the engine's own model: `torchvision: …`. */
export function packageLines(packages: PackageOrigin[] | undefined): string[] {
  return (packages ?? []).filter((p) => p.origin !== 'modelled').map((p) => `${p.name}: ${originText(p)}`);
}
