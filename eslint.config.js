// Lint rules that keep the layering of ../shared/STYLE.md: views render only, no `any`, type-only imports.
import tseslint from 'typescript-eslint';

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
    // Views only render state and dispatch intents: no network, SSH, files or services.
    files: ['views/**/*.ts', 'views/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['ssh2', 'ws', 'node:net', 'node:fs', 'node:http', 'better-sqlite3'],
          patterns: ['**/src/ios/**', '**/src/backend/**', '**/src/lab/**', '**/src/fleet/**'],
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
