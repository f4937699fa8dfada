// Layering is enforced here, VS Code style: imports only point down.
//   main/common   pure logic: no Node built-ins, no Electron, no node/ or cli/ imports
//   main/node     plain-Node core: no Electron
//   main/cli      CLI, daemon, hook entry points: no Electron
//   main/electron-main  the only place Electron may be imported in main/
//   renderer      browser only: no Node, no Electron, no main/
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'stream', 'events',
  'util', 'url', 'worker_threads', 'process', 'buffer', 'readline', 'tty', 'zlib', 'dgram', 'dns',
];
const noNode = [
  { group: ['node:*'], message: 'This layer must not use Node built-ins.' },
  ...nodeBuiltins.map((m) => ({ group: [m, `${m}/*`], message: 'This layer must not use Node built-ins.' })),
];
const noElectron = { group: ['electron', 'electron/*', 'electron-store'], message: 'Only main/electron-main may import Electron.' };

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
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [...noNode, noElectron, { group: ['**/node/*', '**/cli/*', '**/electron-main/*'], message: 'common imports only common.' }],
      }],
    },
  },
  {
    files: ['main/node/**/*.ts', 'main/cli/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [noElectron, { group: ['**/electron-main/*', '**/renderer/*', '**/preload/*'], message: 'The core never imports the app shells.' }],
      }],
    },
  },
  {
    files: ['main/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [noElectron, { group: ['**/cli/*', '**/electron-main/*', '**/renderer/*', '**/preload/*'], message: 'main/node imports only common and node.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [...noNode, noElectron, { group: ['**/main/**', '**/preload/**'], message: 'The renderer talks to main only through the preload bridge (shared/ contract).' }],
      }],
    },
  },
);
