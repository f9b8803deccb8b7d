// Lint rules that keep the architecture: shared/ is pure, the renderer reaches Electron
// only through the platform bridge, and only renderer/data touches IndexedDB.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'worker_threads', 'zlib', 'events', 'buffer', 'process'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.mjs', 'bin/**', 'bench/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'dexie', 'dexie-react-hooks', 'electron', 'cytoscape', ...NODE_BUILTINS].map((name) => ({
            name,
            message: 'shared/ is the pure domain: plain data in, plain data out.',
          })),
          patterns: [
            { group: ['node:*'], message: 'shared/ does no I/O: no Node built-ins.' },
            { group: ['react-dom/*', 'dexie/*'], message: 'shared/ is the pure domain.' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'shared/ depends on nothing else in the project.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'sessionStorage', 'indexedDB', 'navigator', 'fetch', 'XMLHttpRequest', 'process', 'require'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the operating system only through the platform bridge (shared/platform/bridge.ts).' }],
          patterns: [
            { group: ['electron/*', '**/electron/**'], message: 'The renderer reaches Electron only through the platform bridge.' },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/data/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer reaches the operating system only through the platform bridge (shared/platform/bridge.ts).' },
            { name: 'dexie', message: 'Only renderer/data touches IndexedDB; use its functions and hooks.' },
          ],
          patterns: [
            { group: ['electron/*', '**/electron/**'], message: 'The renderer reaches Electron only through the platform bridge.' },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'indexedDB', message: 'Only renderer/data touches IndexedDB.' }],
    },
  },
  {
    files: ['electron/**/*.{ts,cts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/preload.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
