// The churning fleet of the soak: on its own tmux server, panes and windows (and now and then
// sessions) are created and killed, programs started in new panes and typed into existing
// shells and stopped again, windows renamed. One step at a time, seeded, bounded in size.
import { runTmux, type TmuxTarget } from '../main/node/tmux/exec.js';
import { SHELL_CMD } from './fleet.js';

const PROGRAMS = ['sleep 100000', 'tail -f /dev/null', 'top -d 5', 'less /etc/services'];
/** What stops a program typed into a shell: q for top and less, C-c for the rest. */
const STOP_KEYS: Record<string, string[]> = { top: ['q'], less: ['q'], sleep: ['C-c'], tail: ['C-c'] };
const MIN_PANES = 4;
const MAX_PANES = 30;

export interface ChurnCounts {
  steps: number;
  panesCreated: number;
  panesKilled: number;
  windowsCreated: number;
  windowsKilled: number;
  sessionsCreated: number;
  sessionsKilled: number;
  programsStarted: number;
  programsStopped: number;
  renames: number;
  /** Steps tmux refused (a pane too small to split, a target gone meanwhile): expected now and then. */
  refused: number;
}

interface PaneRow {
  id: string;
  session: string;
  window: string;
  command: string;
}

/** Small deterministic PRNG (mulberry32): a failing soak can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FleetChurn {
  readonly counts: ChurnCounts = {
    steps: 0,
    panesCreated: 0,
    panesKilled: 0,
    windowsCreated: 0,
    windowsKilled: 0,
    sessionsCreated: 0,
    sessionsKilled: 0,
    programsStarted: 0,
    programsStopped: 0,
    renames: 0,
    refused: 0,
  };
  private sessionSeq = 0;
  private readonly rand: () => number;

  constructor(
    readonly target: TmuxTarget,
    private readonly cwd: string,
    seed: number,
  ) {
    this.rand = prng(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }

  /** Starts the server with two sessions of two windows (what a restart of the server brings back too). */
  async startServer(): Promise<void> {
    for (let i = 0; i < 2; i++) await this.newSession();
  }

  private async newSession(): Promise<void> {
    const name = `soak-${this.sessionSeq++}`;
    await runTmux(this.target, ['new-session', '-d', '-s', name, '-c', this.cwd, '-x', '200', '-y', '60']);
    await runTmux(this.target, ['new-window', '-d', '-t', `${name}:`, '-c', this.cwd, this.pick(PROGRAMS)]);
    this.counts.sessionsCreated++;
    this.counts.windowsCreated++;
  }

  private async panes(): Promise<PaneRow[]> {
    const out = await runTmux(this.target, [
      'list-panes',
      '-a',
      '-F',
      '#{pane_id}\t#{session_name}\t#{window_id}\t#{pane_current_command}',
    ]);
    return out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [id = '', session = '', window = '', command = ''] = l.split('\t');
        return { id, session, window, command };
      });
  }

  /** One random change. Refusals by tmux (a target that vanished, no room to split) are counted, not thrown. */
  async step(): Promise<void> {
    this.counts.steps++;
    try {
      await this.change(await this.panes());
    } catch (err) {
      if ((err as { reason?: string }).reason === 'command-failed') this.counts.refused++;
      else throw err;
    }
  }

  private async change(panes: PaneRow[]): Promise<void> {
    const r = this.rand();
    const c = this.counts;
    const any = this.pick(panes);
    const grow = panes.length < MIN_PANES || (panes.length < MAX_PANES && r < 0.45);
    if (grow) {
      if (this.rand() < 0.5) {
        await runTmux(this.target, ['split-window', '-d', '-t', any.id, '-c', this.cwd, this.pick(PROGRAMS)]);
        c.panesCreated++;
      } else if (this.rand() < 0.9) {
        await runTmux(this.target, ['new-window', '-d', '-t', `${any.session}:`, '-c', this.cwd, SHELL_CMD]);
        c.windowsCreated++;
      } else {
        await this.newSession();
      }
      return;
    }
    const t = this.rand();
    if (t < 0.35) {
      await runTmux(this.target, ['kill-pane', '-t', any.id]);
      c.panesKilled++;
    } else if (t < 0.5 && new Set(panes.map((p) => p.window)).size > 1) {
      // Never the last window: that would end the server, which the soak does on purpose elsewhere.
      await runTmux(this.target, ['kill-window', '-t', any.window]);
      c.windowsKilled++;
    } else if (t < 0.55 && new Set(panes.map((p) => p.session)).size > 2) {
      await runTmux(this.target, ['kill-session', '-t', any.session]);
      c.sessionsKilled++;
    } else if (t < 0.85) {
      await this.startOrStopProgram(panes);
    } else {
      await runTmux(this.target, ['rename-window', '-t', any.window, `w${Math.floor(this.rand() * 1000)}`]);
      c.renames++;
    }
  }

  /** Types a program into a shell pane, or stops one a shell is running (the pane stays). */
  private async startOrStopProgram(panes: PaneRow[]): Promise<void> {
    const running = panes.filter((p) => STOP_KEYS[p.command] !== undefined);
    const shells = panes.filter((p) => p.command === 'bash');
    if (running.length > 0 && (shells.length === 0 || this.rand() < 0.5)) {
      const p = this.pick(running);
      await runTmux(this.target, ['send-keys', '-t', p.id, ...(STOP_KEYS[p.command] ?? [])]);
      this.counts.programsStopped++;
    } else if (shells.length > 0) {
      await runTmux(this.target, ['send-keys', '-t', this.pick(shells).id, this.pick(PROGRAMS), 'Enter']);
      this.counts.programsStarted++;
    }
  }
}
