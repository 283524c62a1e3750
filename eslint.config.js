// Lint: typescript-eslint's recommended rules, and the layers of ARCHITECTURE.md as import rules. A folder
// imports from its own folder and from layers below it, never from its layer's other folders or from above;
// no import cycles. (Type-only cycles, which import-x/no-cycle skips, are caught by test/architecture.test.ts.)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';

/** Bottom first. `index.ts` is the scenario API's public door; `cli.ts` is the command line's entry. */
export const LAYERS = [
  ['kernel'],
  ['protocol', 'plan'],
  ['scenario'],
  ['worker'],
  ['engine'],
  ['analysis'],
  ['control'],
  ['report', 'ui'],
  ['demo', 'init'],
  ['config'],
  ['cli'],
];

const folders = LAYERS.flat();
const layerOf = (folder) => LAYERS.findIndex((layer) => layer.includes(folder));

/** For each folder: every other folder of its layer or of a layer above it is out of bounds. */
const zones = folders
  .map((folder) => ({
    target: `./source/${folder}`,
    from: folders.filter((other) => other !== folder && layerOf(other) >= layerOf(folder)).map((other) => `./source/${other}`),
    message: `source/${folder} is in layer ${layerOf(folder) + 1} of ARCHITECTURE.md: it may import only from its own folder and from the layers below it`,
  }))
  .filter((zone) => zone.from.length > 0);
zones.push(
  {
    target: './source/index.ts',
    from: folders.filter((f) => layerOf(f) > layerOf('scenario')).map((f) => `./source/${f}`),
    message: 'the public API (index.ts) is the scenario layer',
  },
  {target: './source/!(cli).ts', from: './source/cli.ts', message: 'nothing imports the command line entry'},
);

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: {'import-x': importX},
    settings: {'import-x/resolver-next': [createTypeScriptImportResolver({project: 'test/tsconfig.json'})]},
    rules: {
      '@typescript-eslint/no-explicit-any': 'off', // the scenario API's json<T = any>() is deliberate
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off', // brink strips and matches terminal control characters on purpose
    },
  },
  {
    files: ['source/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': ['error', {zones}],
      'import-x/no-cycle': ['error', {ignoreExternal: true}],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        setImmediate: 'readonly',
      },
    },
  },
  prettier,
  {
    // Prettier wraps code at 140 columns; comments it leaves alone, so they are held to the same width here.
    // Long strings (messages, help text, HTML) may run on: breaking them would make them harder to grep for.
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: {
      'max-len': ['error', {code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true}],
    },
  },
);
