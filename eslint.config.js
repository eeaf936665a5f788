import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', 'node_modules/**', 'data/**', 'test-results/**', '.cache/**', '**/_scratch*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['#db/*', '../../db/*'], message: 'app/ reaches db/ through #app/utils/db.server (plain constants aside).' }] },
      ],
    },
  },
  {
    // Migrations receive Kysely<any> on purpose: they are frozen in time and know nothing of the app's types.
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The server entry, CLI and the modules that only carry shared constants may import db/ directly.
    files: ['app/server/**', 'app/cli/**', 'app/utils/db.server.ts', 'app/utils/permissions.ts', 'app/utils/user-forms.ts', 'app/components/**', 'tests/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // scoring/ is pure: inputs in, figures out.
    files: ['scoring/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['#app/*', '#db/*', 'react', 'kysely', 'exceljs', 'node:*', '../app/*', '../db/*'], message: 'scoring/ is pure TypeScript.' }] },
      ],
    },
  },
);
