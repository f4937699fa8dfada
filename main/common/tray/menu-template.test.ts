import { describe, it, expect } from 'vitest';
import { actionIdsOf, formatLocalTime, menuTemplate, type MenuSnapshot, type MenuState } from './menu-template.js';
import { parseAction } from './action-dispatch.js';
import type { HealthReport, HealthState } from '../base/types.js';

const NOW = new Date('2025-06-03T14:40:00Z');

function health(state: HealthState, reason = ''): HealthReport {
  return {
    state,
    colour: 'green',
    reason,
    ageSeconds: 42,
    newestSnapshotId: '20250603T143918000Z-aaa3',
    counts: { sessions: 3, windows: 4, panes: 12, claudePanes: 8 },
    problems: [],
  };
}

const snaps: MenuSnapshot[] = [
  { id: '20250603T143918000Z-aaa3', savedAt: '2025-06-03T14:39:18Z', sessions: 3, panes: 12, claudePanes: 8 },
  { id: '20250602T220500000Z-aaa2', savedAt: '2025-06-02T22:05:00Z', sessions: 2, panes: 7, claudePanes: 5 },
  { id: '20250520T090000000Z-aaa1', savedAt: '2025-05-20T09:00:00Z', sessions: 1, panes: 1, claudePanes: 0 },
];

function state(over: Partial<MenuState> = {}): MenuState {
  return {
    health: health('fresh'),
    computedAt: NOW,
    now: NOW,
    tzOffsetMinutes: 0,
    snapshots: snaps,
    previousInstanceId: null,
    hooks: 'installed',
    autostart: { supported: true, enabled: false },
    ...over,
  };
}

const labels = (items: { label: string; type?: string }[]): string[] =>
  items.map((i) => (i.type === 'separator' ? '---' : i.label));

describe('menuTemplate', () => {
  it('lays out the whole menu for a healthy fleet', () => {
    const m = menuTemplate(state());
    expect(labels(m)).toEqual([
      'Backups fresh — saved 42 s ago',
      '---',
      'Save snapshot now',
      'Restore',
      'Open dashboard…',
      '---',
      'Claude hooks: installed ✓',
      'Start at login',
      '---',
      'Quit Fleetkeeper',
    ]);
    expect(m[0]).toEqual({ label: 'Backups fresh — saved 42 s ago', enabled: false });
    expect(labels(m[3]!.submenu!)).toEqual([
      '14:39 — 3 sessions · 12 panes · 8 Claude…',
      'yesterday 22:05 — 2 sessions · 7 panes · 5 Claude…',
      '20 May 09:00 — 1 session · 1 pane · 0 Claude…',
    ]);
    expect(actionIdsOf(m)).toEqual([
      'save-now',
      'restore-preview:20250603T143918000Z-aaa3',
      'restore-preview:20250602T220500000Z-aaa2',
      'restore-preview:20250520T090000000Z-aaa1',
      'open-dashboard',
      'toggle-autostart',
      'quit',
    ]);
    for (const id of actionIdsOf(m)) expect(() => parseAction(id)).not.toThrow();
  });

  it('puts the previous server instance’s last healthy snapshot first after a reboot', () => {
    const sub = menuTemplate(state({ previousInstanceId: '20250602T220500000Z-aaa2' }))[3]!.submenu!;
    expect(labels(sub)).toEqual([
      'Before reboot: yesterday 22:05 — 2 sessions · 7 panes · 5 Claude…',
      '---',
      '14:39 — 3 sessions · 12 panes · 8 Claude…',
      '20 May 09:00 — 1 session · 1 pane · 0 Claude…',
    ]);
    expect(sub[0]!.id).toBe('restore-preview:20250602T220500000Z-aaa2');
  });

  it('caps the restore list, keeping the before-reboot one', () => {
    const sub = menuTemplate(state({ previousInstanceId: '20250520T090000000Z-aaa1', maxRestoreItems: 2 }))[3]!
      .submenu!;
    expect(actionIdsOf(sub)).toEqual([
      'restore-preview:20250520T090000000Z-aaa1',
      'restore-preview:20250603T143918000Z-aaa3',
    ]);
  });

  it('shows local time from the offset it is given', () => {
    const sub = menuTemplate(state({ tzOffsetMinutes: 120 }))[3]!.submenu!;
    expect(sub[0]!.label.startsWith('16:39 —')).toBe(true);
    expect(sub[1]!.label.startsWith('00:05 —')).toBe(true);
  });

  it('says so when there is nothing to restore', () => {
    expect(menuTemplate(state({ snapshots: [] }))[3]!.submenu).toEqual([{ label: 'No snapshots yet', enabled: false }]);
  });

  it.each<[HealthState, string, string[]]>([
    ['stale', 'no save for 6 min', ['Backups STALE — saved 42 s ago', 'no save for 6 min']],
    ['failing', 'disk full', ['Saves FAILING — saved 42 s ago', 'disk full']],
    ['late', '1 save missed', ['Backups late — saved 42 s ago', '1 save missed']],
    ['no-server', '', ['No tmux server — saved 42 s ago']],
  ])('%s: status line and reason', (s, reason, lines) => {
    const m = menuTemplate(state({ health: health(s, reason) }));
    expect(labels(m).slice(0, lines.length)).toEqual(lines);
    expect(m[lines.length]!.type).toBe('separator');
  });

  it('cannot save without a tmux server', () => {
    const m = menuTemplate(state({ health: health('no-server') }));
    expect(m.find((i) => i.id === 'save-now')!.enabled).toBe(false);
  });

  it('shows a running save and restore and blocks repeating them', () => {
    const saving = menuTemplate(state({ busy: 'saving' }));
    expect(saving.find((i) => i.id === 'save-now')).toEqual({
      id: 'save-now',
      label: 'Saving snapshot…',
      enabled: false,
    });
    const restoring = menuTemplate(state({ busy: 'restoring' }));
    expect(restoring[3]).toMatchObject({ label: 'Restoring…', enabled: false });
  });

  it.each([
    ['installed', { label: 'Claude hooks: installed ✓', enabled: false }],
    ['missing', { id: 'install-hooks', label: 'Claude hooks: Install…' }],
    ['outdated', { id: 'install-hooks', label: 'Claude hooks: outdated — Update…' }],
    ['invalid', { id: 'open-dashboard', label: 'Claude hooks: settings.json unreadable — Details…' }],
    [null, { label: 'Claude hooks: checking…', enabled: false }],
  ] as const)('hooks %s', (hooks, item) => {
    expect(menuTemplate(state({ hooks }))[6]).toEqual(item);
  });

  it.each([
    [{ supported: true, enabled: true }, true, true],
    [{ supported: true, enabled: false }, false, true],
    [{ supported: false, enabled: false }, false, false],
    [null, false, false],
  ] as const)('start at login %j → checked %s, enabled %s', (autostart, checked, enabled) => {
    expect(menuTemplate(state({ autostart }))[7]).toEqual({
      id: 'toggle-autostart',
      label: 'Start at login',
      type: 'checkbox',
      checked,
      enabled,
    });
  });

  it('is "checking…" before the first health report', () => {
    expect(menuTemplate(state({ health: null }))[0]).toEqual({ label: 'Fleetkeeper: checking…', enabled: false });
  });
});

describe('formatLocalTime', () => {
  it.each([
    ['2025-06-03T00:00:00Z', '00:00'],
    ['2025-06-02T23:59:00Z', 'yesterday 23:59'],
    ['2025-06-01T23:59:00Z', '1 Jun 23:59'],
    ['2024-12-31T08:07:00Z', '31 Dec 2024 08:07'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, text) => expect(formatLocalTime(iso, NOW, 0)).toBe(text));
});
