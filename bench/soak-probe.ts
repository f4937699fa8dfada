// Preloaded into the real `fleetkeeper daemon` process by the soak (`node --import
// dist/bench/soak-probe.js bin/fleetkeeper.js daemon …`): the daemon runs unmodified, and this
// answers the soak's 'sample' messages on the IPC channel with what the process holds.
// Timers are counted by wrapping the global timer functions before the CLI loads, because
// process.getActiveResourcesInfo() leaves out unref'd timers (the wake detector's is one).
import { readdirSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

export interface ProbeSample {
  atMs: number;
  rssBytes: number;
  /** V8 heap in use right after a full GC (the figure a leak moves). */
  heapAfterGcBytes: number;
  /** Of which compiled code (code spaces): grows while new paths get compiled, then flattens. */
  codeBytes: number;
  fds: number;
  /** Timers created and neither fired (one-shot) nor cleared. */
  liveTimers: number;
  /** process.getActiveResourcesInfo(), counted by kind (ref'd resources only). */
  resources: Record<string, number>;
  /** Command names of the process's live children. */
  children: string[];
  /** true for the sample taken after the daemon stopped and the event loop drained. */
  final: boolean;
}

const live = new Set<unknown>();
const g = globalThis as unknown as Record<string, (...a: unknown[]) => unknown>;
const wrap = (name: 'setTimeout' | 'setInterval', clearName: 'clearTimeout' | 'clearInterval', once: boolean) => {
  const orig = g[name] as (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
  const origClear = g[clearName] as (t: unknown) => void;
  g[name] = (fn: unknown, ms?: unknown, ...args: unknown[]) => {
    if (typeof fn !== 'function') return orig(fn as never, ms as number, ...args);
    const t: unknown = orig(
      (...a: unknown[]) => {
        if (once) live.delete(t);
        (fn as (...b: unknown[]) => void)(...a);
      },
      ms as number,
      ...args,
    );
    live.add(t);
    return t;
  };
  g[clearName] = (t: unknown) => {
    live.delete(t);
    origClear(t);
  };
};
wrap('setTimeout', 'clearTimeout', true);
wrap('setInterval', 'clearInterval', false);

function childNames(): string[] {
  const out: string[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    let pids: string;
    try {
      pids = readFileSync(`/proc/self/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const pid of pids.trim().split(/\s+/)) {
      if (pid === '') continue;
      try {
        out.push(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      } catch {
        // exited between the two reads
      }
    }
  }
  return out.sort();
}

function sample(final: boolean): ProbeSample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  return {
    atMs: Date.now(),
    rssBytes: process.memoryUsage.rss(),
    heapAfterGcBytes: process.memoryUsage().heapUsed,
    codeBytes: getHeapSpaceStatistics()
      .filter((sp) => sp.space_name.startsWith('code'))
      .reduce((n, sp) => n + sp.space_used_size, 0),
    fds: readdirSync('/proc/self/fd').length,
    liveTimers: live.size,
    resources,
    children: childNames(),
    final,
  };
}

if (process.send !== undefined) {
  process.on('message', (m: unknown) => {
    if (m === 'sample') process.send?.(sample(false));
    // A heap snapshot into the given directory, for finding what grows (a leak hunt, by hand).
    else if (typeof m === 'object' && m !== null && 'heapSnapshotDir' in m)
      process.send?.({
        heapSnapshot: writeHeapSnapshot(`${String(m.heapSnapshotDir)}/daemon-${Date.now()}.heapsnapshot`),
      });
  });
  // The channel must not keep the daemon alive: it exits when its own work is done.
  process.channel?.unref();
  let sentFinal = false;
  process.on('beforeExit', () => {
    if (sentFinal) return;
    sentFinal = true;
    process.send?.(sample(true), () => process.disconnect());
  });
}
