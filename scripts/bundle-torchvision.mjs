// Writes engine/frameworks/pytorch/zoo/torchvision.json: torchvision's own model sources, unmodified,
// for the engine to read when the user's torchvision is not found (README "The built-in torchvision").
// Run by hand when the bundled release changes (not part of the build):
//   node scripts/bundle-torchvision.mjs [TORCHVISION_DIR] [LICENSE_FILE]
// defaults: Debian's python3-torchvision and its copyright file, which carries the BSD-3-Clause text.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '/usr/lib/python3/dist-packages/torchvision';
const license = process.argv[3] ?? '/usr/share/doc/python3-torchvision/copyright';
const out = 'engine/frameworks/pytorch/zoo/torchvision.json';

// The construction path of the classification, detection, segmentation and video models and their weight
// enums, and torchvision.ops (Python around compiled ops: a detection model's forward names roi_align and nms as
// not modelled). Left out on purpose: optical flow and quantization (torch.ao), datasets, io, transforms (the
// weights' preprocessing presets: no part of a model).
const FOLDERS = ['models', 'models/detection', 'models/segmentation', 'models/video', 'ops'];
const FILES = ['__init__.py', '_internally_replaced_utils.py', '_utils.py', 'utils.py', 'version.py'];

const pyFiles = (sub) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.py')).map((f) => `${sub}/${f}`);
const chosen = [...FILES, ...FOLDERS.flatMap(pyFiles)].sort();
const version = /__version__\s*=\s*'([^']+)'/.exec(readFileSync(join(dir, 'version.py'), 'utf8'))[1];
const files = Object.fromEntries(chosen.map((f) => [`torchvision/${f}`, readFileSync(join(dir, f), 'utf8')]));
// The registry names of the builders left out: get_model("raft_small") is then unknown, not
// torchvision's "Unknown model", and list_models() lists all of 0.14's models.
const LEFT_OUT = ['models/optical_flow', 'models/quantization'];
const REGISTERED = /@register_model\((?:name="(\w+)")?\)[\s\S]*?\ndef (\w+)/g;
const unbundledModels = Object.fromEntries(LEFT_OUT.map((sub) => [`torchvision.${sub.replace('/', '.')}`,
  pyFiles(sub).flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(REGISTERED)].map((m) => m[1] ?? m[2])).sort()]));
const bundle = {
  package: 'torchvision',
  version,
  unbundledModels,
  origin: `${dir} (Debian python3-torchvision), unmodified`,
  license: readFileSync(license, 'utf8'),
  files,
};
writeFileSync(out, `${JSON.stringify(bundle, null, 1)}\n`);
const size = Object.values(files).reduce((n, s) => n + s.length, 0);
console.log(`${out}: torchvision ${version}, ${chosen.length} files, ${(size / 1024).toFixed(0)} KiB of source`);
