// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import architecture, { DOM_GLOBALS } from './eslint-rules/architecture.js';

/**
 * The arrows of ARCHITECTURE.md (renderer -> src/contract only; src never sees electron, the
 * DOM or the UI; main/policy stays Electron-free) are one rule, eslint-rules/architecture.js,
 * tested by tests/unit/lint/architecture.test.ts with planted bad imports.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { architecture },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No `/// <reference lib="dom" />` (or any other) sneaking a layer's types into another.
      '@typescript-eslint/triple-slash-reference': ['error', { lib: 'never', path: 'never', types: 'never' }],
      'architecture/layers': 'error',
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-globals': ['error', ...DOM_GLOBALS] } },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
