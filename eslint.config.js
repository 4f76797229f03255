// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The arrows of ARCHITECTURE.md: renderer -> src/contract only; src never sees electron, the DOM or the UI. */
const SRC_FORBIDDEN = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'src/ is the core on plain Node: it never imports electron (main/ does).' },
    { group: ['react', 'react-dom', 'react-dom/*', 'leaflet', 'react-leaflet', 'wavesurfer.js', 'wavesurfer.js/*'], message: 'src/ never imports UI libraries.' },
    { group: ['**/renderer/**', '**/main/**'], message: 'src/ never imports the renderer or the Electron shell.' },
  ],
};
const RENDERER_FORBIDDEN = {
  patterns: [
    { group: ['**/src/**', '!**/src/contract', '!**/src/contract/**'], message: 'the renderer talks to the core only through src/contract.' },
    { group: ['electron', 'electron/*', 'better-sqlite3', 'node:*', 'fs', 'path', 'child_process'], message: 'the renderer has no Node: use the contract.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/triple-slash-reference': ['error', { lib: 'never', path: 'never', types: 'never' }],
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': ['error', SRC_FORBIDDEN] } },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', RENDERER_FORBIDDEN] },
  },
);
