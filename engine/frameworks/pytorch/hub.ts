// torch.hub: `torch.hub.load("pytorch/vision", "resnet18", weights=...)` is torchvision's builder of
// that name (what the repository's hubconf.py exports), read from the user's torchvision or the
// bundled one; other repositories are unknown, never downloaded.
import type { Interpreter } from '../../python/interpreter';
import { isObj, madeUnknown, native, type CallSite, type PyNative, type PyUnknown } from '../../python/values';

const VISION = /^pytorch\/vision(?::[\w.-]+)?$/;
/** Arguments of hub.load itself, not of the model builder. */
const HUB_ARGS = ['source', 'trust_repo', 'force_reload', 'verbose', 'skip_validation'];

/** What a hub entry ConvLens cannot see makes: unknown, but known to be made here (a model the file names). */
const made = (reason: string, site: CallSite): PyUnknown => madeUnknown(reason, site.line, 'torch.hub.load', site);

export function hubLoad(interp: Interpreter): PyNative {
  return native('load', (a, k, site) => {
    const [repo, model, ...rest] = [a[0] ?? k.get('repo_or_dir') ?? null, a[1] ?? k.get('model') ?? null, ...a.slice(2)];
    if (typeof repo !== 'string' || typeof model !== 'string' || !VISION.test(repo) || k.get('source') === 'local') {
      return made(`torch.hub.load(${typeof repo === 'string' ? `'${repo}'` : '?'}): ConvLens models only pytorch/vision's hub entries`, site);
    }
    const models = interp.importer.importModule(['torchvision', 'models'], 0, { name: '__main__', file: site.file, pkg: '' }, site);
    const builder = interp.getattr(models, model, site);
    if (isObj(builder) && builder.k === 'unknown') return made(`torch.hub.load: pytorch/vision has no model '${model}' that ConvLens can see`, site);
    const kwargs = new Map([...k].filter(([name]) => !HUB_ARGS.includes(name) && name !== 'repo_or_dir' && name !== 'model'));
    return interp.call(builder, rest, kwargs, site);
  });
}
