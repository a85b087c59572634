import tseslint from 'typescript-eslint';

// Layering: src/lib never imports src/actions; an action never imports another action;
// only src/lib/action talks to the Actions toolkit, so the rest stays testable and CLI-friendly.
const libMustNotImportActions = {
  regex: '(^|/)actions/',
  message: 'src/lib must not import from src/actions (layering rule).',
};
const actionMustNotImportAction = [
  {
    regex: '^\\.\\./(?!\\.\\./)[^/]+',
    message: 'An action must not import another action; move shared code to src/lib.',
  },
  {
    regex: '^\\.\\./\\.\\./actions/',
    message: 'An action must not import another action; move shared code to src/lib.',
  },
];
const coreOnlyInLibAction = {
  name: '@actions/core',
  message: 'Only src/lib/action may import @actions/core.',
};
const githubOnlyInLibForge = {
  name: '@actions/github',
  message: "Only src/lib/forge may import @actions/github (the forge's API has one client).",
};
const toolkitOnlyInLibAction = [coreOnlyInLibAction, githubOnlyInLibForge];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', 'bench/results/**', '**/node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Fixture projects are written as their runners expect: jest's default is CommonJS.
    files: ['tests/fixtures/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/lib/**/*.ts'],
    ignores: ['src/lib/action/**', 'src/lib/forge/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [libMustNotImportActions], paths: toolkitOnlyInLibAction },
      ],
    },
  },
  {
    files: ['src/lib/action/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [libMustNotImportActions], paths: [githubOnlyInLibForge] },
      ],
    },
  },
  {
    files: ['src/lib/forge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [libMustNotImportActions], paths: [coreOnlyInLibAction] },
      ],
    },
  },
  {
    files: ['src/actions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: actionMustNotImportAction, paths: toolkitOnlyInLibAction },
      ],
    },
  },
);
