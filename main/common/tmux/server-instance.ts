import type { ServerInstance } from '../base/types.js';

// A tmux server instance is its socket, pid and start time: pane and session ids are only
// meaningful within one, and a restarted server on the same socket is another instance.

/** One server instance as a string (the key of restore-handled.json). */
export function instanceKey(i: ServerInstance): string {
  return `${i.socketPath}|${i.pid}|${i.startTime}`;
}

export function sameInstance(a: ServerInstance, b: ServerInstance | null | undefined): boolean {
  return b != null && a.socketPath === b.socketPath && a.pid === b.pid && a.startTime === b.startTime;
}
