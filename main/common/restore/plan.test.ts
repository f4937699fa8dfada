import { describe, it, expect } from 'vitest';
import type { Binding, PaneSnapshot, Snapshot, WindowSnapshot } from '../base/types.js';
import { planRestore, tmuxSessionName, type PlanEnv, type PlannedPane } from './plan.js';

const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';
const ID3 = '33333333-3333-4333-8333-333333333333';
const instance = { socketPath: '/tmp/tmux-0/default', pid: 10, startTime: 1000 };

function binding(sessionId: string, cwd: string, extra: Partial<Binding> = {}): Binding {
  return {
    sessionId,
    transcriptPath: `/c/projects/p/${sessionId}.jsonl`,
    cwd,
    source: 'startup',
    boundAt: '2025-01-01T00:00:00.000Z',
    eventId: `e-${sessionId}`,
    ...extra,
  };
}

function pane(index: number, role: string, cwd: string, b: Binding | null, active = index === 0): PaneSnapshot {
  return { index, id: `%${index}`, role, cwd, currentCommand: b ? 'claude' : 'bash', title: '', active, binding: b };
}

function win(index: number, panes: PaneSnapshot[], extra: Partial<WindowSnapshot> = {}): WindowSnapshot {
  return {
    index,
    id: `@${index}`,
    name: `w${index}`,
    layout: 'b25f,80x24,0,0,0',
    active: index === 0,
    zoomed: false,
    panes,
    ...extra,
  };
}

function snap(sessions: { name: string; windows: WindowSnapshot[] }[]): Snapshot {
  return {
    format: 'fleetkeeper-snapshot',
    version: 1,
    id: 'snap-1',
    savedAt: '2025-01-01T00:01:00.000Z',
    trigger: 'interval',
    instance,
    sessions: sessions.map((s, i) => ({ name: s.name, id: `$${i}`, windows: s.windows })),
    checksum: 'sha256:x',
  };
}

function env(over: Partial<PlanEnv> & { dirs?: string[]; transcripts?: string[] } = {}): PlanEnv {
  const dirs = new Set(over.dirs ?? ['/proj', '/proj/a', '/home/u']);
  const transcripts = new Set(over.transcripts ?? [ID1, ID2, ID3].map((id) => `/c/projects/p/${id}.jsonl`));
  return {
    existingSessions: over.existingSessions ?? new Set(),
    liveRoles: over.liveRoles ?? new Set(),
    dirExists: (p) => dirs.has(p),
    transcriptExists: (p) => transcripts.has(p),
    titleOf: over.titleOf ?? ((p) => `title of ${p.split('/').pop() ?? ''}`),
    home: '/home/u',
  };
}

function onlyPane(b: Binding | null, e: PlanEnv = env(), cwd = '/proj', role = 'api'): PlannedPane {
  const plan = planRestore(snap([{ name: 's', windows: [win(0, [pane(0, role, cwd, b)])] }]), e);
  const p = plan.sessions[0]?.windows[0]?.panes[0];
  if (!p) throw new Error('no pane planned');
  return p;
}

describe('planRestore: which panes resume', () => {
  const cases: { name: string; b: Binding | null; action: 'resume' | 'shell'; reason?: RegExp }[] = [
    { name: 'live binding (no end) resumes', b: binding(ID1, '/proj'), action: 'resume' },
    {
      name: "binding ended 'other' (reboot / kill-server) still resumes",
      b: binding(ID1, '/proj', { endedAt: '2025-01-01T00:00:30.000Z', endReason: 'other' }),
      action: 'resume',
    },
    {
      name: 'user exited with /exit comes back as a shell',
      b: binding(ID1, '/proj', { endedAt: 'x', endReason: 'prompt_input_exit' }),
      action: 'shell',
      reason: /Claude was exited before the snapshot/,
    },
    {
      name: 'logout comes back as a shell',
      b: binding(ID1, '/proj', { endedAt: 'x', endReason: 'logout' }),
      action: 'shell',
      reason: /exited before the snapshot \(logout\)/,
    },
    { name: 'no binding', b: null, action: 'shell', reason: /^no Claude binding/ },
    {
      name: 'session id that is not a UUID is never typed',
      b: binding('$(rm -rf ~)', '/proj'),
      action: 'shell',
      reason: /not a UUID/,
    },
    { name: 'binding cwd gone', b: binding(ID1, '/gone'), action: 'shell', reason: /"\/gone" no longer exists/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = onlyPane(c.b);
      expect(p.action).toBe(c.action);
      if (c.reason) expect(p.reason).toMatch(c.reason);
      if (c.action === 'resume') {
        expect(p.sessionId).toBe(ID1);
        expect(p.reason).toBeUndefined();
      }
      if (c.action === 'shell' && c.b && !/^[0-9a-f-]{36}$/.test(c.b.sessionId)) expect(p.sessionId).toBeUndefined();
    });
  }

  it('transcript gone: a shell, and the reason names the path', () => {
    const p = onlyPane(binding(ID1, '/proj'), env({ transcripts: [] }));
    expect(p.action).toBe('shell');
    expect(p.reason).toContain(`/c/projects/p/${ID1}.jsonl`);
    expect(p.reason).toContain('gone');
  });

  it('resumes carry the title of their own transcript', () => {
    const p = onlyPane(binding(ID2, '/proj'));
    expect(p.title).toBe(`title of ${ID2}.jsonl`);
  });
});

describe('planRestore: cwd', () => {
  it('a resume starts in the binding cwd, a shell in the pane cwd', () => {
    expect(onlyPane(binding(ID1, '/proj/a'), env(), '/proj').cwd).toBe('/proj/a');
    expect(onlyPane(null, env(), '/proj/a').cwd).toBe('/proj/a');
  });

  it('a pane cwd that is gone falls back to $HOME with a reason', () => {
    const p = onlyPane(null, env(), '/deleted/dir');
    expect(p.cwd).toBe('/home/u');
    expect(p.snapshotCwd).toBe('/deleted/dir');
    expect(p.reason).toMatch(/no Claude binding; directory "\/deleted\/dir" no longer exists: starting in \/home\/u/);
  });

  it('several panes sharing one cwd each keep their own session id', () => {
    const plan = planRestore(
      snap([
        {
          name: 's',
          windows: [
            win(0, [
              pane(0, 'a', '/proj', binding(ID1, '/proj'), false),
              pane(1, 'b', '/proj', binding(ID2, '/proj'), true),
              pane(2, 'c', '/proj', binding(ID3, '/proj')),
            ]),
          ],
        },
      ]),
      env(),
    );
    const panes = plan.sessions[0]?.windows[0]?.panes ?? [];
    expect(panes.map((p) => [p.role, p.action, p.sessionId, p.cwd])).toEqual([
      ['a', 'resume', ID1, '/proj'],
      ['b', 'resume', ID2, '/proj'],
      ['c', 'resume', ID3, '/proj'],
    ]);
    expect(panes.map((p) => p.active)).toEqual([false, true, false]);
    expect(plan.counts).toEqual({ sessions: 1, skipped: 0, panes: 3, resumes: 3, shells: 0 });
  });
});

describe('planRestore: sessions and roles', () => {
  const fleet = snap([
    {
      name: 'work',
      windows: [
        win(1, [pane(0, 'api', '/proj', binding(ID1, '/proj'))]),
        win(3, [pane(0, 'db', '/proj', null)], { active: true, zoomed: true }),
      ],
    },
    { name: 'ops', windows: [win(0, [pane(0, 'deploy', '/proj', binding(ID2, '/proj'))])] },
  ]);

  it('an existing session is skipped, never clobbered, and reported', () => {
    const plan = planRestore(fleet, env({ existingSessions: new Set(['ops']) }));
    expect(plan.sessions.map((s) => [s.name, s.action])).toEqual([
      ['work', 'create'],
      ['ops', 'skip-exists'],
    ]);
    expect(plan.sessions[1]?.reason).toMatch(/already exists/);
    expect(plan.sessions[1]?.windows[0]?.panes[0]).toMatchObject({ action: 'shell', applyRole: false });
    expect(plan.counts).toEqual({ sessions: 1, skipped: 1, panes: 2, resumes: 1, shells: 1 });
  });

  it('keeps window indexes, names, active window and zoom', () => {
    const s = planRestore(fleet, env()).sessions[0];
    expect(s?.windows.map((w) => [w.index, w.name, w.active, w.zoomed])).toEqual([
      [1, 'w1', false, false],
      [3, 'w3', true, true],
    ]);
  });

  it('a role already live in another pane: shell with a reason, role not re-applied', () => {
    const plan = planRestore(fleet, env({ liveRoles: new Set(['api']) }));
    const p = plan.sessions[0]?.windows[0]?.panes[0];
    expect(p).toMatchObject({ role: 'api', action: 'shell', applyRole: false });
    expect(p?.reason).toMatch(/role "api" is already live in another pane/);
    expect(plan.sessions[1]?.windows[0]?.panes[0]).toMatchObject({ action: 'resume', applyRole: true });
  });

  it('one conversation is never resumed in two panes, one role never applied twice', () => {
    const plan = planRestore(
      snap([
        {
          name: 's',
          windows: [
            win(0, [
              pane(0, 'x', '/proj', binding(ID1, '/proj')),
              pane(1, 'x', '/proj', null),
              pane(2, 'y', '/proj', binding(ID1, '/proj')),
            ]),
          ],
        },
      ]),
      env(),
    );
    const panes = plan.sessions[0]?.windows[0]?.panes ?? [];
    expect(panes.map((p) => [p.action, p.applyRole])).toEqual([
      ['resume', true],
      ['shell', false],
      ['shell', true],
    ]);
    expect(panes[1]?.reason).toMatch(/also held by s:0.0/);
    expect(panes[2]?.reason).toMatch(new RegExp(`conversation ${ID1} is already resumed in s:0.0`));
  });

  it("session names with ':' or '.' are planned under the name tmux will store", () => {
    expect(tmuxSessionName('a:b.c')).toBe('a_b_c');
    const plan = planRestore(
      snap([
        { name: 'a.b', windows: [win(0, [pane(0, 'r', '/proj', null)])] },
        { name: 'a:b', windows: [win(0, [pane(0, 'q', '/proj', null)])] },
      ]),
      env({ existingSessions: new Set() }),
    );
    expect(plan.sessions.map((s) => [s.name, s.action, s.renamedFrom])).toEqual([
      ['a_b', 'create', 'a.b'],
      ['a_b', 'skip-exists', 'a:b'],
    ]);
    expect(
      planRestore(
        snap([{ name: 'a.b', windows: [win(0, [pane(0, 'r', '/proj', null)])] }]),
        env({ existingSessions: new Set(['a_b']) }),
      ).sessions[0]?.action,
    ).toBe('skip-exists');
  });

  it('exactly one active pane per window even when the snapshot has none', () => {
    const plan = planRestore(
      snap([
        {
          name: 's',
          windows: [
            win(0, [pane(1, 'a', '/proj', null, false), pane(0, 'b', '/proj', null, false)], { active: false }),
          ],
        },
      ]),
      env(),
    );
    const w = plan.sessions[0]?.windows[0];
    expect(w?.active).toBe(true);
    expect(w?.panes.map((p) => [p.paneIndex, p.active])).toEqual([
      [0, true],
      [1, false],
    ]);
  });

  it('never looks at anything but the binding: no title lookup for a pane without one', () => {
    const looked: string[] = [];
    onlyPane(null, env({ titleOf: (p) => (looked.push(p), 'x') }));
    expect(looked).toEqual([]);
  });
});
