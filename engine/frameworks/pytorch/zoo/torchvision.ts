// The built-in torchvision: its original sources (scripts/bundle-torchvision.mjs), with the license
// notice they came with, imported when the workspace holds no torchvision of its own.
import bundle from './torchvision.json';
import type { BundledPackage } from '../../../python/bundled';

export const TORCHVISION: BundledPackage = { name: bundle.package, version: bundle.version, files: bundle.files };
