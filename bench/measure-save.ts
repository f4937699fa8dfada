// Saves: the daemon's save through its open control client against the one-call tmux floor,
// `fleetkeeper save` from the shell against `node -e 0`, and tmuxp freeze of the same fleet.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { PANE_FORMAT } from '../main/common/tmux/fleet-format.js';
import { DEFAULT_SETTINGS, type Settings } from '../main/common/settings/settings-model.js';
import type { Snapshot } from '../main/common/base/types.js';
import { ControlClient } from '../main/node/tmux/control-client.js';
import { queryFleetVia, queryInstanceVia } from '../main/node/tmux/fleet-query.js';
import { RegistryStore } from '../main/node/journal/registry-store.js';
import { saveSnapshot } from '../main/node/snapshot/save.js';
import { SnapshotCatalog } from '../main/node/snapshot/catalog.js';
import { ensureStateDir, type StatePaths } from '../main/node/base/state-dir.js';
import { runTmux, type TmuxTarget } from '../main/node/tmux/exec.js';
import { withWriterLock } from '../main/node/base/writer-lock.js';
import type { Fleet } from './fleet.js';
import { interleave, median, runOk } from './stats.js';

/** The floor: one tmux process listing sessions, windows and panes with the fields we read. */
export function floorQueryArgs(): string[] {
  return [
    '-u',
    'list-sessions',
    '-F',
    '#{session_id}\t#{session_name}',
    ';',
    'list-windows',
    '-a',
    '-F',
    '#{session_id}\t#{window_index}\t#{window_id}\t#{window_name}\t#{window_layout}\t#{window_active}\t#{window_zoomed_flag}',
    ';',
    'list-panes',
    '-a',
    '-F',
    PANE_FORMAT,
  ];
}

export interface DaemonSaver {
  paths: StatePaths;
  /** The daemon's view of snapshots/, shared by its saves and its health checks. */
  catalog: SnapshotCatalog;
  save(): Promise<Snapshot>;
  client: ControlClient;
  dispose(): Promise<void>;
}

/**
 * Exactly what Daemon.saveNow runs, minus its status bookkeeping: lock, save via the client,
 * retention over the daemon's catalog (which re-reads only new files and the newest one).
 */
export async function openDaemonSaver(
  target: TmuxTarget,
  stateRoot: string,
  clock: () => Date = () => new Date(),
  settings: Settings = DEFAULT_SETTINGS,
): Promise<DaemonSaver> {
  const paths = ensureStateDir(stateRoot);
  const registry = new RegistryStore(paths);
  const client = await ControlClient.connect({ target });
  const catalog = new SnapshotCatalog(paths, 10);
  const save = async (): Promise<Snapshot> => {
    const r = await withWriterLock(
      paths,
      `bench (pid ${process.pid})`,
      () =>
        saveSnapshot(
          {
            paths,
            target,
            registry,
            settings,
            clock,
            query: () => queryFleetVia(client),
            instanceNow: () => queryInstanceVia(client),
            listing: async (written) => (await catalog.view([written])).listing,
          },
          'interval',
        ),
      { waitMs: 10_000 },
    );
    return r.snapshot;
  };
  return { paths, catalog, save, client, dispose: () => client.dispose() };
}

export function cliEnv(stateRoot: string, target: TmuxTarget): NodeJS.ProcessEnv {
  return { ...process.env, FLEETKEEPER_HOME: stateRoot, FLEETKEEPER_TMUX_SOCKET: target.socketName ?? '' };
}

export interface SaveFigures {
  panes: number;
  floorMs: number;
  daemonSaveMs: number;
  cliSaveMs: number;
  nodeMs: number;
  tmuxpMs: number | null;
  tmuxpNote: string;
  snapshot: Snapshot;
  snapshotPanes: number;
}

export async function measureSaves(
  fleet: Fleet,
  opts: { reps: number; cliBin: string; tmuxp: boolean },
): Promise<SaveFigures> {
  const root = mkdtempSync(join(tmpdir(), 'fk-bench-save-'));
  const saver = await openDaemonSaver(fleet.target, join(root, 'daemon-state'));
  try {
    let last: Snapshot | null = null;
    const inProc = await interleave(
      {
        floor: () => runTmux(fleet.target, floorQueryArgs()),
        daemon: async () => {
          last = await saver.save();
        },
      },
      opts.reps,
      2,
    );
    const snapshot = last as Snapshot | null;
    if (snapshot === null) throw new Error('no snapshot was saved');
    const snapshotPanes = snapshot.sessions.reduce((n, s) => n + s.windows.reduce((m, w) => m + w.panes.length, 0), 0);
    if (snapshotPanes !== fleet.panes)
      throw new Error(`the daemon's snapshot holds ${snapshotPanes} panes, the fleet ${fleet.panes}`);

    const env = cliEnv(join(root, 'cli-state'), fleet.target);
    const spawned = await interleave(
      {
        node: () => runOk(process.execPath, ['-e', '0']),
        cli: () => runOk(process.execPath, [opts.cliBin, 'save'], { env }),
      },
      // As many pairs as the in-process saves: the spawned floor (node -e 0) is the noisier one.
      Math.max(3, opts.reps),
      1,
    );

    let tmuxpMs: number | null = null;
    let tmuxpNote = 'tmuxp not run';
    if (opts.tmuxp) {
      const t = await tmuxpFreezeFleet(fleet, root);
      tmuxpMs = t.ms;
      tmuxpNote = t.note;
    }
    return {
      panes: fleet.panes,
      floorMs: median(inProc.floor),
      daemonSaveMs: median(inProc.daemon),
      cliSaveMs: median(spawned.cli),
      nodeMs: median(spawned.node),
      tmuxpMs,
      tmuxpNote,
      snapshot,
      snapshotPanes,
    };
  } finally {
    await saver.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * tmuxp freezes one session per run; freezing the fleet is one run per session. Returns the
 * total, or null with the reason when tmuxp is not installed.
 */
export async function tmuxpFreezeFleet(fleet: Fleet, root: string): Promise<{ ms: number | null; note: string }> {
  const out = join(root, 'tmuxp');
  const t0 = performance.now();
  try {
    for (const s of fleet.shape) {
      await runOk('tmuxp', [
        'freeze',
        '-L',
        fleet.target.socketName ?? '',
        '-y',
        '-q',
        '--force',
        '-o',
        join(out, `${s.name}.yaml`),
        s.name,
      ]);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { ms: null, note: 'tmuxp is not installed' };
    throw err;
  }
  return { ms: performance.now() - t0, note: `${fleet.shape.length} sessions, one tmuxp run each` };
}
