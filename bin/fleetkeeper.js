#!/usr/bin/env node
// Thin launcher for pre-bundled code (build/bundle.mjs, made by `npm run build`). The hook runs
// from one CommonJS file (dist/main/cli/hook.cjs): Claude waits for it. Everything else loads
// the CLI's bundle, whose commands are separate chunks loaded lazily.
import { createRequire } from 'node:module';

if (process.argv[2] === 'hook') {
  createRequire(import.meta.url)('../dist/main/cli/hook.cjs');
} else {
  await import('../dist/main/cli-bundle/cli-entry.js');
}
