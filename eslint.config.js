// Layering is enforced here, VS Code style: imports only point down.
//   main/common         pure decisions: no Node built-ins, no Electron, nothing above it
//   main/node           the plain-Node core (feature folders): common and node only
//   main/cli            CLI, daemon, hook entry points: common, node (never shared/, never Electron)
//   main/dashboard      the dashboard's service and view builders: the only core-side user of shared/
//   main/electron-main  the only place Electron may be imported in main/
//   shared              the IPC contract: types from common only
//   renderer            browser only: no Node, no Electron, of main/ only the pure main/common
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'net',
  'http',
  'https',
  'stream',
  'events',
  'util',
  'url',
  'worker_threads',
  'process',
  'buffer',
  'readline',
  'tty',
  'zlib',
  'dgram',
  'dns',
];
const noNode = [
  { group: ['node:*'], message: 'This layer must not use Node built-ins.' },
  ...nodeBuiltins.map((m) => ({ group: [m, `${m}/*`], message: 'This layer must not use Node built-ins.' })),
];
const noElectron = {
  group: ['electron', 'electron/*', 'electron-store'],
  message: 'Only main/electron-main may import Electron.',
};
const noShells = (message) => ({
  group: ['**/electron-main/**', '**/renderer/**', '**/preload/**', '**/dashboard/**'],
  message,
});
const noShared = {
  group: ['**/shared/**'],
  message: "The core never imports the app's IPC contract (shared/); main/dashboard adapts the core to it.",
};
const noCli = { group: ['**/cli/**'], message: 'Only the entry points live in main/cli; nothing imports them.' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'bin/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/common/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(...noNode, noElectron, noShared, noCli, noShells('common imports only common.'), {
      group: ['**/node/**'],
      message: 'common imports only common.',
    }),
  },
  {
    files: ['main/node/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(noElectron, noShared, noCli, noShells('main/node imports only common and node.')),
  },
  {
    files: ['main/cli/**/*.ts', 'bench/**/*.ts'],
    rules: restrict(noElectron, noShared, noShells('The CLI and benchmarks use the core only.')),
  },
  {
    files: ['main/dashboard/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(noElectron, noCli, {
      group: ['**/electron-main/**', '**/renderer/**', '**/preload/**'],
      message: 'The dashboard layer sits below the Electron shell.',
    }),
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(...noNode, noElectron, noCli, {
      group: ['**/main/node/**', '**/main/dashboard/**', '**/main/electron-main/**'],
      message: 'The IPC contract may use types from main/common only.',
    }),
  },
  {
    files: ['renderer/**/*.ts'],
    // main/common is pure (no Node, no Electron: enforced above), so the browser may use it, as
    // VS Code's browser layer uses common: one age formatter for the tray and the dashboard.
    rules: restrict(...noNode, noElectron, {
      group: ['**/main/node/**', '**/main/cli/**', '**/main/dashboard/**', '**/main/electron-main/**', '**/preload/**'],
      message:
        'The renderer talks to main only through the preload bridge (shared/ contract); of main/ it may use only the pure main/common.',
    }),
  },
);
