// When to notify, as a pure state machine over health reports and app events with the clock
// passed in: entering red, re-notifying while red, recovering, a restore offer after a reboot,
// and restore results. The shell only delivers what this returns.
import { actionId, isSnapshotIdLike, type ActionId } from '../tray/action-dispatch.js';
import type { HealthReport, HealthState } from '../base/types.js';
import type { Settings } from '../settings/settings-model.js';
import { formatAge } from '../base/format-age.js';
import { plural } from '../base/plural.js';
import { formatLocalTime } from '../tray/menu-template.js';

export interface PolicyNotification {
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
  /** What a click does, where the platform delivers clicks. */
  action: ActionId;
  /** For the alert channels beyond the desktop (alertCommand): which edge of red this is. */
  event?: 'red' | 'renotify' | 'recovery';
}

export interface PolicyConfig {
  renotifyMinutes: number;
  /** After a wake (or app start) a stale report is held back this long; failures are not. */
  wakeGraceS: number;
  enabled: boolean;
  tzOffsetMinutes: number;
}

/**
 * The policy's settings from the user's: one mapping for the app, the daemon and the alert
 * channels. `desktop`: whether this policy drives desktop notifications (the `notifications`
 * setting turns those off; alertCommand and heartbeats follow their own). `intervalS`: the
 * save interval in force when it is not the stored one (the daemon's --interval).
 */
export function policyConfig(
  s: Pick<Settings, 'renotifyMinutes' | 'graceS' | 'intervalS' | 'notifications'>,
  opts: { desktop: boolean; tzOffsetMinutes: number; intervalS?: number },
): PolicyConfig {
  return {
    renotifyMinutes: s.renotifyMinutes,
    wakeGraceS: s.graceS + (opts.intervalS ?? s.intervalS),
    enabled: opts.desktop ? s.notifications : true,
    tzOffsetMinutes: opts.tzOffsetMinutes,
  };
}

export type PolicyEvent =
  | { kind: 'health'; report: HealthReport }
  | { kind: 'tick' }
  | { kind: 'start' }
  | { kind: 'wake' }
  | { kind: 'restore-available'; snapshotId: string; sessions: number; conversations: number; savedAt: string }
  | { kind: 'restore-result'; snapshotId: string; verified: number; wrong: number; silent: number; shells: number };

type RedKind = 'stale' | 'failing';

export interface PolicyState {
  red: { kind: RedKind; since: number; lastNotifiedAt: number } | null;
  last: HealthReport | null;
  /** When `last` arrived, so a tick can age it. */
  lastAt: number | null;
  graceUntil: number | null;
  /** Snapshot ids already offered after a reboot (offered once, not on every report). */
  offered: string[];
}

export const INITIAL_POLICY_STATE: PolicyState = { red: null, last: null, lastAt: null, graceUntil: null, offered: [] };

const RED_TITLE: Readonly<Record<RedKind, [first: string, again: string]>> = {
  stale: ['Fleetkeeper: backups are STALE', 'Fleetkeeper: backups still stale'],
  failing: ['Fleetkeeper: saves are FAILING', 'Fleetkeeper: saves still failing'],
};

const RECOVERED_TITLE: Readonly<Record<Exclude<HealthState, RedKind>, string>> = {
  fresh: 'Fleetkeeper: backups are fresh again',
  late: 'Fleetkeeper: saving again (still late)',
  'hooks-missing': 'Fleetkeeper: saving again, Claude hooks missing',
  'no-server': 'Fleetkeeper: tmux server gone, last snapshot kept',
};

function redKind(state: HealthState): RedKind | null {
  return state === 'stale' || state === 'failing' ? state : null;
}

function ageText(r: HealthReport): string {
  return r.ageSeconds === null ? 'no snapshot on disk' : `last snapshot ${formatAge(r.ageSeconds)} old`;
}

function inGrace(s: PolicyState, now: number): boolean {
  return s.graceUntil !== null && now < s.graceUntil;
}

function onHealth(
  s: PolicyState,
  r: HealthReport,
  now: number,
  cfg: PolicyConfig,
): [PolicyState, PolicyNotification[]] {
  const kind = redKind(r.state);
  // A sleeping laptop is not a stale backup: hold stale back until the grace passes. A real
  // failure after wake is not held back.
  if (kind === 'stale' && inGrace(s, now)) return [{ ...s, last: r, lastAt: now }, []];
  const next: PolicyState = { ...s, last: r, lastAt: now };
  if (kind !== null) {
    const reason = r.reason.trim() || r.state;
    // Health reasons usually say the age already; say it once.
    const body = /\bsnapshot\b/.test(reason) ? reason : `${reason} (${ageText(r)})`;
    if (s.red === null || s.red.kind !== kind) {
      next.red = { kind, since: s.red?.since ?? now, lastNotifiedAt: now };
      return [next, [{ title: RED_TITLE[kind][0], body, urgency: 'critical', action: 'open-dashboard', event: 'red' }]];
    }
    if (now - s.red.lastNotifiedAt >= cfg.renotifyMinutes * 60_000) {
      next.red = { ...s.red, lastNotifiedAt: now };
      const red = `red for ${formatAge((now - s.red.since) / 1000)}`;
      return [
        next,
        [
          {
            title: RED_TITLE[kind][1],
            body: `${body}; ${red}`,
            urgency: 'critical',
            action: 'open-dashboard',
            event: 'renotify',
          },
        ],
      ];
    }
    return [next, []];
  }
  if (s.red !== null) {
    next.red = null;
    const state = r.state as Exclude<HealthState, RedKind>;
    const body = `${ageText(r)}; was red for ${formatAge((now - s.red.since) / 1000)}`;
    return [
      next,
      [{ title: RECOVERED_TITLE[state], body, urgency: 'normal', action: 'open-dashboard', event: 'recovery' }],
    ];
  }
  return [next, []];
}

function restoreResult(e: Extract<PolicyEvent, { kind: 'restore-result' }>): PolicyNotification {
  const n = e.verified + e.wrong + e.silent;
  const problems = [e.wrong > 0 ? `${e.wrong} wrong` : '', e.silent > 0 ? `${e.silent} silent` : ''].filter(Boolean);
  const shells = e.shells > 0 ? `; ${plural(e.shells, 'shell')} opened` : '';
  const body =
    n === 0
      ? `no conversations to resume${shells}`
      : `verified ${e.verified} of ${n}${problems.length ? ` (${problems.join(', ')})` : ''}${shells}`;
  return {
    title: problems.length ? 'Fleetkeeper: restore needs attention' : 'Fleetkeeper: restore finished',
    body,
    urgency: problems.length ? 'critical' : 'normal',
    action: 'open-dashboard',
  };
}

/** One step of the machine. Notifications are computed even when disabled, then dropped. */
export function policyStep(
  s: PolicyState,
  e: PolicyEvent,
  now: Date,
  cfg: PolicyConfig,
): { state: PolicyState; notifications: PolicyNotification[] } {
  const t = now.getTime();
  let state = s;
  let out: PolicyNotification[] = [];
  switch (e.kind) {
    case 'health':
      [state, out] = onHealth(s, e.report, t, cfg);
      break;
    case 'tick':
      // Between reports, re-check the re-notify timer with the last report aged to now.
      if (s.last !== null && s.lastAt !== null) {
        const aged = s.last.ageSeconds === null ? null : s.last.ageSeconds + Math.max(0, t - s.lastAt) / 1000;
        [state, out] = onHealth(s, { ...s.last, ageSeconds: aged }, t, cfg);
      }
      break;
    case 'start':
    case 'wake':
      state = { ...s, graceUntil: t + cfg.wakeGraceS * 1000 };
      break;
    case 'restore-available':
      if (!s.offered.includes(e.snapshotId)) {
        state = { ...s, offered: [...s.offered, e.snapshotId].slice(-20) };
        const when = formatLocalTime(e.savedAt, now, cfg.tzOffsetMinutes);
        out = [
          {
            title: 'Fleetkeeper: restore available',
            body: `Restore available: ${plural(e.sessions, 'session')}, ${plural(e.conversations, 'conversation')} from ${when}`,
            urgency: 'normal',
            action: isSnapshotIdLike(e.snapshotId)
              ? actionId({ kind: 'restore-preview', snapshotId: e.snapshotId })
              : 'open-dashboard',
          },
        ];
      }
      break;
    case 'restore-result':
      out = [restoreResult(e)];
      break;
  }
  return { state, notifications: cfg.enabled ? out : [] };
}

/** The machine with its state and an injected clock, for the app shell. */
export class NotificationPolicy {
  private state: PolicyState = INITIAL_POLICY_STATE;

  constructor(
    private readonly config: () => PolicyConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  handle(event: PolicyEvent): PolicyNotification[] {
    const r = policyStep(this.state, event, this.clock(), this.config());
    this.state = r.state;
    return r.notifications;
  }

  get current(): PolicyState {
    return this.state;
  }
}
