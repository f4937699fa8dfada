import { ensureDist } from './helpers/dist-build.js';

/**
 * Many tests run the built CLI and hook as real child processes: build dist/ (tsc, renderer
 * assets, the hook bundle) before any test file starts, instead of each file racing its own
 * compiler into the same directory — and only when a source changed since the last build, so
 * `npx vitest run one.test.ts` after `npm run build` starts at once.
 */
export default function setup(): void {
  // FK_SKIP_BUILD=1 (checked there): use dist/ as it is, e.g. to iterate on one test while
  // the tree does not build.
  ensureDist();
}
