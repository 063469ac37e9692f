# Keras's own model.fit on ConvLens's MNIST subset (dist/mnist-subset.bin): the reference accuracy for a Keras model
# file, to compare with `convlens train` on the same data and settings (compare.sh runs both).
import gzip, os, runpy, struct, sys, time
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras

def idx(b):
    n = b[3]; dims = struct.unpack(">" + "I" * n, b[4:4 + 4 * n])
    return np.frombuffer(b[4 + 4 * n:], dtype=np.uint8).reshape(dims)

raw = gzip.decompress(open(sys.argv[1], "rb").read()) if open(sys.argv[1], "rb").read(2) == b"\x1f\x8b" else open(sys.argv[1], "rb").read()
assert raw[:8] == b"CLMNIST1", raw[:8]
lens = struct.unpack("<4I", raw[8:24]); parts = []; at = 24
for n in lens: parts.append(raw[at:at + n]); at += n
xtr, ytr, xte, yte = [idx(p) for p in parts]
xtr = xtr.astype("float32")[..., None] / 255; xte = xte.astype("float32")[..., None] / 255
file, epochs, batch, lr, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
keras.utils.set_random_seed(seed)
model = runpy.run_path(file)["model"]
softmax = getattr(model.layers[-1], "activation", None) is keras.activations.softmax
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=not softmax), optimizer=keras.optimizers.Adam(lr), metrics=["accuracy"])
t = time.process_time(); w = time.time()
model.fit(xtr, ytr, batch_size=batch, epochs=epochs, verbose=0, shuffle=True)
cpu, wall = time.process_time() - t, time.time() - w
loss, acc = model.evaluate(xte, yte, verbose=0)
print(f"{os.path.basename(file)} keras {keras.__version__} seed {seed}: test accuracy {100 * acc:.2f} % ({len(xtr)} train, {len(xte)} test), fit {wall:.1f} s wall, {cpu:.1f} s CPU, {epochs * len(xtr) / cpu:.0f} images/CPU-s")
