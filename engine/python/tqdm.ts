// tqdm, the progress bar training loops wrap their DataLoader in (`for x, y in tqdm(loader):`): a stand-in whose
// bar is the iterable itself, so the loop runs as it would; the bar's own methods do nothing a summary shows.
// Read even over an installed copy (its source needs terminal and threading machinery ConvLens does not run).
import type { BundledPackage } from './bundled';

const TQDM_PY = `
class tqdm:
    def __init__(self, iterable=None, desc=None, total=None, *args, **kwargs):
        self.iterable = iterable
        self.total = total if total is not None or iterable is None else _length(iterable)
        self.n = 0

    def __iter__(self):
        return iter(self.iterable)

    def __len__(self):
        return len(self.iterable) if self.total is None else self.total

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def update(self, n=1):
        self.n += n

    def set_description(self, *args, **kwargs):
        pass

    def set_postfix(self, *args, **kwargs):
        pass

    def set_postfix_str(self, *args, **kwargs):
        pass

    def write(self, *args, **kwargs):
        pass

    def refresh(self, *args, **kwargs):
        pass

    def reset(self, total=None):
        self.n = 0

    def close(self):
        pass


def _length(iterable):
    return len(iterable) if hasattr(iterable, "__len__") else None


def trange(*args, **kwargs):
    return tqdm(range(*args), **kwargs)
`;

const REEXPORT = 'from tqdm import tqdm, trange\n';

export const TQDM: BundledPackage = {
  name: 'tqdm', version: '(ConvLens stand-in)', preferred: true, hidden: true,
  files: {
    'tqdm/__init__.py': TQDM_PY, 'tqdm/auto.py': REEXPORT, 'tqdm/notebook.py': REEXPORT, 'tqdm/std.py': REEXPORT,
    'tqdm/autonotebook.py': REEXPORT,
  },
};
