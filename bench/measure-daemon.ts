// The daemon as users run it (`fleetkeeper daemon --interval 60`, its own process) at rest:
// CPU from /proc/<pid>/stat (own + reaped children) and RSS; and, while one pane prints without
// pause, how many bytes its tmux control client reads (rchar) next to a control client of ours
// in this process counting bytes and %output notifications.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ControlClient } from '../main/node/tmux/control-client.js';
import { runTmux } from '../main/node/tmux/exec.js';
import type { Fleet } from './fleet.js';
import { cliEnv } from './measure-save.js';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime+stime+cutime+cstime in seconds and RSS in MB of one process. */
export function procSample(pid: number): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number): number => Number(f[i - 3]);
  const pageKb = 4;
  return { cpuS: (n(14) + n(15) + n(16) + n(17)) / TICKS, rssMb: (n(24) * pageKb) / 1024 };
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const file = `/proc/${pid}/task/${task}/children`;
    if (existsSync(file))
      out.push(
        ...readFileSync(file, 'utf8')
          .trim()
          .split(/\s+/)
          .filter((s) => s !== '')
          .map(Number),
      );
  }
  return out;
}

function rchar(pid: number): number {
  const m = /^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export interface DaemonFigures {
  seconds: number;
  snapshotsOnDisk: number;
  cpuSPerHour: number;
  rssMb: number;
  rssMaxMb: number;
  saves: number;
  flood: {
    seconds: number;
    clientRcharBytes: number | null;
    ourClientBytes: number;
    outputNotifications: number;
    paneBytes: number;
  };
  log: string;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const snapshotFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const countSnapshots = (dir: string): number => snapshotFiles(dir).length;

/** `seed` fills the state dir first (e.g. hours of earlier saves) so the daemon starts in a steady state. */
export async function measureDaemon(
  fleet: Fleet,
  opts: { restS: number; floodS: number; cliBin: string; seed?: (stateRoot: string) => Promise<void> },
): Promise<DaemonFigures> {
  const root = mkdtempSync(join(tmpdir(), 'fk-bench-daemon-'));
  const snapshots = join(root, 'snapshots');
  await opts.seed?.(root);
  // Retention may delete one old snapshot per new one: watch for a new name, not the count.
  const seeded = new Set(snapshotFiles(snapshots));
  const child = spawn(process.execPath, [opts.cliBin, 'daemon', '--interval', '60'], {
    env: cliEnv(root, fleet.target),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString('utf8');
  });
  const pid = child.pid as number;
  let ours: ControlClient | null = null;
  try {
    // At rest from the first snapshot on: start-up is a one-off, not the hourly cost.
    const deadline = Date.now() + 30_000;
    while (!snapshotFiles(snapshots).some((f) => !seeded.has(f))) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`daemon made no first snapshot in 30 s: ${log.trim().slice(-500)}`);
      await sleep(200);
    }
    await sleep(1000);
    const before = new Set(snapshotFiles(snapshots));
    const a = procSample(pid);
    let rssMax = a.rssMb;
    const t0 = performance.now();
    while (performance.now() - t0 < opts.restS * 1000) {
      await sleep(Math.min(5000, opts.restS * 1000 - (performance.now() - t0) + 1));
      rssMax = Math.max(rssMax, procSample(pid).rssMb);
    }
    const b = procSample(pid);
    const seconds = (performance.now() - t0) / 1000;
    const saves = snapshotFiles(snapshots).filter((f) => !before.has(f)).length;

    // One pane prints without pause; count what the daemon's client and ours read meanwhile.
    const tmuxClient = childPids(pid).find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('tmux'));
    ours = await ControlClient.connect({ target: fleet.target });
    let outputs = 0;
    ours.onNotification((n) => {
      if (n.name === 'output' || n.name === 'extended-output') outputs++;
    });
    const pane = (
      await runTmux(fleet.target, [
        'split-window',
        '-d',
        '-t',
        `${fleet.shape[0]?.name ?? ''}:0`,
        '-P',
        '-F',
        '#{pane_id}',
        `yes fleetkeeper-flood | head -c ${opts.floodS * 200_000_000}; sleep 100000`,
      ])
    ).trim();
    const server = Number((await runTmux(fleet.target, ['display-message', '-p', '#{pid}'])).trim());
    const s0 = rchar(server);
    const r0 = tmuxClient !== undefined ? rchar(tmuxClient) : NaN;
    const o0 = ours.bytesReceived;
    await sleep(opts.floodS * 1000);
    const s1 = rchar(server);
    const r1 = tmuxClient !== undefined ? rchar(tmuxClient) : NaN;
    const o1 = ours.bytesReceived;
    // What the server read meanwhile: mostly the flooding pane's output.
    const paneBytes = s1 - s0;
    await runTmux(fleet.target, ['kill-pane', '-t', pane]);
    return {
      seconds,
      snapshotsOnDisk: countSnapshots(snapshots),
      cpuSPerHour: ((b.cpuS - a.cpuS) / seconds) * 3600,
      rssMb: b.rssMb,
      rssMaxMb: rssMax,
      saves,
      flood: {
        seconds: opts.floodS,
        clientRcharBytes: Number.isNaN(r1 - r0) ? null : r1 - r0,
        ourClientBytes: o1 - o0,
        outputNotifications: outputs,
        paneBytes,
      },
      log,
    };
  } finally {
    await ours?.dispose();
    await stopChild(child);
    rmSync(root, { recursive: true, force: true });
  }
}
