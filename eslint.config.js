import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The core runs in plain Node for the CLI, browser mode and tests: no Electron, no UI.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only src/main/index.ts may import electron: the core also runs without it.' },
            { name: 'react', message: 'The core has no UI.' },
          ],
        },
      ],
    },
  },
  {
    // Only the vault touches the keychain, only the web adapter opens sockets.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/vault/keytarVault.ts', 'src/main/web/**', 'src/main/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only src/main/index.ts may import electron: the core also runs without it.' },
            { name: 'react', message: 'The core has no UI.' },
            { name: 'keytar', message: 'Secrets go through the CredentialVault (src/main/vault).' },
            { name: 'node:http', message: 'Only the browser-mode adapter (src/main/web) serves HTTP.' },
          ],
        },
      ],
    },
  },
  {
    // A released migration must make the same schema forever: importing a live constant (a flow type list, a
    // block size) would give new databases one schema and upgraded ones another. typescript-eslint's version of
    // the rule, because only it can let the Db type through.
    files: ['src/main/store/migrations/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)shared(/|$)',
              message:
                'A migration never imports src/shared: its constants change, a released schema must not. Write the values as literals.',
            },
            {
              regex: '^(?!\\.\\./db$)(.*/)?\\.\\.(/|$)',
              message:
                'A migration imports nothing from outside src/main/store/migrations but the Db type (import type … from ../db). Write the values as literals.',
            },
            {
              regex: '^\\.\\./db$',
              allowTypeImports: true,
              message: 'From ../db a migration takes only the Db type (import type).',
            },
            {
              regex: '^better-sqlite3$',
              allowTypeImports: true,
              message: 'A migration gets its database as an argument: import only the types of better-sqlite3.',
            },
            {
              regex: '^(?!\\.|node:crypto$|better-sqlite3$)',
              message: 'A migration is plain SQL over the Db it is given: no packages but node:crypto.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shared code runs in the renderer too: no Node or Electron.
    files: ['src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'better-sqlite3', 'keytar'],
              message: 'Renderer and shared code cannot use Node or Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // One way to do a dialog: the browser's own are not labelled, styled, or testable like the rest (issue 23).
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['confirm', 'alert', 'prompt'].map((property) => ({
          object: 'window',
          property,
          message: 'Ask in the page: components/ConfirmDialog (useConfirm), or a dialog built on components/useDialog.',
        })),
      ],
      'no-restricted-globals': ['error', 'confirm', 'alert', 'prompt'],
    },
  },
);
