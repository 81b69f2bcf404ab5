import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'renderer/dist', 'test-results', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    // A migration is frozen once released: it may not read live code that could change what it does.
    files: ['portal/db/migrations/*.ts'],
    ignores: ['portal/db/migrations/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.', message: 'A migration is frozen: copy the data it needs into it.' }] },
      ],
    },
  },
  {
    // The scheduler runs whatever handlers it is given; the queue registers its own.
    files: ['portal/scheduler/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '/queue/', message: 'The scheduler knows nothing of the queue.' }] },
      ],
    },
  },
);
