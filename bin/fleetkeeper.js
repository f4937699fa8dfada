#!/usr/bin/env node
// Thin launcher. The hook runs from one pre-bundled CommonJS file (dist/main/cli/hook.cjs,
// made by `npm run build`): Claude waits for it, and one file loads measurably faster than
// a graph of ES modules. Everything else loads the CLI, whose commands load lazily.
import { createRequire } from 'node:module';

if (process.argv[2] === 'hook') {
  createRequire(import.meta.url)('../dist/main/cli/hook.cjs');
} else {
  await import('../dist/main/cli/cli-entry.js');
}
