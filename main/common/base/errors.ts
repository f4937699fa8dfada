// Typed errors whose messages name the bad value. Only entry points (CLI, daemon, app)
// decide exit codes and presentation; everything below throws these.

export type TmuxErrorReason = 'missing' | 'no-server' | 'command-failed' | 'timeout';

/**
 * Every code a FleetkeeperError carries, in one place: the CLI's --json output and the
 * dashboard's IPC errors hand these to other programs, so a code is never made up inline.
 */
export type ErrorCode =
  | 'invalid-input'
  | 'corrupt-file'
  | 'unsafe-file'
  | `tmux-${TmuxErrorReason}`
  | 'write-failed'
  | 'locked'
  | 'no-node'
  | 'save-failed'
  | 'notify-failed'
  | 'untrusted-sender'
  | 'service-conflict'
  | 'service-failed'
  | 'unsupported'
  | 'service-conflict'
  | 'service-failed'
  | 'unsupported'
  | typeof FALLBACK_ERROR_CODE;

/** The code of anything that is not a FleetkeeperError (a bug, or a Node error we did not wrap). */
export const FALLBACK_ERROR_CODE = 'internal';

/** ES2022 error options: the error this one wraps, kept for logs and debuggers. */
export interface ErrorOptions {
  cause?: unknown;
}

export class FleetkeeperError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
  }
}

/** Input from a user or another program that we refuse (bad role, bad session id, bad flag). */
export class InvalidInputError extends FleetkeeperError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'invalid-input', options);
  }
}

/** A file on disk that does not validate (torn, bad checksum, not ours). */
export class CorruptFileError extends FleetkeeperError {
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${detail}`, 'corrupt-file', options);
  }
}

/** tmux is missing, has no server, or a tmux command failed. */
export class TmuxError extends FleetkeeperError {
  constructor(
    message: string,
    readonly reason: TmuxErrorReason,
    options?: ErrorOptions,
  ) {
    super(message, `tmux-${reason}`, options);
  }
}

/** A durable write that did not complete (short write, ENOSPC, fsync failure, bad read-back). */
export class WriteFailedError extends FleetkeeperError {
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`could not write ${path}: ${detail}`, 'write-failed', options);
  }
}

/** Another process holds the single-writer lock. */
export class LockedError extends FleetkeeperError {
  constructor(
    readonly holderPid: number,
    what: string,
    options?: ErrorOptions,
  ) {
    super(`${what} is locked by process ${holderPid}`, 'locked', options);
  }
}

/** The code an entry point reports for `err`: its own, or the one fallback for the unexpected. */
export function errorCode(err: unknown): ErrorCode {
  return err instanceof FleetkeeperError ? err.code : FALLBACK_ERROR_CODE;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
