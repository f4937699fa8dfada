#!/usr/bin/env node
// Thin launcher: the hook path imports only what it needs so Claude never waits on us.
if (process.argv[2] === 'hook') {
  await import('../dist/main/cli/hook-entry.js');
} else {
  await import('../dist/main/cli/main.js');
}
