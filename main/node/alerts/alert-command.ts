import { spawn } from 'node:child_process';

// The user's alertCommand, run the way a crontab line or systemd's ExecStart-by-shell is: one
// string through `/bin/sh -c`, so pipes, redirections and quoting work as typed (it comes from
// the user's own settings file in their private state dir, never from anything we read from
// panes or hooks). The alert arrives as one JSON document on stdin and in a few variables.

export interface AlertCommandResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The tail of what it printed on stderr (bounded), for the failure line. */
  stderr: string;
  detail: string;
}

const MAX_CAPTURE = 4096;

export function runAlertCommand(
  command: string,
  input: { event: string; state: string; title: string; body: string; document: unknown },
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; shell?: string } = {},
): Promise<AlertCommandResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (r: Omit<AlertCommandResult, 'stderr' | 'detail'>, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const tail = stderr.trim().split('\n').slice(-1)[0] ?? '';
      const detail = r.ok
        ? 'exit 0'
        : spawnError !== undefined
          ? `could not start ${opts.shell ?? '/bin/sh'}: ${spawnError}`
          : r.timedOut
            ? `killed after ${timeoutMs} ms (timeout)`
            : `${r.signal !== null ? `killed by ${r.signal}` : `exit ${r.exitCode}`}${tail ? `: ${tail}` : ''}`;
      resolve({ ...r, stderr: stderr.slice(-MAX_CAPTURE), detail });
    };
    // Its own process group, so a timeout ends the whole pipeline, not just the shell.
    const child = spawn(opts.shell ?? '/bin/sh', ['-c', command], {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: {
        ...(opts.env ?? process.env),
        FLEETKEEPER_EVENT: input.event,
        FLEETKEEPER_STATE: input.state,
        FLEETKEEPER_TITLE: input.title,
        FLEETKEEPER_BODY: input.body,
      },
    });
    const killGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 2000).unref();
    }, timeoutMs);
    child.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-MAX_CAPTURE);
    });
    child.on('error', (err) =>
      finish({ ok: false, exitCode: null, signal: null, timedOut: false }, (err as Error).message),
    );
    child.on('close', (code, signal) =>
      finish({ ok: code === 0 && !timedOut, exitCode: code, signal: signal ?? null, timedOut }),
    );
    // A command that never reads its stdin closes the pipe: EPIPE is not a failure of the alert.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(`${JSON.stringify(input.document)}\n`);
  });
}
