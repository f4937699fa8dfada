import { execFile } from 'node:child_process';
import { TmuxError } from '../../common/base/errors.js';

/** Which tmux server to talk to: `-L name`, or tmux's default server when undefined. */
export interface TmuxTarget {
  socketName?: string;
  /** Absolute socket path (`-S`); used by the hook, which takes it from `$TMUX`. Never empty. */
  socketPath?: string;
  /** tmux binary, default `tmux` on PATH. */
  bin?: string;
}

/**
 * `--socket` / `$FLEETKEEPER_TMUX_SOCKET`, else the default server. A name is tmux's `-L`; an
 * absolute path is its `-S` (the tmux plugin passes `#{socket_path}`).
 */
export function tmuxTargetFrom(socketFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): TmuxTarget {
  const name = socketFlag ?? env.FLEETKEEPER_TMUX_SOCKET;
  if (name === undefined || name === '') return {};
  return name.startsWith('/') ? { socketPath: name } : { socketName: name };
}

export function socketArgs(target: TmuxTarget): string[] {
  if (target.socketPath !== undefined) {
    // `tmux -S ""` silently starts a server on an abstract socket: never pass an empty path.
    if (target.socketPath === '') throw new TmuxError('empty tmux socket path', 'no-server');
    return ['-S', target.socketPath];
  }
  if (target.socketName !== undefined) return ['-L', target.socketName];
  return [];
}

/** What one tmux invocation printed, and why it failed (null when it did not). */
export interface TmuxRun {
  out: string;
  error: TmuxError | null;
}

/** A chain's argv can be 16 KB: name its first command and how many there are instead. */
function describeArgs(args: readonly string[]): string {
  const commands = args.filter((a) => a === ';').length + 1;
  return commands > 1 ? `${args[0] ?? ''} … (${commands} chained commands)` : args.join(' ');
}

/**
 * Run one tmux command line (argv, never a shell string) and keep what it printed even when
 * it fails: tmux runs a chain (`;` as a separate argument) in order and stops at the first
 * refused command, so the output says how far it got. Never rejects.
 */
export function execTmux(target: TmuxTarget, args: readonly string[], timeoutMs = 10_000): Promise<TmuxRun> {
  const bin = target.bin ?? 'tmux';
  return new Promise((resolve) => {
    const fail = (message: string, reason: TmuxError['reason'], out: string): void =>
      resolve({ out, error: new TmuxError(message, reason) });
    execFile(
      bin,
      // -u: a client without a UTF-8 locale (cron, env -i, a bare service) gets every tab of a
      // -F format replaced by '_', and no field list parses (every daemon save was refused).
      ['-u', ...socketArgs(target), ...args],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const out = String(stdout);
        if (!err) return resolve({ out, error: null });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (e.code === 'ENOENT')
          return fail(`tmux not found (looked for ${JSON.stringify(bin)} on PATH)`, 'missing', out);
        if (e.killed) return fail(`tmux ${args[0] ?? ''} timed out after ${timeoutMs} ms`, 'timeout', out);
        const msg = String(stderr).trim();
        if (/no server running|error connecting to|No such file or directory|server exited/i.test(msg)) {
          const socket = target.socketName ? ` on socket ${JSON.stringify(target.socketName)}` : '';
          return fail(`no tmux server${socket}: ${msg}`, 'no-server', out);
        }
        fail(`tmux ${describeArgs(args)}: ${msg || e.message}`, 'command-failed', out);
      },
    );
  });
}

/** execTmux, for when only success matters: resolves with stdout, rejects with TmuxError naming the cause. */
export async function runTmux(target: TmuxTarget, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const { out, error } = await execTmux(target, args, timeoutMs);
  if (error !== null) throw error;
  return out;
}
