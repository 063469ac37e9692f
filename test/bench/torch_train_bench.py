# Times PyTorch training steps on a benchmark model file (the side of `npm run bench:train` that the
# engine is compared against): SGD momentum 0.9, lr 0.01, cross-entropy, a fixed random batch,
# forward + backward + step. Prints one JSON line: images per CPU-second, images per wall second,
# peak RSS. Run it with Debian's python3-torch and the thread count pinned in the environment:
#   OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 torch_train_bench.py \
#     MODEL.py --batch 32 --threads 1 --seconds 3
import argparse
import importlib.util
import json
import os
import re
import resource
import sys
import time

import torch


def header(path, pattern):
    with open(path) as f:
        for line in f:
            m = re.match(pattern, line)
            if m:
                return m.group(1).strip()
    raise SystemExit(f'{path}: no line matching {pattern}')


def ready_seconds():
    """Seconds the main thread has been ready but not running (waiting for a core), from Linux's schedstat."""
    try:
        with open(f'/proc/self/task/{os.getpid()}/schedstat') as f:
            return int(f.read().split()[1]) / 1e9
    except OSError:
        return float('nan')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seconds', type=float, default=3.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    spec = importlib.util.spec_from_file_location('bench_model', a.model)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = eval(header(a.model, r'#\s*entry:\s*(.+)'), vars(mod))
    # The input shape ConvLens reads: the `# convlens: input=(1, 3, 32, 32)` comment above the model.
    shape = [int(s) for s in header(a.model, r'#\s*convlens:\s*input=\(([^)]*)\)').split(',')]
    x = torch.randn(a.batch, *shape[1:])
    y = torch.randint(0, 10, (a.batch,))
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    net.train()

    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    steps, c0, w0, r0 = 0, time.process_time(), time.perf_counter(), ready_seconds()
    while time.process_time() - c0 < a.seconds or steps < 3:
        step()
        steps += 1
    cpu, wall, ready = time.process_time() - c0, time.perf_counter() - w0, ready_seconds() - r0
    print(json.dumps({
        'imagesPerCpuSecond': steps * a.batch / cpu,
        'imagesPerSecond': steps * a.batch / wall,
        'steps': steps,
        'mainReadyShare': ready / wall,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'threads': torch.get_num_threads(),
    }))


if __name__ == '__main__':
    sys.exit(main())
