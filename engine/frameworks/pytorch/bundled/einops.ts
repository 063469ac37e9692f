// einops for PyTorch models (`rearrange`, `reduce`, `repeat`, `einsum`, `pack`, `unpack`, `parse_shape` and
// the `Rearrange` / `Reduce` layers), written for ConvLens from einops' documented semantics, not its code:
// a pattern becomes the reshape, permute, reduction and expand it stands for, on the modelled tensor. Read
// even when einops is installed: the real package finds its backend through `sys.modules` and
// `__subclasses__()`, which ConvLens does not model. What is left out (EinMix, the Keras and Flax layers) is
// not defined here, so it stays unknown and named, never guessed.
export const EINOPS_CORE = `
import torch


class EinopsError(RuntimeError):
    pass


def _tokens(side):
    side = side.replace('\\u2026', '...')
    out = []
    i = 0
    n = len(side)
    while i < n:
        c = side[i]
        if c == ' ':
            i += 1
        elif c == '(' or c == ')':
            out.append(c)
            i += 1
        elif side[i:i + 3] == '...':
            out.append('...')
            i += 3
        elif c.isalnum() or c == '_':
            j = i
            while j < n and (side[j].isalnum() or side[j] == '_'):
                j += 1
            out.append(side[i:j])
            i = j
        else:
            raise EinopsError("Unknown character '" + c + "'")
    return out


def _parse(side, where):
    # groups of axis names; a bare axis is a group of one, '()' an empty group (a unit axis)
    groups = []
    group = None
    for t in _tokens(side):
        if t == '(':
            if group is not None:
                raise EinopsError('Axis composition is one-level (brackets inside brackets not allowed)')
            group = []
        elif t == ')':
            if group is None:
                raise EinopsError('Brackets are not balanced')
            groups.append(group)
            group = None
        else:
            if t != '...' and t != '_' and not t.isdigit() and not t.isidentifier():
                raise EinopsError('Invalid axis identifier: ' + t)
            if group is None:
                groups.append([t])
            else:
                group.append(t)
    if group is not None:
        raise EinopsError('Brackets are not balanced')
    names = [a for g in groups for a in g if not a.isdigit()]
    for a in names:
        if names.count(a) > 1 and a != '_':
            raise EinopsError('Indexing expression contains duplicate dimension "' + a + '"')
    if names.count('...') > 1:
        raise EinopsError('Expression may contain dots only inside ellipsis (...)')
    return groups


def _expand_ellipsis(groups, n_ellipsis):
    out = []
    for g in groups:
        if ['...'] == g:
            for k in range(n_ellipsis):
                out.append(['...' + str(k)])
        else:
            expanded = []
            for a in g:
                if a == '...':
                    expanded.extend(['...' + str(k) for k in range(n_ellipsis)])
                else:
                    expanded.append(a)
            out.append(expanded)
    return out


def _name_anonymous(groups, side, known):
    # a number is an axis of its own of that length: named apart so that two '2's stay two axes
    out = []
    for gi, g in enumerate(groups):
        named = []
        for ai, a in enumerate(g):
            if a.isdigit():
                name = side + str(gi) + '.' + str(ai) + '#' + a
                known[name] = int(a)
                named.append(name)
            else:
                named.append(a)
        out.append(named)
    return out


def _product(values):
    p = 1
    for v in values:
        p = p * v
    return p


def _transform(x, pattern, kind, reduction, axes_lengths):
    if isinstance(x, (list, tuple)):
        x = torch.stack(list(x))
    if '->' not in pattern:
        raise EinopsError("Pattern should contain '->': " + pattern)
    left_text, right_text = pattern.split('->')
    left = _parse(left_text, 'left')
    right = _parse(right_text, 'right')
    shape = x.shape
    has_ellipsis = any('...' in g for g in left)
    if has_ellipsis:
        n_ellipsis = len(shape) - (len(left) - 1)
        if n_ellipsis < 0:
            raise EinopsError('Wrong shape: expected >=' + str(len(left) - 1) + ' dims. Received ' + str(len(shape)) + '-dim tensor.')
    else:
        n_ellipsis = 0
        if any('...' in g for g in right):
            raise EinopsError('Ellipsis found in right side, but not left side of a pattern ' + pattern)
        if len(left) != len(shape):
            raise EinopsError('Wrong shape: expected ' + str(len(left)) + ' dims. Received ' + str(len(shape)) + '-dim tensor.')
    known = {}
    for name in axes_lengths:
        known[name] = axes_lengths[name]
    left = _name_anonymous(_expand_ellipsis(left, n_ellipsis), 'l', known)
    right = _name_anonymous(_expand_ellipsis(right, n_ellipsis), 'r', known)
    for g, dim in zip(left, shape):
        missing = [a for a in g if a not in known]
        if len(missing) > 1:
            raise EinopsError('Could not infer sizes for ' + ', '.join(missing))
        given = _product([known[a] for a in g if a in known])
        if missing:
            if len(g) == 1:
                known[missing[0]] = dim
            else:
                if dim % given != 0:
                    raise EinopsError("Shape mismatch, can't divide axis of length " + str(dim) + ' in chunks of ' + str(given))
                known[missing[0]] = dim // given
        elif given != dim:
            raise EinopsError('Shape mismatch, ' + str(given) + ' != ' + str(dim))
    left_axes = [a for g in left for a in g]
    right_axes = [a for g in right for a in g]
    # a unit axis written as '1' on the left and absent on the right is simply dropped, in every kind
    dropped = [a for a in left_axes if a not in right_axes and '#' in a and known[a] == 1]
    only_left = [a for a in left_axes if a not in right_axes and a not in dropped]
    only_right = [a for a in right_axes if a not in left_axes]
    if kind == 'rearrange':
        lost = only_left + [a for a in only_right if not ('#' in a and known[a] == 1)]
        if lost:
            raise EinopsError('Identifiers only on one side of expression (should be on both): ' + ', '.join(lost))
    if kind == 'reduce' and only_right:
        raise EinopsError('Unexpected identifiers on the right side of reduce: ' + ', '.join(only_right))
    if kind == 'repeat':
        if only_left:
            raise EinopsError('Unexpected identifiers on the left side of repeat: ' + ', '.join(only_left))
        unsized = [a for a in only_right if a not in known]
        if unsized:
            raise EinopsError('Specify sizes for new axes in repeat: ' + ', '.join(unsized))
    left_axes = [a for a in left_axes if a not in dropped]
    if dropped or any(len(g) != 1 for g in left):
        x = x.reshape([known[a] for a in left_axes])
    reduced = [i for i, a in enumerate(left_axes) if a not in right_axes]
    if reduced:
        if reduction == 'mean':
            x = x.mean(dim=tuple(reduced))
        elif reduction == 'sum':
            x = x.sum(dim=tuple(reduced))
        elif reduction == 'max':
            x = x.amax(dim=tuple(reduced))
        elif reduction == 'min':
            x = x.amin(dim=tuple(reduced))
        elif reduction == 'prod':
            for i in reversed(reduced):
                x = x.prod(dim=i)
        elif reduction == 'any' or reduction == 'all':
            for i in reversed(reduced):
                x = x.any(dim=i) if reduction == 'any' else x.all(dim=i)
        elif callable(reduction):
            x = reduction(x, tuple(reduced))
        else:
            raise EinopsError('Unknown reduction ' + str(reduction))
    kept = [a for a in left_axes if a in right_axes]
    order = [kept.index(a) for a in right_axes if a in kept]
    if order != list(range(len(order))):
        x = x.permute(order)
    if only_right:
        x = x.reshape([known[a] if a in kept else 1 for a in right_axes])
        x = x.expand([known[a] for a in right_axes])
    if len(right) != len(right_axes) or any(len(g) != 1 for g in right):
        x = x.reshape([_product([known[a] for a in g]) for g in right])
    return x


def rearrange(tensor, pattern, **axes_lengths):
    return _transform(tensor, pattern, 'rearrange', None, axes_lengths)


def reduce(tensor, pattern, reduction, **axes_lengths):
    return _transform(tensor, pattern, 'reduce', reduction, axes_lengths)


def repeat(tensor, pattern, **axes_lengths):
    return _transform(tensor, pattern, 'repeat', None, axes_lengths)


def parse_shape(x, pattern):
    names = pattern.split()
    if len(names) != len(x.shape):
        raise EinopsError("Can't parse shape with different number of dimensions: " + pattern + ' ' + str(tuple(x.shape)))
    result = {}
    for name, dim in zip(names, x.shape):
        if name != '_':
            result[name] = dim
    return result


def einsum(*tensors_and_pattern):
    pattern = tensors_and_pattern[-1]
    tensors = tensors_and_pattern[:-1]
    if not isinstance(pattern, str):
        raise EinopsError('The last argument passed to einops.einsum must be a string, representing the einsum pattern.')
    left_text, right_text = pattern.split('->')
    letters = {}
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

    def side(text):
        out = ''
        for name in text.split():
            if name == '...':
                out += '...'
                continue
            if name not in letters:
                letters[name] = alphabet[len(letters)]
            out += letters[name]
        return out

    equation = ','.join([side(t) for t in left_text.split(',')]) + '->' + side(right_text)
    return torch.einsum(equation, *tensors)


def pack(tensors, pattern):
    names = pattern.split()
    star = names.index('*')
    after = len(names) - star - 1
    packed = []
    shapes = []
    for t in tensors:
        shape = t.shape
        shapes.append(tuple(shape[star:len(shape) - after]))
        packed.append(t.reshape(list(shape[:star]) + [-1] + list(shape[len(shape) - after:])))
    return torch.cat(packed, dim=star), shapes


def unpack(tensor, packed_shapes, pattern):
    names = pattern.split()
    star = names.index('*')
    sizes = [_product(list(s)) for s in packed_shapes]
    parts = torch.split(tensor, sizes, dim=star)
    out = []
    for part, s in zip(parts, packed_shapes):
        shape = part.shape
        out.append(part.reshape(list(shape[:star]) + list(s) + list(shape[star + 1:])))
    return out
`;

/** `einops.layers.torch`: the two layers as modules without parameters, as einops has them. */
export const EINOPS_TORCH_LAYERS = `
from torch import nn
from einops import rearrange, reduce


class Rearrange(nn.Module):
    def __init__(self, pattern, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.axes_lengths = axes_lengths

    def forward(self, x):
        return rearrange(x, self.pattern, **self.axes_lengths)


class Reduce(nn.Module):
    def __init__(self, pattern, reduction, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.reduction = reduction
        self.axes_lengths = axes_lengths

    def forward(self, x):
        return reduce(x, self.pattern, self.reduction, **self.axes_lengths)
`;
