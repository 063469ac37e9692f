// argparse, as a script run without arguments sees it (`python train.py`): parse_args() gives each argument's
// default (argparse's rules: `--batch-size` → args.batch_size, store_true → False, a string default through its
// type); a list given to parse_args (a notebook's `parse_args([])` or `["--lr", "0.1"]`) is parsed. What only the
// command line gives (a required option, a positional argument, a subcommand) is unknown, named.
import type { BundledPackage } from './bundled';

const ARGPARSE_PY = `
from _convlens_natives import _unknown


class Namespace:
    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __contains__(self, key):
        return key in self.__dict__


class _Unknown:
    pass


class ArgumentParser:
    def __init__(self, prog=None, usage=None, description=None, epilog=None, parents=[], formatter_class=None,
                 prefix_chars="-", fromfile_prefix_chars=None, argument_default=None, conflict_handler="error",
                 add_help=True, allow_abbrev=True, exit_on_error=True):
        self._defaults = {}
        self._options = {}
        self._subcommands = False
        for parent in parents:
            self._defaults.update(parent._defaults)
            self._options.update(parent._options)

    def add_argument(self, *names, **kwargs):
        dest = kwargs.get("dest")
        if dest is None:
            longs = [n for n in names if n.startswith("--")]
            dest = (longs[0] if longs else names[0]).lstrip("-").replace("-", "_")
        action = kwargs.get("action")
        kind = kwargs.get("type")
        if "default" in kwargs:
            default = kwargs["default"]
        elif action == "store_true":
            default = False
        elif action == "store_false":
            default = True
        else:
            default = None
        if isinstance(default, str) and kind is not None:
            default = kind(default)
        positional = not names[0].startswith("-")
        if kwargs.get("required") or (positional and kwargs.get("nargs") not in ("?", "*")):
            default = _Unknown()
        self._defaults[dest] = default
        for n in names:
            self._options[n] = (dest, action, kind, kwargs.get("const"), kwargs.get("nargs"))

    def set_defaults(self, **kwargs):
        self._defaults.update(kwargs)

    def get_default(self, dest):
        return self._defaults.get(dest)

    def add_argument_group(self, *args, **kwargs):
        return self

    def add_mutually_exclusive_group(self, **kwargs):
        return self

    def add_subparsers(self, **kwargs):
        self._subcommands = True
        return _Subparsers()

    def parse_args(self, args=None, namespace=None):
        values = dict(self._defaults)
        if args is None and self._subcommands:
            return _unknown("the subcommand the command line names")
        for key in values:
            if isinstance(values[key], _Unknown):
                values[key] = _unknown("the command line's " + key)
        if args is not None:
            i = 0
            while i < len(args):
                name, _, inline = args[i].partition("=")
                if name not in self._options:
                    raise SystemExit(2)
                dest, action, kind, const, nargs = self._options[name]
                if action == "store_true" or action == "store_false" or action == "store_const":
                    values[dest] = action == "store_true" if const is None else const
                    i += 1
                    continue
                if inline:
                    raw = inline
                    i += 1
                else:
                    raw = args[i + 1]
                    i += 2
                values[dest] = kind(raw) if kind is not None else raw
        return Namespace(**values)

    def parse_known_args(self, args=None, namespace=None):
        return self.parse_args(args, namespace), []

    def print_help(self, file=None):
        pass

    def print_usage(self, file=None):
        pass

    def error(self, message):
        raise SystemExit(2)


class _Subparsers:
    def add_parser(self, name, **kwargs):
        return ArgumentParser()


class HelpFormatter:
    pass


class ArgumentDefaultsHelpFormatter(HelpFormatter):
    pass


class RawTextHelpFormatter(HelpFormatter):
    pass


class RawDescriptionHelpFormatter(HelpFormatter):
    pass


class FileType:
    def __init__(self, mode="r", bufsize=-1, encoding=None, errors=None):
        self.mode = mode


SUPPRESS = "==SUPPRESS=="
`;

export const ARGPARSE: BundledPackage = {
  name: 'argparse', version: '(ConvLens stand-in)', preferred: true, hidden: true,
  files: { 'argparse/__init__.py': ARGPARSE_PY },
};
