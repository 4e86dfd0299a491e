// Lint rules: the import floors of the README's "Architecture" (eslint/floors.js), views that render only, no `any`, type-only imports.
import tseslint from 'typescript-eslint';
import { floorsRule } from './eslint/floors-rule.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The floors: which folder may import which (eslint/floors.js; the README's "Architecture").
    files: ['src/**/*.ts', 'src/**/*.tsx', 'views/**/*.ts', 'views/**/*.tsx', 'commands/**/*.ts', 'bin/**/*.ts'],
    plugins: { callhome: { rules: { floors: floorsRule } } },
    rules: { 'callhome/floors': 'error' },
  },
  {
    // The console core (src/console/*.ts) is pure: state, reducer, selectors, filter, key table,
    // column specs and the port types. I/O lives in src/console/adapters/; the core never imports it,
    // nor the views, the network, files, SSH or the back end. Type-only imports of the ports' shapes are fine.
    files: ['src/console/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['ssh2', 'ws', 'node:net', 'node:fs', 'node:fs/promises', 'node:http', 'node:https', 'better-sqlite3', 'ink', 'react', 'blessed', 'blessed-contrib'],
          patterns: [
            { group: ['./adapters/*', '**/views/**', '**/src/ios/**', '**/src/backend/**', '**/src/lab/**', '**/src/fleet/**', '**/src/verify/**', '**/ios/**', '**/backend/**', '**/lab/**', '**/fleet/**', '**/verify/**'], message: 'The console core is pure: I/O belongs in src/console/adapters/.' },
            { group: ['**/client/*'], allowTypeImports: true, message: 'The console core may name the REST client\'s types, never call it: adapters do.' },
          ],
        },
      ],
    },
  },
  {
    // The REST client and the scripted tables are client side: they never reach into the back end's code.
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/backend/**', '**/console/**', '**/views/**'] }],
    },
  },
  {
    // Views only render state and dispatch intents: no network, SSH, files or services.
    files: ['views/**/*.ts', 'views/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['ssh2', 'ws', 'node:net', 'node:fs', 'node:http', 'better-sqlite3'],
          patterns: [
            { group: ['**/src/ios/**', '**/src/backend/**', '**/src/lab/**', '**/src/fleet/**', '**/src/client/**'], message: 'Views render state and dispatch intents only.' },
            // The intents' and the runtime's shapes, never their code.
            { group: ['**/src/console/adapters/**'], allowTypeImports: true, message: 'Views receive intents; they never build adapters.' },
          ],
        },
      ],
    },
  },
  {
    // Fleet services return values and event streams; only commands print (through src/output/).
    files: ['src/fleet/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/output/**', '**/commands/**', '**/cli/**'] }],
    },
  },
  {
    // The printers read the shared result types only, never the services that produce them.
    files: ['src/output/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/fleet/**', '**/commands/**', '**/cli/**'] }],
    },
  },
);
