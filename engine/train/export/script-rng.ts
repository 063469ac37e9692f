// ConvLens's random generator (xoshiro128**, engine/train/tensor/rng.ts) in Python, for what a script
// has to draw exactly as the run did: the validation split, the image folder's test split, and the
// synthetic images. Everything else (weights, shuffling, augmentation, dropout) draws from torch.
import { initParams, type InitScheme } from '../init/init';
import type { Param } from '../layers/layer';
import { Rng } from '../tensor/rng';

/**
 * The generator's state where the run draws its validation split: `train()` initialises the weights
 * first, from the same generator, then shuffles the training images.
 */
export function splitState(params: readonly Param[], scheme: InitScheme, seed: number): [number, number, number, number] {
  const rng = new Rng(seed);
  initParams(params.map((p) => ({ ...p, value: new Float32Array(p.value.length) })), scheme, rng);
  return rng.state.s;
}

export const PY_RNG = String.raw`
class ConvLensRng:
    """ConvLens's generator (xoshiro128**, seeded by splitmix32): the same draws as the run."""

    M = 0xFFFFFFFF

    def __init__(self, seed=0, state=None):
        if state is None:
            x, state = seed & self.M, []
            for _ in range(4):
                x = (x + 0x9E3779B9) & self.M
                z = ((x ^ (x >> 16)) * 0x85EBCA6B) & self.M
                z = ((z ^ (z >> 13)) * 0xC2B2AE35) & self.M
                state.append(z ^ (z >> 16))
        self.s = list(state)

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF

    def next_u32(self):
        s0, s1, s2, s3 = self.s
        r = (self._rotl((s1 * 5) & self.M, 7) * 9) & self.M
        t = (s1 << 9) & self.M
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = self._rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return r

    def uniform(self):
        return self.next_u32() / 4294967296

    def int(self, n):
        return int(self.uniform() * n)

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.int(i + 1)
            a[i], a[j] = a[j], a[i]
        return a
`;
