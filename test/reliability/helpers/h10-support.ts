// Plumbing for the freshness, clock, tmux-going-away and hostile-name groups: a hand-built
// fleet, a CLI/daemon environment on an isolated tmux socket, and process helpers.
import { spawn, type ChildProcess } from 'node:child_process';
import type { FleetState } from '../../../main/common/base/types.js';
import { BIN } from './harness.js';
import { TmuxHarness, waitFor, processGone } from '../../helpers/tmux-harness.js';
import { isolatedEnv, simpleFleet } from '../../helpers/fixtures.js';

export { TmuxHarness, waitFor, processGone };

/** A one-session fleet as the fleet query would return it (what the daemon passes as `live`). */
export function handFleet(sessions = 1, pid = 4242): FleetState {
  return simpleFleet(
    sessions,
    { socketPath: '/tmp/tmux-0/fk-h10', pid, startTime: 1_700_000_000 },
    { role: (i) => `s${i}-0.0`, cwd: '/tmp', command: 'sh' },
  );
}

/** Environment for the CLI and daemon: private state dir, Claude dir and HOME; no $TMUX; a UTF-8 locale. */
export function cliEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return isolatedEnv(dir, { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...extra });
}

/** A long-running `fleetkeeper daemon`; its stderr log accumulates in `log`. */
export class DaemonProc {
  log = '';
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [BIN, 'daemon', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (b: Buffer) => (this.log += b.toString()));
    this.exited = new Promise((r) => this.child.on('exit', (code, signal) => r({ code, signal })));
  }
  get pid(): number {
    return this.child.pid ?? -1;
  }
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Kill an isolated server whose pid we know (never ask a stopped server anything). */
export async function killServer(tmux: TmuxHarness, pid: number | null): Promise<void> {
  if (pid !== null) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
  await tmux.kill();
  if (pid !== null) await waitFor(() => processGone(pid), 10_000, `tmux server ${pid} to exit`);
}
