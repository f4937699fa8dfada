// The set-up most tests share: a private temp dir, a state dir inside it, an environment that
// cannot reach the developer's tmux, HOME or Claude, and an isolated tmux server that is
// killed (and waited for) when the test is done. One place, so every suite isolates the same way.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateDir, type StatePaths } from '../../main/node/base/state-dir.js';
import type { FleetState, ServerInstance } from '../../main/common/base/types.js';
import { TmuxHarness } from './tmux-harness.js';

export interface TempDir {
  /** Absolute and free of symlinks (tmux and the fleet query report resolved paths). */
  dir: string;
  dispose(): void;
}

/** `$TMPDIR/fk-<prefix>-XXXXXX`, removed by dispose(). */
export function tempDir(prefix: string): TempDir {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `fk-${prefix}-`)));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TempState extends TempDir {
  /** `<dir>/state`, created 0700 with its whole tree. */
  root: string;
  paths: StatePaths;
}

export function tempState(prefix: string): TempState {
  const t = tempDir(prefix);
  const root = join(t.dir, 'state');
  return { ...t, root, paths: ensureStateDir(root) };
}

/** This process's environment without anything that points at the tmux server it may run in. */
export function withoutTmux(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.TMUX;
  delete out.TMUX_PANE;
  delete out.FLEETKEEPER_TMUX_SOCKET;
  return out;
}

/**
 * The environment for the CLI, the daemon and a test's tmux server: Fleetkeeper's state in
 * `<dir>/state`, Claude's config in `<dir>/claude`, HOME `<dir>/home` (created), /bin/sh.
 */
export function isolatedEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  mkdirSync(join(dir, 'home'), { recursive: true });
  return {
    ...withoutTmux(),
    FLEETKEEPER_HOME: join(dir, 'state'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    HOME: join(dir, 'home'),
    SHELL: '/bin/sh',
    ...extra,
  };
}

export interface TmuxWorld extends TempState {
  home: string;
  env: NodeJS.ProcessEnv;
  /** Not started: the first tmux command a test runs starts it (a daemon test may want none). */
  tmux: TmuxHarness;
  /** Kills the server, waits for it to exit, removes the temp dir. */
  dispose(): Promise<void>;
}

/** A temp state dir and an isolated tmux server sharing one isolated environment. */
export function tmuxWorld(prefix: string, extra: NodeJS.ProcessEnv = {}): TmuxWorld {
  const st = tempState(prefix);
  const env = isolatedEnv(st.dir, extra);
  const tmux = new TmuxHarness(env);
  return {
    ...st,
    home: env.HOME as string,
    env,
    tmux,
    dispose: async () => {
      await tmux.kill();
      st.dispose();
    },
  };
}

/** A fleet as the fleet query returns it: `sessions` sessions of one window with one shell pane. */
export function simpleFleet(
  sessions: number,
  instance: ServerInstance = { socketPath: '/tmp/fk-test/default', pid: 100, startTime: 1_790_000_000 },
  pane: { role?: (session: number) => string; cwd?: string; command?: string } = {},
): FleetState {
  return {
    instance,
    sessions: Array.from({ length: sessions }, (_, i) => ({
      name: `s${i}`,
      id: `$${i}`,
      windows: [
        {
          index: 0,
          id: `@${i}`,
          name: 'w',
          layout: 'b25d,80x24,0,0,0',
          active: true,
          zoomed: false,
          panes: [
            {
              index: 0,
              id: `%${i}`,
              role: pane.role?.(i) ?? `r${i}`,
              cwd: pane.cwd ?? '/',
              currentCommand: pane.command ?? 'bash',
              title: '',
              active: true,
              binding: null,
            },
          ],
        },
      ],
    })),
  };
}
