import { describe, it, expect } from 'vitest';
import type { Binding, PaneSnapshot, Snapshot } from '../base/types.js';
import { planRestore, type PlanEnv } from './plan.js';
import { selectParts } from './select.js';

const IDS = [
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '33333333-3333-4333-8333-333333333333',
];
const b = (id: string): Binding => ({
  sessionId: id,
  transcriptPath: `/t/${id}.jsonl`,
  cwd: '/p',
  source: 'startup',
  boundAt: '2025-01-01T00:00:00.000Z',
  eventId: `e-${id}`,
});
const pane = (index: number, role: string, bind: Binding | null): PaneSnapshot => ({
  index,
  id: `%${index}`,
  role,
  cwd: '/p',
  currentCommand: 'bash',
  title: '',
  active: index === 0,
  binding: bind,
});
const snapshot: Snapshot = {
  format: 'fleetkeeper-snapshot',
  version: 1,
  id: '20250101T000100000Z-abcd',
  savedAt: '2025-01-01T00:01:00.000Z',
  trigger: 'interval',
  instance: { socketPath: '/s', pid: 1, startTime: 1 },
  sessions: [
    {
      name: 'work',
      id: '$0',
      windows: [
        {
          index: 0,
          id: '@0',
          name: 'w',
          layout: 'b25f,80x24,0,0,0',
          active: true,
          zoomed: false,
          panes: [pane(0, 'api', b(IDS[0] as string)), pane(1, 'web', b(IDS[1] as string))],
        },
      ],
    },
    {
      name: 'ops',
      id: '$1',
      windows: [
        {
          index: 0,
          id: '@1',
          name: 'o',
          layout: 'b25f,80x24,0,0,0',
          active: true,
          zoomed: false,
          panes: [pane(0, 'deploy', b(IDS[2] as string))],
        },
      ],
    },
  ],
  checksum: 'sha256:x',
};
const env = (over: Partial<PlanEnv> = {}): PlanEnv => ({
  existingSessions: new Set(),
  liveRoles: new Set(),
  dirExists: () => true,
  transcriptExists: () => true,
  titleOf: () => null,
  home: '/h',
  ...over,
});

describe('selectParts', () => {
  const full = planRestore(snapshot, env());

  it('everything when nothing is picked', () => {
    expect(selectParts(full, { sessions: [], roles: [] })).toBe(full);
  });

  it('--session: only that session; the rest stays on offer', () => {
    const p = selectParts(full, { sessions: ['ops'] });
    expect(p.sessions.map((s) => s.action)).toEqual(['not-selected', 'create']);
    expect(p.counts).toEqual({ sessions: 1, skipped: 1, panes: 1, resumes: 1, shells: 0 });
  });

  it('--role: its session comes back whole, only that role resumes, the others are deferred shells', () => {
    const p = selectParts(full, { roles: ['web'] });
    const panes = p.sessions[0]?.windows[0]?.panes ?? [];
    expect(p.sessions.map((s) => s.action)).toEqual(['create', 'not-selected']);
    expect(panes.map((x) => [x.role, x.action, x.deferred === true])).toEqual([
      ['api', 'shell', true],
      ['web', 'resume', false],
    ]);
    expect(panes[0]?.sessionId).toBe(IDS[0]);
    expect(p.counts).toMatchObject({ sessions: 1, panes: 2, resumes: 1, shells: 1 });
  });

  it('--session and --role combine; a shell switch keeps the conversation on offer', () => {
    const p = selectParts(full, { sessions: ['ops'], roles: ['api'], shellRoles: ['deploy'] });
    expect(p.sessions.map((s) => s.action)).toEqual(['create', 'create']);
    expect(p.sessions[1]?.windows[0]?.panes[0]).toMatchObject({ action: 'shell', deferred: true, sessionId: IDS[2] });
  });

  it('an unknown session or role is refused, named', () => {
    expect(() => selectParts(full, { sessions: ['nope'] })).toThrow(/"nope"/);
    expect(() => selectParts(full, { roles: ['ghost'] })).toThrow(/"ghost"/);
  });

  it('a session an earlier restore of this snapshot built is completed: only its idle, untyped panes resume', () => {
    const own = new Map([
      [
        'work',
        {
          snapshotId: snapshot.id,
          panes: new Map([
            ['api', { paneId: '%5', idle: false }],
            ['web', { paneId: '%6', idle: true }],
          ]),
        },
      ],
    ]);
    const p = planRestore(
      snapshot,
      env({ existingSessions: new Set(['work']), liveRoles: new Set(['api', 'web']), ownSessions: own }),
    );
    expect(p.sessions[0]?.action).toBe('complete');
    const panes = p.sessions[0]?.windows[0]?.panes ?? [];
    expect(panes.map((x) => [x.role, x.action, x.livePaneId])).toEqual([
      ['api', 'shell', undefined],
      ['web', 'resume', '%6'],
    ]);
    expect(p.counts).toMatchObject({ sessions: 2, panes: 2, resumes: 2 });
    // Another snapshot's restore, or nothing left to do: skipped as before.
    const other = planRestore(
      snapshot,
      env({
        existingSessions: new Set(['work']),
        ownSessions: new Map([['work', { snapshotId: 'x', panes: new Map() }]]),
      }),
    );
    expect(other.sessions[0]?.action).toBe('skip-exists');
    const done = new Map([
      [
        'work',
        {
          snapshotId: snapshot.id,
          panes: new Map([
            ['api', { paneId: '%5', idle: false }],
            ['web', { paneId: '%6', idle: false }],
          ]),
        },
      ],
    ]);
    expect(
      planRestore(snapshot, env({ existingSessions: new Set(['work']), ownSessions: done })).sessions[0],
    ).toMatchObject({
      action: 'skip-exists',
      reason: 'already restored from this snapshot',
    });
  });
});

describe('selectParts on a session being completed', () => {
  it('--role narrows what is completed; the counts match what will be typed', () => {
    const own = new Map([
      [
        'work',
        {
          snapshotId: snapshot.id,
          panes: new Map([
            ['api', { paneId: '%5', idle: true }],
            ['web', { paneId: '%6', idle: true }],
          ]),
        },
      ],
    ]);
    const full = planRestore(snapshot, env({ existingSessions: new Set(['work']), ownSessions: own }));
    const p = selectParts(full, { roles: ['web'] });
    expect(p.sessions[0]?.action).toBe('complete');
    expect(p.counts).toMatchObject({ sessions: 1, panes: 1, resumes: 1, shells: 0 });
  });
});
