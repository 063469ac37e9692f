// Environments that Poetry and pipenv keep outside the project, found as the tools name them
// (never by running them): Poetry's `{cache}/virtualenvs/<name>-<hash>-py3.X`, pipenv's
// `~/.local/share/virtualenvs/<folder>-<hash>`, the hash being of the project's path.
import { basename, join } from '../paths';
import { minorVersion, slashes } from './layout';
import { sha256, urlsafeBase64 } from './sha256';
import type { DiscoveryInput, EnvHost } from './types';

type Env = Record<string, string | undefined>;

/** `slashes` of an optional value. */
const maybe = (p: string | undefined): string | undefined => (p ? slashes(p) : undefined);

const home = (input: DiscoveryInput): string | undefined =>
  maybe(input.platform === 'win32' ? input.env?.USERPROFILE ?? input.env?.HOME : input.env?.HOME);

/** The path as the tool hashed it: on Windows `C:\…` (with `normcase`, lowercase too, as Poetry does). */
export function osPath(path: string, platform: DiscoveryInput['platform'], normcase: boolean): string {
  if (platform !== 'win32') return path;
  const p = path.replace(/^\/([a-zA-Z]:)/, '$1').replace(/\//g, '\\');
  return normcase ? p.toLowerCase() : p;
}

/** The `name` of `[tool.poetry]`, else of `[project]`, in a pyproject.toml (a line scan: no TOML library needed for one key). */
export function pyprojectName(text: string): string | undefined {
  const names = new Map<string, string>();
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = line.match(/^\s*\[([^\]]+)\]\s*(#.*)?$/);
    if (header) section = header[1].trim();
    const name = line.match(/^\s*name\s*=\s*(["'])(.*?)\1/);
    if (name && !names.has(section)) names.set(section, name[2]);
  }
  return names.get('tool.poetry') ?? names.get('project');
}

/** Poetry's `EnvManager.generate_env_name`: the canonical name, sanitised, and 8 characters of the path's hash. */
export function poetryEnvName(name: string, projectDir: string, platform: DiscoveryInput['platform']): string {
  const canonical = name.replace(/[-_.]+/g, '-').toLowerCase();
  const sanitized = canonical.replace(/[ $`!*@"\\\r\n\t]/g, '_').slice(0, 42);
  return `${sanitized}-${urlsafeBase64(sha256(osPath(projectDir, platform, true))).slice(0, 8)}`;
}

function poetryFolder(input: DiscoveryInput): string | undefined {
  const env: Env = input.env ?? {};
  if (env.POETRY_VIRTUALENVS_PATH) return slashes(env.POETRY_VIRTUALENVS_PATH);
  let cache = maybe(env.POETRY_CACHE_DIR);
  const h = home(input);
  if (!cache && input.platform === 'win32') cache = env.LOCALAPPDATA && `${slashes(env.LOCALAPPDATA)}/pypoetry/Cache`;
  else if (!cache && input.platform === 'darwin') cache = h && `${h}/Library/Caches/pypoetry`;
  else if (!cache) {
    const xdg = maybe(env.XDG_CACHE_HOME) ?? (h && `${h}/.cache`);
    cache = xdg && `${xdg}/pypoetry`;
  }
  return cache && join(cache, 'virtualenvs');
}

/** Poetry's environment for the project in `projectDir` (the one envs.toml names, else the newest Python). */
export function poetryEnvironment(host: EnvHost, input: DiscoveryInput, projectDir: string, pyproject: string): string | undefined {
  const name = pyprojectName(pyproject);
  const folder = poetryFolder(input);
  if (!name || !folder) return undefined;
  const base = poetryEnvName(name, projectDir, input.platform);
  const listed = host.listDir?.(folder);
  const pinned = minorVersion(host.readFile(join(folder, 'envs.toml'))?.split(`[${base}]`)[1]?.match(/minor\s*=\s*"([^"]*)"/)?.[1]);
  // without a listing, try the versions Poetry supports, newest first
  const candidates = listed?.filter((n) => n.startsWith(`${base}-py`))
    ?? Array.from({ length: 11 }, (_, i) => `${base}-py3.${15 - i}`);
  const ordered = candidates.sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()));
  const chosen = (pinned && ordered.find((n) => n === `${base}-py${pinned}`)) || ordered.find((n) => host.isDirectory?.(join(folder, n)));
  return chosen && join(folder, chosen);
}

/** pipenv's `Project._get_virtualenv_hash`: the folder's name, sanitised, and 8 characters of the Pipfile path's hash. */
export function pipenvEnvName(projectDir: string, platform: DiscoveryInput['platform']): string {
  const sanitized = basename(projectDir).replace(/[ &$`!*@"()[\]\\\r\n\t]/g, '_').slice(0, 42);
  const pipfile = `${osPath(projectDir, platform, false)}${platform === 'win32' ? '\\' : '/'}Pipfile`;
  return `${sanitized}-${urlsafeBase64(sha256(pipfile).slice(0, 6)).slice(0, 8)}`;
}

function pipenvFolder(input: DiscoveryInput): string | undefined {
  const env: Env = input.env ?? {};
  if (env.WORKON_HOME) return slashes(env.WORKON_HOME);
  const h = home(input);
  if (input.platform === 'win32') return h && `${h}/.virtualenvs`;
  const data = maybe(env.XDG_DATA_HOME) ?? (h && `${h}/.local/share`);
  return data && `${data}/virtualenvs`;
}

/** pipenv's environment for the project in `projectDir`: by its hashed name, else the one whose `.project` file names the folder. */
export function pipenvEnvironment(host: EnvHost, input: DiscoveryInput, projectDir: string): string | undefined {
  const folder = pipenvFolder(input);
  if (!folder) return undefined;
  const exact = join(folder, pipenvEnvName(projectDir, input.platform));
  if (host.isDirectory?.(exact)) return exact;
  const prefix = pipenvEnvName(projectDir, input.platform).slice(0, -8);
  const same = (p: string | undefined) => p !== undefined && slashes(p.trim()) === projectDir;
  const match = host.listDir?.(folder)?.find((n) => n.startsWith(prefix) && same(host.readFile(join(folder, n, '.project'))));
  return match && join(folder, match);
}
