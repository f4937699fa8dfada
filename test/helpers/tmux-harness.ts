import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** An isolated tmux server for one test: its own socket name, killed (and waited for) at the end. */
export class TmuxHarness {
  readonly socket = `fk-e2e-${randomBytes(4).toString('hex')}`;
  constructor(readonly env: NodeJS.ProcessEnv) {}

  async run(...args: string[]): Promise<string> {
    const { stdout } = await execFileP('tmux', ['-L', this.socket, ...args], { env: this.env, encoding: 'utf8' });
    return stdout;
  }

  async capture(pane: string): Promise<string> {
    return this.run('capture-pane', '-p', '-J', '-S', '-200', '-t', pane);
  }

  async serverPid(): Promise<number | null> {
    try {
      return Number((await this.run('display', '-p', '#{pid}')).trim());
    } catch {
      return null;
    }
  }

  /** kill-server returns before the server is gone: wait for its pid to exit. */
  async kill(): Promise<void> {
    const pid = await this.serverPid();
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { env: this.env, stdio: 'ignore' });
    } catch {
      // already gone
    }
    if (pid === null) return;
    await waitFor(() => processGone(pid), 10_000, `tmux server ${pid} to exit`);
  }
}

export async function waitFor(
  pred: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 200,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Gone, or a zombie nobody reaps (containers without an init that reaps daemonised tmux). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
