// What the preview's picks send to main: nothing when the user changed nothing (the whole
// snapshot, so a full restore still retires the previous server), else the ticked sessions and
// the roles switched to a shell. An empty session list is never sent: the core reads it as "all".
import { describe, expect, it } from 'vitest';
import type { PlanView } from '../shared/ipc-contract.js';
import { selectionOf } from './restore-view.js';

const plan = {
  snapshotId: '20261123T203001123Z-0a1b',
  savedAt: '2026-11-23T20:30:01.123Z',
  counts: { sessions: 2, skipped: 1, panes: 3, resumes: 2, shells: 1 },
  sessions: [
    { name: 'api', action: 'create', windows: [] },
    { name: 'web', action: 'create', windows: [] },
    { name: 'scratch', action: 'skip-exists', windows: [] },
  ],
} as unknown as PlanView;

describe('selectionOf', () => {
  it('sends nothing when nothing was changed', () => {
    expect(selectionOf(plan, { unticked: new Set(), shellRoles: new Set() })).toBeUndefined();
  });

  it('names the sessions still ticked and the roles switched to a shell', () => {
    expect(selectionOf(plan, { unticked: new Set(['web']), shellRoles: new Set() })).toEqual({
      sessions: ['api', 'scratch'],
    });
    expect(selectionOf(plan, { unticked: new Set(), shellRoles: new Set(['web-app', 'billing-api']) })).toEqual({
      shellRoles: ['billing-api', 'web-app'],
    });
    expect(selectionOf(plan, { unticked: new Set(['api']), shellRoles: new Set(['web-app']) })).toEqual({
      sessions: ['web', 'scratch'],
      shellRoles: ['web-app'],
    });
  });
});
