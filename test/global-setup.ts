import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Many tests run the built CLI and hook as real child processes: build dist/ (tsc, renderer
 * assets, the hook bundle) once before any test file starts, instead of each file racing its
 * own compiler into the same directory.
 */
export default function setup(): void {
  // FK_SKIP_BUILD=1: use dist/ as it is (iterating on one test while the tree does not build).
  if (process.env.FK_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
}
