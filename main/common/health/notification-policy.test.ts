import { describe, it, expect } from 'vitest';
import { NotificationPolicy, policyConfig, type PolicyConfig, type PolicyEvent } from './notification-policy.js';
import type { HealthReport, HealthState } from '../base/types.js';

const T0 = Date.parse('2025-06-03T10:00:00Z');

function h(state: HealthState, reason = '', ageSeconds: number | null = 30): PolicyEvent {
  const report: HealthReport = {
    state,
    colour: 'green',
    reason,
    ageSeconds,
    newestSnapshotId: 's',
    problems: [],
    counts: { sessions: 1, windows: 1, panes: 2, claudePanes: 1 },
  };
  return { kind: 'health', report };
}

type Step = [atSeconds: number, event: PolicyEvent, expected: string[]];

/** Runs a sequence against a clock we move; returns "urgency|title|body" per step. */
function run(steps: Step[], cfg: Partial<PolicyConfig> = {}): void {
  let now = T0;
  const policy = new NotificationPolicy(
    () => ({ renotifyMinutes: 15, wakeGraceS: 90, enabled: true, tzOffsetMinutes: 0, ...cfg }),
    () => new Date(now),
  );
  steps.forEach(([at, event, expected], i) => {
    now = T0 + at * 1000;
    const got = policy.handle(event).map((n) => `${n.urgency}|${n.title}|${n.body}`);
    expect(got, `step ${i} at ${at} s (${event.kind})`).toEqual(expected);
  });
}

const STALE = 'critical|Fleetkeeper: backups are STALE|no save for 6 min (last snapshot 6 min old)';

describe('notification policy: red, re-notify, recovery', () => {
  it('notifies on entering red, re-notifies every 15 min while red, and once on recovery', () => {
    run([
      [0, h('fresh'), []],
      [60, h('late', '1 save missed', 130), []],
      [360, h('stale', 'no save for 6 min', 360), [STALE]],
      [390, h('stale', 'no save for 6 min', 390), []],
      [360 + 14 * 60 + 59, h('stale', 'no save for 21 min', 1259), []],
      [
        360 + 15 * 60,
        h('stale', 'no save for 21 min', 1260),
        ['critical|Fleetkeeper: backups still stale|no save for 21 min (last snapshot 21 min old); red for 15 min'],
      ],
      [360 + 20 * 60, h('stale', 'x', 1560), []],
      [
        360 + 30 * 60,
        { kind: 'tick' },
        ['critical|Fleetkeeper: backups still stale|x (last snapshot 36 min old); red for 30 min'],
      ],
      [
        360 + 31 * 60,
        h('fresh', '', 5),
        ['normal|Fleetkeeper: backups are fresh again|last snapshot 5 s old; was red for 31 min'],
      ],
      [360 + 32 * 60, h('fresh', '', 65), []],
      [360 + 60 * 60, { kind: 'tick' }, []],
    ]);
  });

  it('uses the re-notify setting', () => {
    run(
      [
        [0, h('failing', 'disk full'), ['critical|Fleetkeeper: saves are FAILING|disk full (last snapshot 30 s old)']],
        [299, h('failing', 'disk full'), []],
        [
          300,
          h('failing', 'disk full'),
          ['critical|Fleetkeeper: saves still failing|disk full (last snapshot 30 s old); red for 5 min'],
        ],
      ],
      { renotifyMinutes: 5 },
    );
  });

  it('announces a change from stale to failing at once and keeps counting red from the start', () => {
    run([
      [0, h('stale', 'old'), ['critical|Fleetkeeper: backups are STALE|old (last snapshot 30 s old)']],
      [60, h('failing', 'EACCES'), ['critical|Fleetkeeper: saves are FAILING|EACCES (last snapshot 30 s old)']],
      [120, h('failing', 'EACCES'), []],
      [
        600,
        h('late', 'saving again'),
        ['normal|Fleetkeeper: saving again (still late)|last snapshot 30 s old; was red for 10 min'],
      ],
    ]);
  });

  it('treats amber and grey as not red: no notifications', () => {
    run([
      [0, h('hooks-missing', 'hooks'), []],
      [1, h('late', 'late'), []],
      [2, h('no-server', 'none'), []],
      [3, h('fresh'), []],
    ]);
  });

  it('reports red → no server as leaving red', () => {
    run([
      [0, h('stale', 'old', 400), ['critical|Fleetkeeper: backups are STALE|old (last snapshot 6 min old)']],
      [
        10,
        h('no-server', 'no tmux server', 410),
        ['normal|Fleetkeeper: tmux server gone, last snapshot kept|last snapshot 6 min old; was red for 10 s'],
      ],
    ]);
  });

  it('tracks state but sends nothing when notifications are off', () => {
    run(
      [
        [0, h('stale', 'old'), []],
        [1000, h('stale', 'old'), []],
        [1001, h('fresh'), []],
      ],
      { enabled: false },
    );
  });
});

describe('notification policy: sleep and start grace', () => {
  it('holds stale back after wake until the grace passes, then announces it', () => {
    run([
      [0, h('fresh'), []],
      [3600, { kind: 'wake' }, []],
      [3601, h('stale', 'no save for 1 h', 3600), []],
      [3689, h('stale', 'no save for 1 h', 3689), []],
      [
        3690,
        h('stale', 'no save for 1 h', 3690),
        ['critical|Fleetkeeper: backups are STALE|no save for 1 h (last snapshot 1 h 1 min old)'],
      ],
    ]);
  });

  it('says nothing when the save on wake makes it fresh within the grace', () => {
    run([
      [0, h('fresh'), []],
      [7200, { kind: 'wake' }, []],
      [7201, h('stale', 'old', 7200), []],
      [7205, h('fresh', '', 1), []],
      [9000, h('fresh', '', 1), []],
    ]);
  });

  it('still reports a real failure during the wake grace', () => {
    run([
      [0, { kind: 'wake' }, []],
      [
        5,
        h('failing', 'tmux: permission denied'),
        ['critical|Fleetkeeper: saves are FAILING|tmux: permission denied (last snapshot 30 s old)'],
      ],
    ]);
  });

  it('does not re-notify a red that was announced before sleep while the grace runs', () => {
    run([
      [0, h('stale', 'old'), ['critical|Fleetkeeper: backups are STALE|old (last snapshot 30 s old)']],
      [3600, { kind: 'wake' }, []],
      [3610, h('stale', 'old'), []],
      [
        3700,
        h('stale', 'old'),
        ['critical|Fleetkeeper: backups still stale|old (last snapshot 30 s old); red for 1 h 1 min'],
      ],
    ]);
  });

  it('gives the app start the same grace (the first save has not run yet)', () => {
    run([
      [0, { kind: 'start' }, []],
      [2, h('stale', 'old', 86_400), []],
      [4, h('fresh', '', 1), []],
    ]);
  });
});

describe('notification policy: restore', () => {
  it('offers a restore after a reboot once per snapshot, with a click that previews it', () => {
    let now = T0;
    const p = new NotificationPolicy(
      () => ({ renotifyMinutes: 15, wakeGraceS: 0, enabled: true, tzOffsetMinutes: 60 }),
      () => new Date(now),
    );
    const offer: PolicyEvent = {
      kind: 'restore-available',
      snapshotId: '20250602T215800000Z-0009',
      sessions: 3,
      conversations: 8,
      savedAt: '2025-06-02T21:58:00Z',
    };
    expect(p.handle(offer)).toEqual([
      {
        title: 'Fleetkeeper: restore available',
        body: 'Restore available: 3 sessions, 8 conversations from yesterday 22:58',
        urgency: 'normal',
        action: 'restore-preview:20250602T215800000Z-0009',
      },
    ]);
    now += 60_000;
    expect(p.handle(offer)).toEqual([]);
    expect(p.handle({ ...offer, snapshotId: '20250602T215800000Z-0010', sessions: 1, conversations: 1 })[0]!.body).toBe(
      'Restore available: 1 session, 1 conversation from yesterday 22:58',
    );
  });

  it('falls back to opening the dashboard when the snapshot id is not one of ours', () => {
    const p = new NotificationPolicy(
      () => ({ renotifyMinutes: 15, wakeGraceS: 0, enabled: true, tzOffsetMinutes: 0 }),
      () => new Date(T0),
    );
    const [n] = p.handle({
      kind: 'restore-available',
      snapshotId: '../x',
      sessions: 1,
      conversations: 0,
      savedAt: '2025-06-03T09:00:00Z',
    });
    expect(n!.action).toBe('open-dashboard');
  });

  it.each([
    [
      { verified: 8, wrong: 0, silent: 0, shells: 4 },
      'normal|Fleetkeeper: restore finished|verified 8 of 8; 4 shells opened',
    ],
    [
      { verified: 6, wrong: 1, silent: 1, shells: 0 },
      'critical|Fleetkeeper: restore needs attention|verified 6 of 8 (1 wrong, 1 silent)',
    ],
    [
      { verified: 2, wrong: 0, silent: 1, shells: 1 },
      'critical|Fleetkeeper: restore needs attention|verified 2 of 3 (1 silent); 1 shell opened',
    ],
    [
      { verified: 0, wrong: 0, silent: 0, shells: 3 },
      'normal|Fleetkeeper: restore finished|no conversations to resume; 3 shells opened',
    ],
  ])('restore result %j', (counts, line) => {
    run([[0, { kind: 'restore-result', snapshotId: 's', ...counts }, [line]]]);
  });
});

describe('policyConfig', () => {
  const s = { renotifyMinutes: 15, graceS: 30, intervalS: 60, notifications: false };
  it('maps the settings: wake grace is grace + interval, and `notifications` gates the desktop only', () => {
    expect(policyConfig(s, { desktop: true, tzOffsetMinutes: 60 })).toEqual({
      renotifyMinutes: 15,
      wakeGraceS: 90,
      enabled: false,
      tzOffsetMinutes: 60,
    });
    expect(policyConfig(s, { desktop: false, tzOffsetMinutes: 0 }).enabled).toBe(true);
    // The daemon's --interval overrides the stored interval.
    expect(policyConfig(s, { desktop: true, tzOffsetMinutes: 0, intervalS: 10 }).wakeGraceS).toBe(40);
  });
});
