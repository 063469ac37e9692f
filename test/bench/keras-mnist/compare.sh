#!/bin/sh
# Keras models trained by `convlens train` and by Keras 3's own model.fit (JAX backend, one thread) on the same
# MNIST subset (12,000 train, 2,000 test images) with the same settings: test accuracy, CPU time, load.
# Not run by CI. Needs `npm run build` and a Keras venv from the local index:
#   python3 -m venv /tmp/ktrain-venv && /tmp/ktrain-venv/bin/pip install --index-url file:///opt/pypi/simple keras jax jaxlib
#   KERAS=/tmp/ktrain-venv/bin/python test/bench/keras-mnist/compare.sh [EPOCHS] [SEED]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../../.." && pwd)
KERAS=${KERAS:-/tmp/ktrain-venv/bin/python}; EPOCHS=${1:-2}; SEED=${2:-0}
for f in "$ROOT/test/fixtures/keras/01_mnist_convnet.py" "$ROOT/test/unit/train/fixtures/keras/lenet.py" "$HERE/functional_bn.py"; do
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "convlens: %U s user + %S s sys" node "$ROOT/dist/cli.js" train "$f" --dataset mnist --epochs "$EPOCHS" --batch-size 128 \
    --optimizer adam --lr 0.001 --seed "$SEED" --json 2>&1 | grep -v '^epoch\|^\s*$' | sed "s|^|$(basename "$f") |" | grep -v "images of\|training all"
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  KERAS_BACKEND=jax OMP_NUM_THREADS=1 XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1" \
    "$KERAS" "$HERE/keras_fit.py" "$ROOT/dist/mnist-subset.bin" "$f" "$EPOCHS" 128 0.001 "$SEED" 2>&1 | grep "test accuracy"
done
