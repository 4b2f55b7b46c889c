import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layers, lowest first (docs/design.md, "Layers and ports"). A file imports its own layer
 * and those below it, never one above: each layer names the src/ folders it may reach;
 * any other src/ folder, and test/, chaos/ and bench/, is refused. The rule reads the
 * path as written: the first folder after the run of `../` is the one reached.
 */
const SRC_FOLDERS = [
  'shared',
  'node-flags',
  'metrics',
  'config',
  'database',
  'event-store',
  'payment-provider',
  'billing',
  'payments',
  'audit',
  'seed',
  'health',
  'api',
  'cli',
  'provider-sim',
  'app.module',
  'main',
];
const LOWEST = ['shared', 'node-flags'];
const STORES = [...LOWEST, 'metrics', 'config', 'database', 'event-store'];
const BILLING = [...STORES, 'payment-provider', 'billing'];

const LAYERS = [
  { name: 'shared', files: ['src/shared/**', 'src/node-flags.ts'], may: [] },
  { name: 'metrics', files: ['src/metrics/**'], may: LOWEST },
  { name: 'config', files: ['src/config/**'], may: LOWEST },
  { name: 'database', files: ['src/database/**'], may: [...LOWEST, 'config'] },
  {
    name: 'event-store',
    files: ['src/event-store/**'],
    may: [...LOWEST, 'metrics', 'config', 'database'],
  },
  { name: 'payment-provider', files: ['src/payment-provider/**'], may: LOWEST },
  {
    name: 'billing/domain (pure: shared and its own files only)',
    files: ['src/billing/domain/**'],
    may: LOWEST,
    // Flat folder: any single `../` lands elsewhere in billing/.
    also: [{ regex: '^\\.\\./(?!\\.\\./)', what: 'the rest of billing/' }],
  },
  {
    name: 'billing/store',
    files: ['src/billing/store/**'],
    may: STORES,
    also: [{ regex: '^\\.\\./(?!\\.\\./|domain(/|$))', what: 'billing/ above the store' }],
  },
  {
    name: 'billing',
    files: ['src/billing/**'],
    ignores: ['src/billing/domain/**', 'src/billing/store/**'],
    may: BILLING,
  },
  {
    name: 'payments',
    files: ['src/payments/**'],
    may: [...LOWEST, 'metrics', 'config', 'payment-provider'],
  },
  {
    name: 'audit, seed, health',
    files: ['src/audit/**', 'src/seed/**', 'src/health/**'],
    may: BILLING,
  },
  { name: 'api', files: ['src/api/**'], may: BILLING },
];

const OUTSIDE_SRC = {
  regex: '^(\\.\\./)+(test|chaos|bench)(/|$)',
  what: 'test/, chaos/ or bench/',
};

const TOOLS = { regex: '^(\\.\\./)+(chaos|bench)(/|$)', what: 'chaos/ or bench/' };

function restrict(files, ignores, who, rule) {
  return {
    files,
    ...(ignores.length > 0 ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: [refuse(who, rule)] }] },
  };
}

function refuse(layer, { regex, what }) {
  return {
    regex,
    message: `${layer} must not import ${what}: lower layers never import higher ones (docs/design.md, "Layers and ports").`,
  };
}

function layerRule({ name, files, ignores, may, also = [] }) {
  const own = files.map((glob) => glob.split('/')[1].replace(/\.ts$/, ''));
  const above = SRC_FOLDERS.filter((folder) => !may.includes(folder) && !own.includes(folder));
  const escaped = above.map((folder) => folder.replace('.', '\\.')).join('|');
  const patterns = [
    refuse(name, { regex: `^(\\.\\./)+(${escaped}|projections)(/|$)`, what: 'a higher layer' }),
    ...also.map((rule) => refuse(name, rule)),
    refuse(name, OUTSIDE_SRC),
  ];
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

const layering = [
  ...LAYERS.map(layerRule),
  {
    // The read side implements ports its users declare (*.port.ts, and a port's errors).
    files: ['projections/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            refuse('projections/', {
              regex:
                '^(\\.\\./)+src/(?!(shared|node-flags|config|database|event-store)(/|$)|billing/domain(/|$)|(billing/engine|api/read-models|cli)/[\\w-]+\\.(port|error)$)',
              what: 'src/ beyond the stores, the domain and the ports it implements',
            }),
            refuse('projections/', OUTSIDE_SRC),
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**', 'src/provider-sim/**', 'src/main.ts', 'src/app.module.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [refuse('src/', OUTSIDE_SRC)] }] },
  },
  // The test kit (test/support) sits above src/ and projections/ and below everything that
  // uses it: the tests, chaos/ and bench/. Tests reach chaos/ only to test chaos/ itself.
  restrict(['test/support/**'], [], 'the test kit', TOOLS),
  restrict(['test/**'], ['test/support/**', 'test/chaos/**'], 'a test', TOOLS),
  restrict(['chaos/**', 'bench/**'], [], 'chaos/ and bench/', {
    regex: '^(\\.\\./)+test/(?!support/)',
    what: 'test/ beyond the test kit (test/support)',
  }),
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'data/',
      'node_modules/',
      'bench/node_modules/',
      'bench/dist/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layering,
);
