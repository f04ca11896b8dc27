// ESLint flat config: strict TypeScript everywhere, and the Temporal rules for workflow code
// (deterministic sandbox: no Node built-ins, no I/O, no wall clock or randomness of its own).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'eslint.config.mjs', 'jest.config.js', 'jest.e2e.config.js', 'jest.reliability.config.js', 'local/ensure-installed.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'object-shorthand': ['error', 'always'],
    },
  },
  {
    files: ['workflows/**/*.ts', 'bench/naive-workflows.ts', 'bench/noop-workflow.ts', 'bench/bench-workflows.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((name) => [name, `node:${name}`]),
            { name: 'node-fetch', message: 'Workflows do no I/O: call an activity.' },
            { name: '@temporalio/activity', message: 'Activity code does not run in workflows.' },
            { name: '@temporalio/client', message: 'Use the workflow APIs inside workflows.' },
            { name: '@temporalio/worker', message: 'Worker code does not run in workflows.' },
          ],
          patterns: [{ group: ['../activities/*', '../worker/*', '../client/*'], allowTypeImports: true, message: 'Workflows import activity types only.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the workflow uuid4() or a seeded value.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Read workflow time through workflow-clock.ts.' },
      ],
    },
  },
  {
    // Plain CommonJS scripts that node runs as they are (test fixtures against dist/): no types.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
