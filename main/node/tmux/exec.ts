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

/**
 * Run one tmux command line (argv, never a shell string). Several commands can be chained in
 * one process by passing `;` as a separate argument. Rejects with TmuxError naming the cause.
 */
export function runTmux(target: TmuxTarget, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const bin = target.bin ?? 'tmux';
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...socketArgs(target), ...args],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (e.code === 'ENOENT')
          return reject(new TmuxError(`tmux not found (looked for ${JSON.stringify(bin)} on PATH)`, 'missing'));
        if (e.killed) return reject(new TmuxError(`tmux ${args[0] ?? ''} timed out after ${timeoutMs} ms`, 'timeout'));
        const msg = String(stderr).trim();
        if (/no server running|error connecting to|No such file or directory|server exited/i.test(msg)) {
          return reject(
            new TmuxError(
              `no tmux server${target.socketName ? ` on socket ${JSON.stringify(target.socketName)}` : ''}: ${msg}`,
              'no-server',
            ),
          );
        }
        reject(new TmuxError(`tmux ${args.join(' ')}: ${msg || e.message}`, 'command-failed'));
      },
    );
  });
}
