// ESLint flat config: ESLint's and typescript-eslint's recommended rules (syntax only, without type
// information, so `npm run lint` stays fast) over the server, UI, tests, bench and scripts.
// Rules turned off below say why; formatting is prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'test-results/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  {
    rules: {
      // a leading underscore marks a binding kept on purpose (rest siblings left out of an object, unused parameters)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // control characters are matched on purpose: NUL in target input, ANSI escapes in console output
      'no-control-regex': 'off',
      // prom-client calls collect() with the metric as `this`; the surrounding object is reached as `self`
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    // Solid assigns `let el!: HTMLElement` through the JSX `ref={el}` prop, which this rule cannot see
    files: ['ui/**/*.tsx'],
    rules: { 'no-unassigned-vars': 'off' },
  },
  {
    // tests and bench read JSON bodies and driver rows loosely; typing each would be churn without checks gained
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
