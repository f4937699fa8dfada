import { describe, it, expect } from 'vitest';
import type { HealthState } from '../base/types.js';
import type { SnapshotSummary } from '../snapshot/summary.js';
import { computeHealth, type HealthInput } from './health.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const I = 60;
const G = 30;
const STALE = 300;

function newest(ageS: number): SnapshotSummary {
  return {
    id: '20261123T115900000Z-0001',
    file: 'x.json',
    savedAt: new Date(NOW.getTime() - ageS * 1000).toISOString(),
    trigger: 'interval',
    instance: { socketPath: '/s', pid: 1, startTime: 1 },
    sessions: 3,
    windows: 5,
    panes: 9,
    claudePanes: 4,
  };
}

function input(over: Partial<HealthInput> = {}): HealthInput {
  return {
    now: NOW,
    newest: newest(10),
    intervalS: I,
    graceS: G,
    staleAfterS: STALE,
    server: 'running',
    lastSaveError: null,
    hooks: 'installed',
    unboundClaudePanes: 0,
    problems: [],
    ...over,
  };
}

const at = (ageS: number, over: Partial<HealthInput> = {}) => computeHealth(input({ newest: newest(ageS), ...over }));

describe('computeHealth: the freshness table at exact boundaries', () => {
  const table: Array<[number, HealthState]> = [
    [0, 'fresh'],
    [I + G - 1, 'fresh'],
    [I + G, 'fresh'],
    [I + G + 1, 'late'],
    [STALE - 1, 'late'],
    [STALE, 'late'],
    [STALE + 1, 'stale'],
    [86_400, 'stale'],
  ];
  for (const [age, state] of table) {
    it(`age ${age}s → ${state}`, () => {
      const r = at(age);
      expect(r.state).toBe(state);
      expect(r.ageSeconds).toBe(age);
      expect(r.colour).toBe({ fresh: 'green', late: 'amber', stale: 'red' }[state as 'fresh']);
    });
  }

  it('sub-second ages round down so the shown age and the state agree', () => {
    const r = computeHealth(
      input({ newest: { ...newest(0), savedAt: new Date(NOW.getTime() - (I + G) * 1000 - 999).toISOString() } }),
    );
    expect([r.state, r.ageSeconds]).toEqual(['fresh', I + G]);
  });

  it('says why and carries counts and the snapshot id', () => {
    const r = at(20 * 60);
    expect(r.reason).toMatch(/last snapshot 20m ago, older than 5m/);
    expect(r.counts).toEqual({ sessions: 3, windows: 5, panes: 9, claudePanes: 4 });
    expect(r.newestSnapshotId).toBe('20261123T115900000Z-0001');
    expect(at(10).reason).toMatch(/10s ago \(3 sessions, 9 panes\)/);
  });

  it('no valid snapshot while sessions run is stale', () => {
    const r = computeHealth(input({ newest: null }));
    expect([r.state, r.ageSeconds, r.newestSnapshotId]).toEqual(['stale', null, null]);
    expect(r.reason).toMatch(/no valid snapshot/);
  });
});

describe('computeHealth: other states', () => {
  it('no server (or a server with no sessions) is grey, with the last snapshot still reported', () => {
    for (const server of ['none', 'running-empty'] as const) {
      const r = at(3600, { server, lastSaveError: { at: NOW.toISOString(), reason: 'no server', consecutive: 5 } });
      expect([r.state, r.colour, r.ageSeconds]).toEqual(['no-server', 'grey', 3600]);
    }
    expect(at(3600, { server: 'none' }).reason).toMatch(/no tmux server.*1h ago/);
  });

  it('failing takes precedence over fresh, late and stale, and shows the reason', () => {
    const err = { at: NOW.toISOString(), reason: 'could not write x: ENOSPC', consecutive: 3 };
    for (const age of [10, I + G + 1, STALE + 1]) {
      const r = at(age, { lastSaveError: err });
      expect([r.state, r.colour]).toEqual(['failing', 'red']);
      expect(r.reason).toMatch(/last 3 save attempts failed: could not write x: ENOSPC/);
      expect(r.problems).toContainEqual({ code: 'save-failed', message: err.reason });
    }
    // a failure stays red during wake grace
    expect(at(STALE + 1, { lastSaveError: err, wakeGraceUntil: new Date(NOW.getTime() + 1000) }).state).toBe('failing');
  });

  it('a failure older than the newest valid snapshot was superseded by a good save', () => {
    const err = { at: new Date(NOW.getTime() - 60_000).toISOString(), reason: 'EIO', consecutive: 1 };
    expect(at(10, { lastSaveError: err }).state).toBe('fresh');
    expect(at(61, { lastSaveError: err }).state).toBe('failing');
  });

  it('wake grace turns stale into late until it ends, to the millisecond', () => {
    const until = new Date(NOW.getTime() + 1);
    const r = at(STALE + 1, { wakeGraceUntil: until });
    expect([r.state, r.colour]).toEqual(['late', 'amber']);
    expect(r.reason).toMatch(/woke from sleep/);
    expect(at(STALE + 1, { wakeGraceUntil: NOW }).state).toBe('stale');
    expect(computeHealth(input({ newest: null, wakeGraceUntil: until })).state).toBe('late');
  });

  it('a snapshot dated in the future (clock moved back) never looks fresh', () => {
    expect(at(-60).state).toBe('fresh'); // within tolerance: skew between processes
    expect(at(-60).ageSeconds).toBe(0);
    const r = at(-61);
    expect([r.state, r.ageSeconds]).toEqual(['late', null]);
    expect(r.reason).toMatch(/1m in the future.*clock moved back/);
    expect(at(-7200, { hooks: 'missing' }).state).toBe('late');
  });

  it('hooks-missing only when otherwise fresh: missing, outdated, invalid hooks or unbound Claude panes', () => {
    const cases: Array<[Partial<HealthInput>, RegExp, string]> = [
      [{ hooks: 'missing' }, /hooks are not installed/, 'hooks-missing'],
      [{ hooks: 'outdated' }, /hooks are outdated/, 'hooks-outdated'],
      [{ hooks: 'invalid' }, /settings\.json could not be read/, 'hooks-missing'],
      [{ unboundClaudePanes: 2 }, /2 Claude panes without a binding/, 'unbound-claude-pane'],
    ];
    for (const [over, re, code] of cases) {
      const r = at(10, over);
      expect([r.state, r.colour]).toEqual(['hooks-missing', 'amber']);
      expect(r.reason).toMatch(re);
      expect(r.problems.map((p) => p.code)).toContain(code);
      expect(at(I + G + 1, over).state).toBe('late');
      expect(at(STALE + 1, over).state).toBe('stale');
    }
  });

  it('FK HOOKS only when Claude panes are uncovered: hooks missing with zero Claude panes stays fresh', () => {
    for (const hooks of ['missing', 'outdated', 'invalid'] as const) {
      const r = at(10, { hooks, newest: { ...newest(10), claudePanes: 0 } });
      expect([r.state, r.colour]).toEqual(['fresh', 'green']);
      expect(r.problems.map((p) => p.code)).toContain(hooks === 'outdated' ? 'hooks-outdated' : 'hooks-missing');
      expect(at(10, { hooks }).state).toBe('hooks-missing');
    }
  });

  it('passes problems through without duplicating codes the caller already raised', () => {
    const problems = [
      { code: 'hooks-missing' as const, message: 'from caller' },
      { code: 'snapshot-corrupt' as const, message: 'f: bad' },
    ];
    const r = at(10, { hooks: 'missing', problems });
    expect(r.problems).toEqual(problems);
  });
});
