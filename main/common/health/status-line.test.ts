import { describe, it, expect } from 'vitest';
import type { HealthReport, HealthState } from '../base/types.js';
import { STATE_COLOUR } from './health.js';
import { shortStatus, tmuxStatus } from './status-line.js';

function report(state: HealthState, ageSeconds: number | null): HealthReport {
  return {
    state,
    colour: STATE_COLOUR[state],
    reason: 'r',
    ageSeconds,
    newestSnapshotId: null,
    counts: { sessions: 0, windows: 0, panes: 0, claudePanes: 0 },
    problems: [],
  };
}

describe('shortStatus', () => {
  const table: Array<[HealthState, number | null, string]> = [
    ['fresh', 42, 'FK 42s'],
    ['late', 180, 'FK LATE 3m'],
    ['late', null, 'FK LATE ?'],
    ['stale', 720, 'FK STALE 12m'],
    ['stale', null, 'FK STALE'],
    ['failing', 30, 'FK FAIL'],
    ['no-server', 7200, 'FK --'],
    ['hooks-missing', 5, 'FK HOOKS'],
  ];
  for (const [state, age, text] of table) {
    it(`${state} ${age} → ${text}`, () => {
      const s = shortStatus(report(state, age));
      expect(s).toBe(text);
      expect(s).not.toMatch(/[\n#]/);
    });
  }

  it('tmuxStatus wraps the same text in a colour style and resets it', () => {
    expect(tmuxStatus(report('fresh', 42))).toBe('#[fg=green]FK 42s#[default]');
    expect(tmuxStatus(report('stale', 720))).toBe('#[fg=white,bg=red,bold]FK STALE 12m#[default]');
    expect(tmuxStatus(report('no-server', null))).toBe('#[fg=colour244]FK --#[default]');
  });
});
