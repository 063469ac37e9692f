// The one build script: bundles the command-line tool, the extension (Node and browser builds),
// the webviews, the training worker and the integration tests from the TypeScript sources.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
/**
 * The browser build has no worker threads and no Node fs: it gets the training client that says so, a
 * plain rename, and analyses on its extension host (the desktop's own bundle then holds no engine: the
 * worker runs it).
 */
const webModules = {
  name: 'web-modules',
  setup(build) {
    build.onResolve({ filter: /\/(trainWorkerClient|renameOver|createAnalyzer|freeMemory)$/ }, (args) => ({ path: path.join(args.resolveDir, `${path.basename(args.path)}.web.ts`) }));
  },
};

const integrationSuites = fs.existsSync('test/integration')
  ? fs.readdirSync('test/integration').filter((f) => f.endsWith('.ts')).map((f) => path.join('test/integration', f))
  : [];

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['engine/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  // The extension on the desktop (Node extension host).
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  // The engine's worker thread on the desktop: analyses never block the extension host.
  {
    ...common,
    entryPoints: ['extension/analysisWorker.ts'],
    outfile: 'dist/analysis-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The worker's entry: evaluates analysis-worker.js from V8's code cache of it.
  {
    ...common,
    entryPoints: ['extension/analysisWorkerStart.ts'],
    outfile: 'dist/analysis-worker-start.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The same extension for VS Code for the Web: no Node APIs run there (the worker thread is only
  // required on the desktop, so it stays an unresolved external here).
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode', 'node:worker_threads'],
    plugins: [webModules],
  },
  // The training worker thread the extension starts for each run (Node).
  {
    ...common,
    entryPoints: ['extension/trainWorker.ts'],
    outfile: 'dist/train-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The panels' webviews (script + stylesheet each): the only folder a webview may load from.
  {
    ...common,
    entryPoints: { summary: 'webview/summary/index.ts', train: 'webview/train/index.ts', animate: 'webview/animate/index.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // The editor benchmark, run inside a real extension host like the integration suites.
  {
    ...common,
    entryPoints: { index: 'test/bench/editor/index.ts' },
    outdir: 'dist/test/bench-editor',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  // Integration suites, run inside a real extension host (mocha stays external: loaded from node_modules).
  {
    ...common,
    entryPoints: integrationSuites,
    outdir: 'dist/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  },
].filter((b) => !Array.isArray(b.entryPoints) || b.entryPoints.length > 0);

async function main() {
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
