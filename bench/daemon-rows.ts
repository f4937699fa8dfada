// The daemon's own figures: at rest (fresh and after hours of saves), its control client while a
// pane floods, and the CPU of one save and one health check.
import type { Fleet } from './fleet.js';
import type { BenchConfig } from './run.js';
import { measureDaemon } from './measure-daemon.js';
import { measureDaemonPhases, seedSnapshots } from './measure-daemon-phases.js';
import { restRows, row } from './rows.js';
import type { BenchRow } from './stats.js';

export async function daemonRows(
  cfg: BenchConfig,
  dFleet: Fleet,
  cliBin: string,
  rows: BenchRow[],
  failures: string[],
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<void> {
  const d = await measureDaemon(dFleet, { restS: cfg.restS, floodS: cfg.floodS, cliBin });
  rows.push(...restRows(d, `${cfg.daemonPanes} panes, fresh state dir`));
  const f = d.flood;
  const floodOk = f.outputNotifications === 0 && f.ourClientBytes <= 4096;
  rows.push(
    row(
      `control client while a pane prints, ${f.seconds} s`,
      `${f.ourClientBytes} B, ${f.outputNotifications} %output`,
      `pane printed ~${(f.paneBytes / 1e6).toFixed(1)} MB; daemon's client read ${f.clientRcharBytes ?? '?'} B`,
      'reads no pane output',
      floodOk,
    ),
  );
  if (f.outputNotifications > 0)
    failures.push(`control client received ${f.outputNotifications} %output notifications`);

  const steady = cfg.steadyMinutes > 0 ? cfg.steadyMinutes : 10;
  log(`daemon phases: CPU per save and per health check, fresh and after ${steady} min of saves`);
  for (const p of await measureDaemonPhases(dFleet, { steady, reps: cfg.phaseReps })) {
    rows.push(
      row(
        `daemon CPU per save / per health check, ${p.snapshotsOnDisk} snapshots on disk`,
        `${p.saveCpuMs.toFixed(1)} / ${p.healthCpuMs.toFixed(1)} ms`,
        `listing alone ${p.listCpuMs.toFixed(1)} ms`,
        'report',
        null,
        `≈ ${p.perHourS.toFixed(2)} CPU-s/h at 60 saves + 120 health checks an hour`,
      ),
    );
  }
  if (cfg.steadyMinutes > 0) {
    log(`daemon at rest after ${cfg.steadyMinutes} min of saves: ${cfg.restS} s`);
    const target = dFleet.target;
    try {
      const ds = await measureDaemon(dFleet, {
        restS: cfg.restS,
        floodS: 1,
        cliBin,
        seed: (stateRoot) => seedSnapshots({ ...dFleet, target }, stateRoot, cfg.steadyMinutes),
      });
      rows.push(...restRows(ds, `${cfg.daemonPanes} panes, ${ds.snapshotsOnDisk} snapshots on disk`));
    } catch (err) {
      // Keep the rest of a long run: this figure is reported as missing, not as zero.
      rows.push(
        row(
          'daemon at rest, steady state',
          'FAILED',
          '—',
          '≤ 2 CPU-s/h',
          false,
          err instanceof Error ? err.message.slice(0, 300) : String(err),
        ),
      );
      failures.push(`steady-state daemon run failed: ${String(err).slice(0, 300)}`);
    }
  }
}
