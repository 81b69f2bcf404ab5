import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Import boundaries (docs/architecture.md, "Layout"): which top-level folders a folder may import
 * from. Matched on the import's text, which is always a relative path here; dynamic import() is
 * held to the same rule through no-restricted-syntax.
 */
const FOLDERS = ['signing', 'protocol', 'contract', 'main', 'renderer', 'portal', 'demo', 'cli', 'test'];
const forbidden = (folders, message, { exceptSigningIndex = false } = {}) => {
  const group = folders.map((f) => `**/${f}/**`);
  if (exceptSigningIndex) group.push('!**/signing/index.ts');
  return { group, message };
};
function boundary(files, rules) {
  const patterns = rules.map(([folders, message, options]) => forbidden(folders, message, options));
  const dynamic = rules.map(([folders, message, options]) => ({
    selector: `ImportExpression > Literal[value=/(^|\\/)(${folders.join('|')})\\/${options?.exceptSigningIndex ? '(?!index\\.ts$)' : ''}/]`,
    message,
  }));
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': ['error', ...dynamic],
    },
  };
}
const others = (...allowed) => FOLDERS.filter((f) => !allowed.includes(f));

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
  boundary(['signing/**'], [[others('signing'), 'signing/ is a library: it imports nothing of ours.']]),
  boundary(['protocol/**'], [[others('protocol'), "protocol/ is the portal's wire format: it imports nothing of ours."]]),
  boundary(['contract/**'], [[others('contract', 'protocol'), 'contract/ imports only protocol/.']]),
  boundary(['renderer/**'], [[others('renderer', 'contract', 'protocol'), 'renderer/ imports only contract/ and protocol/.']]),
  boundary(
    ['main/**'],
    [
      [others('main', 'contract', 'protocol', 'signing'), 'main/ imports only contract/, protocol/ and signing/index.ts.'],
      [['signing'], 'main/ imports signing/ through signing/index.ts only.', { exceptSigningIndex: true }],
    ],
  ),
  boundary(
    ['portal/**'],
    [
      [others('portal', 'protocol', 'signing'), 'portal/ imports only protocol/ and signing/index.ts.'],
      [['signing'], 'portal/ imports signing/ through signing/index.ts only.', { exceptSigningIndex: true }],
    ],
  ),
  boundary(['demo/**'], [[['renderer', 'cli', 'test'], 'demo/ composes signing/, portal/ and main/; it does not import the UI, the command or tests.']]),
  boundary(['cli/**'], [[['renderer', 'main', 'test'], 'cli/ composes signing/, portal/ and demo/.']]),
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
