// Keeping dist/ current for the tests that run the built CLI, hook and workers as child
// processes. One build per change: skipped while the last build is newer than every source,
// and serialized by a lock dir so parallel vitest runs (and projects) never race two builds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
/** What `npm run build` writes last (the hook bundle): its mtime is the time of the last whole build. */
const LAST_OUTPUT = join(REPO, 'dist', 'main', 'cli', 'hook.cjs');
const SOURCE_DIRS = ['main', 'shared', 'renderer', 'preload', 'bench', 'build'];
const SOURCE_FILE = /\.(ts|cts|mts|mjs|html|css)$/;
const LOCK = join(tmpdir(), 'fk-dist-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (SOURCE_FILE.test(e.name) && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/ was built after the last change to any source, tsconfig.json or package.json. */
export function distIsFresh(): boolean {
  if (!existsSync(LAST_OUTPUT)) return false;
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestSource(join(REPO, d))),
    statSync(join(REPO, 'tsconfig.json')).mtimeMs,
    statSync(join(REPO, 'package.json')).mtimeMs,
  );
  return statSync(LAST_OUTPUT).mtimeMs >= sources;
}

/**
 * Runs `npm run build` unless dist/ is fresh; throws when the build fails. FK_SKIP_BUILD=1 uses
 * dist/ as it is (`npm test` sets it after its own build, so a source edited by someone else
 * mid-run does not start a second one).
 */
export function ensureDist(opts: { quiet?: boolean } = {}): void {
  if (process.env.FK_SKIP_BUILD === '1' || distIsFresh()) return;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another build is running: wait for it (a lock older than 5 min belongs to a dead one).
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build of dist/ (lock ${LOCK})`);
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (distIsFresh()) return;
    const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: REPO, stdio: opts.quiet === true ? 'pipe' : 'inherit' });
    if (r.status !== 0)
      throw new Error(`npm run build failed (exit ${r.status})${opts.quiet === true ? `: ${String(r.stderr)}` : ''}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
