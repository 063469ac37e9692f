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
    // build and task scripts run in Node
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noEditor, noNode] }] },
  },
  {
    // V8's parser makes a function literal assigned to a property (`obj.f = () => …`, `obj.f ??= …`) in the old
    // generation, on the guess that it lives long. One made per analysis that captures its scope then points from
    // old into young objects, and every scavenge keeps what that scope reaches until the next full collection:
    // before this rule, a whole analysis (1.4 MB for the typical benchmark file, 4.4 MB for the 2,000-line one)
    // survived the worker's collections. Made into a local first, the closure is young and dies with its analysis.
    files: ['engine/**/*.ts', 'extension/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'AssignmentExpression[left.type="MemberExpression"][right.type=/^(ArrowFunctionExpression|FunctionExpression)$/]',
        message: 'V8 pretenures a function literal assigned to a property (kept alive with its scope by every scavenge): make it a local first',
      }],
    },
  },
  {
    // The command-line tool runs in Node only: Node APIs are allowed there, the editor still is not.
    files: ['engine/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: noEditor }] },
  },
);
