// ESLint flat config: strict TypeScript everywhere, and the Temporal rules for workflow code
// (deterministic sandbox: no Node built-ins, no I/O, no wall clock or randomness of its own).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

// Every cached workflow evaluates the workflow bundle's modules again (its own instances), so a
// library imported by workflow code costs its memory once PER CACHED WORKFLOW (zod: ~1 MiB each).
// (bench/cached-workflow-cost.ts measured 1.3 MiB per cached workflow with zod, 0.3 MiB without.)
// test/unit/workflow-bundle.test.ts checks the built bundle for the same packages.
const heavyInWorkflows = (why) =>
  `Imported by workflow code, it is evaluated again for every cached workflow and costs memory per cached workflow (zod: ~1 MiB each); ${why}`;
// Type-only imports are erased before bundling, so they stay allowed.
const heavyPackages = [
  ['zod', 'validate with the pure checks of workflows/input-fields.ts (zod schemas live in client/input-schemas.ts).'],
  ['ioredis', 'Redis is I/O: use an activity.'],
  ['commander', 'the CLI lives in client/cli/.'],
  ['cli-table3', 'formatting for people belongs to client/cli/.'],
  ['log-update', 'terminal output belongs to client/cli/.'],
  ['picocolors', 'terminal output belongs to client/cli/.'],
  ['protobufjs', 'encoding belongs to activities, the client or a payload codec.'],
  ['@temporalio/proto', 'use the types of @temporalio/common and @temporalio/workflow.'],
  ['@temporalio/envconfig', 'configuration is read by the worker and the client.'],
].map(([name, why]) => ({ name, allowTypeImports: true, message: heavyInWorkflows(why) }));

/** What the workflow sandbox cannot load: Node built-ins, I/O, the other sides' SDK packages, heavy packages. */
const sandboxPaths = [
  ...nodeBuiltins.flatMap((name) => [name, `node:${name}`]),
  { name: 'node-fetch', message: 'Workflows do no I/O: call an activity.' },
  { name: '@temporalio/activity', message: 'Activity code does not run in workflows.' },
  { name: '@temporalio/client', message: 'Use the workflow APIs inside workflows.' },
  { name: '@temporalio/worker', message: 'Worker code does not run in workflows.' },
  ...heavyPackages,
];
const heavySubpaths = {
  group: heavyPackages.map(({ name }) => `${name}/*`),
  allowTypeImports: true,
  message: heavyInWorkflows('see the rule for the package itself in eslint.config.mjs.'),
};
/** common/ belongs to no side: it imports none of them (type imports included). */
const noSide = (up) => ({
  group: ['workflows', 'activities', 'worker', 'client', 'simulator', 'local', 'bench'].flatMap((side) => [`${up}${side}`, `${up}${side}/*`]),
  message: 'common/ is shared by the workflows, the activities, the worker and the client, and imports none of them.',
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'eslint.config.mjs',
      'jest.config.js',
      'jest.e2e.config.js',
      'jest.reliability.config.js',
      'local/ensure-installed.cjs',
    ],
  },
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
    // No import cycles (type-only imports are erased, so they do not count): modules that import
    // each other evaluate half-initialised, and a cycle hides which room a file belongs in.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: ['workflows/**/*.ts', 'bench/naive-workflows.ts', 'bench/noop-workflow.ts', 'bench/bench-workflows.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: sandboxPaths,
          patterns: [
            // `group` is gitignore-style: '../activities' is the folder's index, '../activities/*' a file in it.
            {
              group: ['activities', 'worker', 'client'].flatMap((side) => ['../', '../../'].flatMap((up) => [`${up}${side}`, `${up}${side}/*`])),
              allowTypeImports: true,
              message: 'Workflows import activity types only.',
            },
            {
              group: ['../common/connection', '../common/connection/*', '../common/signing', '../common/signing/*'],
              allowTypeImports: true,
              message: 'common/connection/ and common/signing/ are Node code for the worker and the clients (crypto, files).',
            },
            heavySubpaths,
          ],
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
    // Shared with the workflows, so held to the sandbox's rules (common/connection/ and common/signing/ are the Node part).
    files: ['common/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: sandboxPaths, patterns: [noSide('../'), heavySubpaths] }],
    },
  },
  {
    files: ['common/connection/**/*.ts', 'common/signing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noSide('../../')] }],
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
