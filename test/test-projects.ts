// Which vitest project each test file belongs to, decided by what the file starts:
//   reliability  test/reliability/**: kill storms, faults, fuzzing (minutes)
//   integration  test/*.test.ts (cross-cutting: the CLI, the hook, real Claude, Chromium, D-Bus,
//                Electron), and any file next to its module that drives real tmux, Chromium,
//                D-Bus or the benchmarks' real fleets (see STARTS_SOMETHING)
//   unit         every other test next to its module: pure or plain-filesystem, seconds in all
// Classifying by content keeps a new tmux test out of the fast project without anyone
// remembering to list it.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const COLOCATED_ROOTS = ['main', 'shared', 'renderer', 'build', 'preload', 'bench'];

/** Marks of a file that starts a real tmux server, a browser, an Electron app, a D-Bus daemon or the benchmarks. */
export const STARTS_SOMETHING =
  /\bTmuxHarness\b|\btmuxWorld\b|\brunTmux\b|\bControlClient\b|(?:execFile|execFileSync|spawn|spawnSync)\(\s*['"](?:tmux|chromium)['"]|playwright|_electron|startDbusSession|dbus-daemon|'run\.js'/;

function testFiles(dir: string, repo: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p, repo));
    else if (e.name.endsWith('.test.ts')) out.push(relative(repo, p));
  }
  return out;
}

export interface TestProjects {
  unit: string[];
  /** test/*.test.ts, plus the colocated files that start something. */
  integration: string[];
  reliability: string[];
}

export function testProjects(repo: string): TestProjects {
  const colocated = COLOCATED_ROOTS.flatMap((r) => testFiles(join(repo, r), repo)).sort();
  const starts = colocated.filter((f) => STARTS_SOMETHING.test(readFileSync(join(repo, f), 'utf8')));
  return {
    unit: colocated.filter((f) => !starts.includes(f)),
    integration: ['test/*.test.ts', ...starts],
    reliability: ['test/reliability/**/*.test.ts'],
  };
}
