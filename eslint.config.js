import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Module boundaries (issue #19). A module is a folder directly under src/ (in src/platform, each
 * subfolder is a unit of its own); from outside, only its index.ts may be imported. Relative import
 * specifiers are matched, so each depth of file gets patterns with its own number of `../`.
 */
const moduleName = String.raw`(?!\.\.?/)[^/]+`;
const notIndex = String.raw`(?!index\.js$)`;
const outside = (depth) => (depth === 0 ? String.raw`\./` : String.raw`(\.\./){${depth}}`);

function boundaryPatterns(depth, { inPlatform = false, inSip = false } = {}) {
  const patterns = [
    {
      regex: `^${outside(depth)}(?!platform/)${moduleName}/${notIndex}`,
      message: "Import another module only through its index.ts (eslint.config.js, 'Module boundaries').",
    },
    {
      regex: `^${outside(depth)}platform/${moduleName}/${notIndex}`,
      message: 'Import a src/platform unit only through its index.ts.',
    },
  ];
  if (inPlatform) {
    patterns.push({
      regex: `^${outside(depth - 1)}${moduleName}/${notIndex}`,
      message: 'Import another src/platform unit only through its index.ts.',
    });
  }
  // src/sip is the protocol core: it must stay usable without the application (as SIP.js's core).
  if (inSip) patterns.push({ regex: `^${outside(depth)}`, message: 'src/sip imports nothing outside src/sip.' });
  return patterns;
}

const depths = [0, 1, 2, 3, 4];
const boundaryConfigs = [
  ...depths.map((depth) => ({
    files: [`src/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: boundaryPatterns(depth) }] },
  })),
  ...depths
    .filter((depth) => depth >= 1)
    .flatMap((depth) => [
      {
        files: [`src/platform/${'*/'.repeat(depth - 1)}*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns: boundaryPatterns(depth, { inPlatform: true }) }] },
      },
      {
        files: [`src/sip/${'*/'.repeat(depth - 1)}*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns: boundaryPatterns(depth, { inSip: true }) }] },
      },
    ]),
  {
    // Web features (web/src/features/<feature>) do not import each other; shared code lives in
    // components/, lib/, i18n/ and types/.
    files: ['web/src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./)+(features/)?(?!(components|lib|i18n|types|app)/)[^./][^/]*/`,
              message: 'A web feature does not import another feature: move what both need to components/ or lib/.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-output/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md).' }],
    },
  },
  ...boundaryConfigs,
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tool configuration files, and the reporter vitest loads by path, must default-export.
    files: ['*.config.{js,ts}', 'web/vite.config.ts', 'test/support/global-setup.ts', 'test/support/file-times-reporter.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
