import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testProjects } from './test/test-projects.js';

// Three projects (test/test-projects.ts says which file goes where):
//   npm run test:unit          fast, no tmux/Claude/Chromium/D-Bus
//   npm run test:integration   real tmux, Claude Code, Chromium, D-Bus, the built CLI
//   npm run test:reliability   test/reliability/**: kills, faults, fuzzing
// `npm test` runs all three. Every project's global setup builds dist/ only when a source is
// newer than the last build (or never, with FK_SKIP_BUILD=1: what `npm test` sets after its build).
const repo = fileURLToPath(new URL('.', import.meta.url));
const p = testProjects(repo);
const common = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  globalSetup: ['test/global-setup.ts'],
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'unit', include: p.unit } },
      { test: { ...common, name: 'integration', include: p.integration } },
      { test: { ...common, name: 'reliability', include: p.reliability } },
    ],
  },
});
