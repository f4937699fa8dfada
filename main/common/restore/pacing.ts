// When to start the next Claude of a restore. A fixed stagger waits as long for a fast machine
// as for a slow one; this follows what Claude itself reports: a start is outstanding until its
// pane's SessionStart arrives or a cap elapses, at most K are outstanding at once, and after
// repeated failures (a wrong conversation, or silence until the cap) nothing more is started:
// a restore that hits a logged-out or broken Claude must not start twenty of them.
// Pure bookkeeping; the executor feeds it the clock and the journal.

export interface PacingPolicy {
  /** Starts outstanding at once at first (no SessionStart yet, cap not reached). */
  maxOutstanding: number;
  /**
   * Slow start: each right answer lets two more be outstanding, up to this (default: the same
   * as maxOutstanding, i.e. fixed). Measured on 2 cores: 16 Claudes typed at once all ran in
   * 9 s, 8 at a time took twice as long; growing on success keeps the brake's early protection
   * (few started before a failure shows) without the waves.
   */
  ceiling?: number;
  /** Longest wait for one start's SessionStart before it stops holding a slot (and counts as silent). */
  capMs: number;
  /** Failures in a row that stop launching. */
  brakeAfter: number;
  /** A fixed pace instead (`--stagger`): one start every this many ms, whatever Claude reports. */
  staggerMs?: number;
}

/**
 * K when the setting is 0. A Claude start waits on its own I/O most of the time: measured on 2
 * cores, 16 Claudes typed at once all ran within 9-12 s, while 8 at a time took 1.4-2× as long
 * (the second wave waits for the first). So eight per core (16 here), at most 32; the brake
 * still stops a failing restore before a bigger fleet is started.
 */
export function defaultMaxOutstanding(cores: number): number {
  return Math.max(8, Math.min(32, 8 * Math.max(1, Math.floor(cores))));
}

/** How far the default K grows while starts succeed. */
export const DEFAULT_CEILING = 48;

export type StartOutcome = 'verified' | 'wrong' | 'silent';

export interface Pacer {
  policy: PacingPolicy;
  /** paneId → when it was started (ms). */
  outstanding: Map<string, number>;
  lastStartMs: number | null;
  failuresInRow: number;
  /** Why launching stopped, once it did. */
  braked: string | null;
  outcomes: Map<string, StartOutcome>;
  /** How many may be outstanding now (grows on success up to the ceiling). */
  limit: number;
}

export function newPacer(policy: PacingPolicy): Pacer {
  if (!(policy.maxOutstanding >= 1)) throw new RangeError(`maxOutstanding must be at least 1`);
  return {
    policy,
    outstanding: new Map(),
    lastStartMs: null,
    failuresInRow: 0,
    braked: null,
    outcomes: new Map(),
    limit: policy.maxOutstanding,
  };
}

export function recordStart(p: Pacer, paneId: string, nowMs: number): void {
  p.outstanding.set(paneId, nowMs);
  p.lastStartMs = nowMs;
}

function fail(p: Pacer, paneId: string, outcome: StartOutcome): void {
  p.outcomes.set(paneId, outcome);
  p.failuresInRow++;
  if (p.braked === null && p.failuresInRow >= p.policy.brakeAfter)
    p.braked = `${p.failuresInRow} Claude starts in a row failed (wrong conversation or no SessionStart within ${Math.round(p.policy.capMs / 1000)} s): stopped launching`;
}

/** A SessionStart arrived from `paneId`: `right` when it carries the expected conversation. */
export function recordArrival(p: Pacer, paneId: string, right: boolean): void {
  const prev = p.outcomes.get(paneId);
  if (prev === 'verified' || prev === 'wrong') return;
  p.outstanding.delete(paneId);
  // Counted as a failure at the cap; now it has answered, judge it on its answer instead.
  if (prev === 'silent') p.failuresInRow = Math.max(0, p.failuresInRow - 1);
  if (right) {
    p.outcomes.set(paneId, 'verified');
    p.failuresInRow = 0;
    p.limit = Math.min(Math.max(p.policy.ceiling ?? 0, p.policy.maxOutstanding), p.limit + 2);
  } else fail(p, paneId, 'wrong');
}

/** Outstanding starts past the cap stop holding a slot and count as silent. Returns them. */
export function expire(p: Pacer, nowMs: number): string[] {
  const out: string[] = [];
  for (const [paneId, at] of p.outstanding) {
    if (nowMs - at < p.policy.capMs) continue;
    p.outstanding.delete(paneId);
    out.push(paneId);
    fail(p, paneId, 'silent');
  }
  return out;
}

/** How many starts may go now (0 once braked), and when to look again at the latest. */
export function slots(p: Pacer, nowMs: number): { launch: number; waitMs: number } {
  if (p.braked !== null) return { launch: 0, waitMs: 0 };
  const { staggerMs } = p.policy;
  if (staggerMs !== undefined) {
    const due = p.lastStartMs === null ? 0 : p.lastStartMs + staggerMs - nowMs;
    return due <= 0 ? { launch: 1, waitMs: staggerMs } : { launch: 0, waitMs: due };
  }
  const free = p.limit - p.outstanding.size;
  if (free > 0) return { launch: free, waitMs: 0 };
  const oldest = Math.min(...p.outstanding.values());
  return { launch: 0, waitMs: Math.max(0, oldest + p.policy.capMs - nowMs) };
}

/** The policy from the `launch` settings; `staggerMs` (the `--stagger` flag) asks for a fixed pace. */
export function pacingPolicy(
  launch: { maxOutstanding: number; capS: number; brakeAfter: number },
  cores: number,
  staggerMs?: number,
): PacingPolicy {
  // A K set by the user is exact; the default starts from the cores and grows on success.
  const policy: PacingPolicy = {
    maxOutstanding: launch.maxOutstanding > 0 ? launch.maxOutstanding : defaultMaxOutstanding(cores),
    capMs: launch.capS * 1000,
    brakeAfter: launch.brakeAfter,
  };
  if (launch.maxOutstanding === 0) policy.ceiling = DEFAULT_CEILING;
  if (staggerMs !== undefined) policy.staggerMs = staggerMs;
  return policy;
}
