// Lint: the recommended JavaScript and TypeScript rules, plus the layering rule of
// docs/ARCHITECTURE.md: the engine never imports the editor or the UI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noEditor = [
  { group: ['vscode'], message: 'engine/ never imports vscode' },
  { group: ['**/extension/**', '**/webview/**'], message: 'engine/ imports nothing from the other folders' },
];
const noNode = { group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process'], message: 'engine/ runs in browsers too: no Node APIs (take a file reader as a parameter)' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', '.e2e/**', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noEditor, noNode] }] },
  },
  {
    // The command-line tool runs in Node only: Node APIs are allowed there, the editor still is not.
    files: ['engine/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: noEditor }] },
  },
);
