// The second source for verification: which conversation the new Claude in each restored pane
// runs, from its own `<config dir>/sessions/<pid>.json` (checked against the live pid and start
// time). One tmux call for the pane pids, then /proc and one small file per pane.
import { homedir } from 'node:os';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { scanPane, type ProcSource } from '../agent/proc-scan.js';
import { configDirOf } from '../agent/capture.js';
import { readRegistryEntry } from '../claude/session-registry.js';
import type { RegistryProbe } from './verify.js';

export function registryProbe(target: TmuxTarget, src: ProcSource = { root: '/proc' }): RegistryProbe {
  return async (panes) => {
    const found = new Map<string, string>();
    const out = await runTmux(target, ['list-panes', '-a', '-F', '#{pane_id}\t#{pane_pid}']);
    const pids = new Map<string, number>();
    for (const line of out.split('\n')) {
      const [id, pid] = line.split('\t');
      if (id !== undefined && pid !== undefined && /^\d+$/.test(pid)) pids.set(id, Number(pid));
    }
    for (const p of panes) {
      const pid = pids.get(p.paneId);
      if (pid === undefined) continue;
      const claude = scanPane(src, pid).claude;
      if (claude === null) continue;
      const entry = readRegistryEntry(configDirOf(claude.environ, homedir()), claude.pid, claude.startTicks);
      if (entry.kind === 'ok') found.set(p.paneId, entry.entry.sessionId);
    }
    return found;
  };
}
