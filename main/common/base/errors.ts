// Typed errors whose messages name the bad value. Only entry points (CLI, daemon, app)
// decide exit codes and presentation; everything below throws these.

export class FleetkeeperError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input from a user or another program that we refuse (bad role, bad session id, bad flag). */
export class InvalidInputError extends FleetkeeperError {
  constructor(message: string) {
    super(message, 'invalid-input');
  }
}

/** A file on disk that does not validate (torn, bad checksum, not ours). */
export class CorruptFileError extends FleetkeeperError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`, 'corrupt-file');
  }
}

/** tmux is missing, has no server, or a tmux command failed. */
export class TmuxError extends FleetkeeperError {
  constructor(
    message: string,
    readonly reason: 'missing' | 'no-server' | 'command-failed' | 'timeout',
  ) {
    super(message, `tmux-${reason}`);
  }
}

/** A durable write that did not complete (short write, ENOSPC, fsync failure, bad read-back). */
export class WriteFailedError extends FleetkeeperError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`could not write ${path}: ${detail}`, 'write-failed');
  }
}

/** Another process holds the single-writer lock. */
export class LockedError extends FleetkeeperError {
  constructor(
    readonly holderPid: number,
    what: string,
  ) {
    super(`${what} is locked by process ${holderPid}`, 'locked');
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
