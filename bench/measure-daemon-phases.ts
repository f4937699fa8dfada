// Where the daemon's CPU at rest goes, phase by phase, in this process: one save through the
// control client, and one watchdog health check (gatherHealth over the daemon's catalog, which
// the daemon runs every min(30 s, interval/2)), with few and with a steady-state number of
// snapshots on disk. The steady state is what retention keeps after a day at a 60 s interval
// (every save of the last 2 h, then hourly). "Listing alone" is a full listing that reads and
// validates every one of them, as a one-off command (`fleetkeeper status`) does.
// Measured back to back in a warm process: the daemon, one save a minute, runs colder code.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DEFAULT_SETTINGS } from '../main/common/settings/settings-model.js';
import { gatherHealth } from '../main/node/daemon/health-service.js';
import { claudeSettingsPath, hookCommands } from '../main/node/claude/settings-file.js';
import { listSnapshots } from '../main/node/snapshot/store.js';
import type { Fleet } from './fleet.js';
import { openDaemonSaver } from './measure-save.js';
import { procSample } from './measure-daemon.js';

export interface PhaseFigures {
  snapshotsOnDisk: number;
  /** CPU-ms (this process + reaped children) per call. */
  saveCpuMs: number;
  healthCpuMs: number;
  listCpuMs: number;
  /** What the daemon spends per hour at a 60 s interval: 60 saves + 120 health checks. */
  perHourS: number;
}

function cpuMsPer(n: number, a: { cpuS: number }, b: { cpuS: number }): number {
  return ((b.cpuS - a.cpuS) * 1000) / n;
}

/** Saves one a minute over the past `steady` minutes (real saves, real retention), then measures. */
export async function measureDaemonPhases(
  fleet: Fleet,
  opts: { steady: number; reps: number },
): Promise<PhaseFigures[]> {
  const root = mkdtempSync(join(tmpdir(), 'fk-bench-phases-'));
  let fakeNow = Date.now() - opts.steady * 60_000;
  const saver = await openDaemonSaver(fleet.target, join(root, 'state'), () => new Date(fakeNow));
  const deps = {
    paths: saver.paths,
    target: fleet.target,
    settings: DEFAULT_SETTINGS,
    clock: () => new Date(),
    settingsPath: claudeSettingsPath(process.env),
    hookCommands: hookCommands(process.execPath, '/nonexistent/fleetkeeper.js'),
    snapshots: () => saver.catalog.view(),
  };
  const out: PhaseFigures[] = [];
  try {
    const measure = async (): Promise<void> => {
      const onDisk = (await listSnapshots(saver.paths)).valid.length;
      let a = procSample(process.pid);
      for (let i = 0; i < opts.reps; i++) {
        fakeNow += 60_000;
        await saver.save();
      }
      const saveCpuMs = cpuMsPer(opts.reps, a, procSample(process.pid));
      a = procSample(process.pid);
      for (let i = 0; i < opts.reps; i++) await gatherHealth(deps);
      const healthCpuMs = cpuMsPer(opts.reps, a, procSample(process.pid));
      a = procSample(process.pid);
      for (let i = 0; i < opts.reps; i++) await listSnapshots(saver.paths);
      const listCpuMs = cpuMsPer(opts.reps, a, procSample(process.pid));
      out.push({
        snapshotsOnDisk: onDisk,
        saveCpuMs,
        healthCpuMs,
        listCpuMs,
        perHourS: (60 * saveCpuMs + 120 * healthCpuMs) / 1000,
      });
    };
    await saver.save();
    await measure();
    while (fakeNow < Date.now() - (opts.reps + 1) * 60_000) {
      fakeNow += 60_000;
      await saver.save();
    }
    await measure();
    return out;
  } finally {
    await saver.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Fills `stateRoot` with real saves of `fleet`, one a minute over the past `minutes` minutes. */
export async function seedSnapshots(fleet: Fleet, stateRoot: string, minutes: number): Promise<void> {
  let fakeNow = Date.now() - minutes * 60_000;
  const saver = await openDaemonSaver(fleet.target, stateRoot, () => new Date(fakeNow));
  try {
    for (; fakeNow < Date.now() - 60_000; fakeNow += 60_000) await saver.save();
  } finally {
    await saver.dispose();
  }
}
