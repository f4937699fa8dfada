import type { HealthColour, HealthReport, HealthState, Problem } from '../base/types.js';
import type { SnapshotSummary } from '../snapshot/summary.js';
import type { HooksState } from '../claude/hook-entries.js';
import { formatAge } from '../base/format-age.js';
import { plural } from '../base/plural.js';

export interface HealthInput {
  now: Date;
  /** The newest snapshot that validated (content + checksum) when read back just now. */
  newest: SnapshotSummary | null;
  intervalS: number;
  graceS: number;
  staleAfterS: number;
  server: 'running' | 'running-empty' | 'none';
  lastSaveError: { at: string; reason: string; consecutive: number } | null;
  hooks: HooksState;
  unboundClaudePanes: number;
  problems: Problem[];
  /** Just woke from sleep: the saver has not had its chance yet, so stale shows as late. */
  wakeGraceUntil?: Date | null;
}

export const STATE_COLOUR: Readonly<Record<HealthState, HealthColour>> = {
  fresh: 'green',
  late: 'amber',
  stale: 'red',
  failing: 'red',
  'no-server': 'grey',
  'hooks-missing': 'amber',
};

/** A savedAt this far ahead of the clock is not skew but a clock that moved back. */
export const FUTURE_TOLERANCE_S = 60;

function withProblem(problems: Problem[], p: Problem): Problem[] {
  return problems.some((x) => x.code === p.code) ? problems : [...problems, p];
}

/**
 * The health table of DESIGN.md, computed from what was read back from disk and an injected
 * clock. Age comes only from the validated savedAt. Order of precedence:
 * no server → failing → (future-dated: late) → stale (late during wake grace) → late → hooks → fresh.
 */
export function computeHealth(input: HealthInput): HealthReport {
  const { newest, now } = input;
  const counts = newest
    ? { sessions: newest.sessions, windows: newest.windows, panes: newest.panes, claudePanes: newest.claudePanes }
    : { sessions: 0, windows: 0, panes: 0, claudePanes: 0 };
  let problems = [...input.problems];

  const savedMs = newest ? Date.parse(newest.savedAt) : NaN;
  const rawAgeS = newest && Number.isFinite(savedMs) ? (now.getTime() - savedMs) / 1000 : null;
  const future = rawAgeS !== null && rawAgeS < -FUTURE_TOLERANCE_S;
  // Small skew between processes reads as "just now"; whole seconds so the shown age and the
  // state always agree.
  const ageSeconds = rawAgeS === null || future ? null : Math.floor(Math.max(0, rawAgeS));
  const ageText = ageSeconds === null ? null : formatAge(ageSeconds, 'compact');
  const last = ageText === null ? 'no valid snapshot on disk' : `last snapshot ${ageText} ago`;

  const report = (state: HealthState, reason: string): HealthReport => ({
    state,
    colour: STATE_COLOUR[state],
    reason,
    ageSeconds,
    newestSnapshotId: newest?.id ?? null,
    counts,
    problems,
  });

  if (input.server === 'none') return report('no-server', `no tmux server is running; ${last}`);
  if (input.server === 'running-empty') return report('no-server', `the tmux server has no sessions; ${last}`);

  // A failure older than the newest good snapshot has been superseded by a successful save.
  const err = input.lastSaveError;
  const errMs = err ? Date.parse(err.at) : NaN;
  if (err && err.consecutive > 0 && !(Number.isFinite(savedMs) && Number.isFinite(errMs) && savedMs > errMs)) {
    const attempts = err.consecutive === 1 ? 'the last save attempt' : `the last ${err.consecutive} save attempts`;
    const reason = `${attempts} failed: ${err.reason}; ${last}`;
    problems = withProblem(problems, { code: 'save-failed', message: err.reason });
    return report('failing', reason);
  }

  if (future) {
    const ahead = formatAge(Math.floor(-(rawAgeS as number)), 'compact');
    return report(
      'late',
      `the newest snapshot is dated ${ahead} in the future (the clock moved back?), so its age is unknown; ` +
        'treat the backup as unverified until the next save',
    );
  }

  const freshLimit = input.intervalS + input.graceS;
  if (ageSeconds === null || ageSeconds > input.staleAfterS) {
    const why =
      ageSeconds === null
        ? 'no valid snapshot on disk'
        : `last snapshot ${ageText} ago, older than ${formatAge(input.staleAfterS, 'compact')}`;
    const waking = input.wakeGraceUntil != null && now.getTime() < input.wakeGraceUntil.getTime();
    if (waking) return report('late', `${why}; just woke from sleep, waiting for the first save`);
    return report('stale', `${why}, while the tmux server has sessions`);
  }
  if (ageSeconds > freshLimit) {
    return report('late', `${last}; saves are due every ${formatAge(input.intervalS, 'compact')}`);
  }

  const gaps: string[] = [];
  // Hooks matter for Claude panes: with none in the fleet, nothing is left uncovered, so the
  // badge stays green (the problem is still listed for `status` and `doctor`).
  const hooksMatter = counts.claudePanes > 0 || input.unboundClaudePanes > 0;
  if (!hooksMatter && input.hooks !== 'installed') {
    const code = input.hooks === 'outdated' ? 'hooks-outdated' : 'hooks-missing';
    problems = withProblem(problems, { code, message: `Claude hooks are ${input.hooks} (no Claude panes yet)` });
  } else if (input.hooks === 'missing') gaps.push('Claude hooks are not installed');
  else if (input.hooks === 'outdated') gaps.push('Claude hooks are outdated');
  else if (input.hooks === 'invalid')
    gaps.push("Claude's settings.json could not be read, so the hooks cannot be checked");
  if (input.unboundClaudePanes > 0) gaps.push(`${plural(input.unboundClaudePanes, 'Claude pane')} without a binding`);
  if (gaps.length > 0) {
    if (input.hooks === 'missing' || input.hooks === 'invalid')
      problems = withProblem(problems, { code: 'hooks-missing', message: gaps[0] as string });
    if (input.hooks === 'outdated')
      problems = withProblem(problems, { code: 'hooks-outdated', message: gaps[0] as string });
    if (input.unboundClaudePanes > 0) {
      problems = withProblem(problems, {
        code: 'unbound-claude-pane',
        message: `${plural(input.unboundClaudePanes, 'Claude pane')} without a binding`,
      });
    }
    return report('hooks-missing', `${gaps.join('; ')}; ${last}`);
  }
  return report('fresh', `${last} (${plural(counts.sessions, 'session')}, ${plural(counts.panes, 'pane')})`);
}
