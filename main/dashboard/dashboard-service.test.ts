import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TmuxHarness } from '../../test/helpers/tmux-harness.js';
import { tmuxWorld, type TmuxWorld } from '../../test/helpers/fixtures.js';
import type { SnapshotSummary } from '../common/snapshot/summary.js';
import type { RestoreReport } from '../node/restore/service.js';
import { DashboardService, restoreResultView, timelinePoints } from './dashboard-service.js';
import type { StatePaths } from '../node/base/state-dir.js';
import { SettingsStore, openSettingsFile } from '../node/settings/settings-store.js';
import { RegistryStore } from '../node/journal/registry-store.js';
import { hookCommands } from '../node/claude/settings-file.js';

const instance = { socketPath: '/tmp/tmux-0/x', pid: 1, startTime: 1 };
const summary = (id: string, savedAt: string, durationMs?: number): SnapshotSummary => ({
  id,
  file: `${id}.json`,
  savedAt,
  trigger: 'interval',
  instance,
  sessions: 1,
  windows: 1,
  panes: 1,
  claudePanes: 0,
  ...(durationMs === undefined ? {} : { durationMs }),
});

describe('timelinePoints', () => {
  const from = new Date('2026-03-01T10:00:00Z');
  const to = new Date('2026-03-01T12:00:00Z');
  const listing = [
    summary('c', '2026-03-01T11:59:00.000Z', 40),
    summary('b', '2026-03-01T11:58:00.000Z', 30),
    summary('a', '2026-03-01T09:30:00.000Z'),
    summary('z', '2026-03-01T12:30:00.000Z'),
  ];

  it('gives each save in the window the age the previous backup had reached, oldest first', () => {
    expect(timelinePoints(listing, from, to).map((p) => [p.snapshotId, p.ageAtSaveS, p.durationMs])).toEqual([
      ['b', 8880, 30], // the save before the window still counts: 2 h 28 min
      ['c', 60, 40],
    ]);
  });

  it('claims no age where retention has thinned the history', () => {
    const thinnedBefore = new Date('2026-03-01T11:00:00Z');
    expect(timelinePoints(listing, from, to, thinnedBefore).map((p) => p.ageAtSaveS)).toEqual([null, 60]);
  });
});

describe('restoreResultView', () => {
  it('gives every created pane a verdict: verified, wrong, silent, or a plain shell', () => {
    const pane = (role: string, action: 'resume' | 'shell', sessionId?: string) => ({
      role,
      paneIndex: 0,
      target: `s:0.${role}`,
      cwd: '/w',
      snapshotCwd: '/w',
      action,
      active: false,
      applyRole: true,
      ...(sessionId ? { sessionId } : { reason: 'no binding' }),
    });
    const report = {
      snapshotId: 'id',
      dryRun: false,
      ok: false,
      executed: { warnings: ['pane s:0.c: no shell prompt seen'] },
      plan: {
        snapshotId: 'id',
        savedAt: '',
        counts: { sessions: 1, skipped: 1, panes: 4, resumes: 3, shells: 1 },
        sessions: [
          {
            name: 's',
            action: 'create',
            windows: [
              {
                index: 0,
                name: 'w',
                layout: '',
                active: true,
                zoomed: false,
                panes: [
                  pane('a', 'resume', 'A'),
                  pane('b', 'resume', 'B'),
                  pane('c', 'resume', 'C'),
                  pane('d', 'shell'),
                ],
              },
            ],
          },
          { name: 'kept', action: 'skip-exists', windows: [] },
          { name: 'later', action: 'not-selected', windows: [] },
          {
            name: 'half',
            action: 'complete',
            windows: [
              {
                index: 0,
                name: 'w',
                layout: '',
                active: true,
                zoomed: false,
                panes: [
                  pane('e', 'resume', 'E'),
                  { ...pane('f', 'resume', 'F'), livePaneId: '%9' },
                  { ...pane('g', 'shell'), livePaneId: '%10' }, // switched to a shell: left as it was
                ],
              },
            ],
          },
        ],
      },
      remaining: ['session "later" (not selected)'],
      verification: [
        { role: 'a', paneId: '%1', expected: 'A', got: 'A', status: 'verified' },
        { role: 'b', paneId: '%2', expected: 'B', got: 'X', status: 'wrong' },
      ],
    } as unknown as RestoreReport;
    const v = restoreResultView(report);
    expect(v.panes.map((p) => [p.role, p.outcome, p.expectedSessionId, p.gotSessionId])).toEqual([
      ['a', 'verified', 'A', 'A'],
      ['b', 'wrong', 'B', 'X'],
      ['c', 'silent', 'C', null],
      ['d', 'shell', null, null],
      ['f', 'silent', 'F', null], // completed: only the pane typed into this time
    ]);
    expect(v.counts).toEqual({ verified: 1, wrong: 1, silent: 2, shells: 1 });
    // A session left unticked is on offer, not "left alone".
    expect(v.skippedSessions).toEqual(['kept']);
    expect(v.remaining).toEqual(['session "later" (not selected)']);
    expect(v.warnings).toEqual(['pane s:0.c: no shell prompt seen']);
  });
});

describe('DashboardService against the real core', () => {
  let world: TmuxWorld;
  let root: string;
  let paths: StatePaths;
  let tmux: TmuxHarness;
  let svc: DashboardService;

  beforeAll(async () => {
    world = tmuxWorld('dash-svc');
    ({ dir: root, paths, tmux } = world);
    await tmux.run('new-session', '-d', '-s', 'one', '-c', root);
    await tmux.run('split-window', '-t', 'one', '-c', root);
    svc = new DashboardService({
      paths,
      target: { socketName: tmux.socket },
      settings: new SettingsStore(openSettingsFile(paths)),
      registry: new RegistryStore(paths),
      claudeSettingsPath: join(root, 'claude', 'settings.json'),
      hookCommands: hookCommands(process.execPath, '/opt/fleetkeeper/bin/fleetkeeper.js'),
      claudeBin: 'claude',
    });
  });

  afterAll(async () => {
    await world.dispose();
  });

  it('answers refusals as data and touches nothing', async () => {
    const before = readdirSync(paths.root).sort();
    expect(await svc.handle('shell:exec', 'rm -rf /')).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'unknown channel "shell:exec"' },
    });
    const bad = await svc.handle('restore:execute', { snapshotId: '../../snapshots/x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(bad)).toContain('../../snapshots/x');
    expect(await svc.handle('settings:set', { intervalS: -5 })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('got -5') },
    });
    expect(readdirSync(paths.root).sort()).toEqual(before);
    // A well-formed id that names no snapshot is the core's error, also as data.
    const missing = await svc.handle('restore:preview', { snapshotId: '20250102T030405678Z-1a2b' });
    expect(missing.ok).toBe(false);
  });

  it('saves, lists and reports health from disk through the channels', async () => {
    const saved = await svc.handle('snapshot:save-now', undefined);
    expect(saved).toMatchObject({ ok: true, value: { sessions: 1, windows: 1, panes: 2, trigger: 'manual' } });
    const id = (saved as { value: { id: string } }).value.id;
    const list = await svc.snapshots();
    expect(list.snapshots.map((s) => s.id)).toEqual([id]);
    expect(list.defaultRestoreId).toBe(id);
    const health = await svc.health();
    expect(health.report.newestSnapshotId).toBe(id);
    expect(health.report.counts.panes).toBe(2);
    expect(health.timeline.points.map((p) => p.snapshotId)).toEqual([id]);
    expect(health.statusLine).toMatch(/^FK/);
    const plan = await svc.handle('restore:preview', { snapshotId: id });
    expect(plan).toMatchObject({ ok: true, value: { snapshotId: id, counts: { skipped: 1 } } });
  });

  it('stores settings and tells the owner, refusing a bad combination without writing', async () => {
    const file = join(paths.root, 'settings.json');
    expect(await svc.handle('settings:set', { intervalS: 30, notifications: false })).toMatchObject({
      ok: true,
      value: { intervalS: 30, notifications: false },
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ intervalS: 30, notifications: false });
    const r = await svc.handle('settings:set', { staleAfterS: 20 });
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'staleAfterS (20) must be greater than intervalS (30)' },
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ intervalS: 30, staleAfterS: 300 });
  });

  it("passes the preview's picks to the core: only the ticked sessions are planned and built, the rest stays on offer", async () => {
    await tmux.run('new-session', '-d', '-s', 'two', '-c', root);
    await tmux.run('new-session', '-d', '-s', 'keep', '-c', root);
    const id = (await svc.saveNow()).id;
    await tmux.run('kill-session', '-t', 'one');
    await tmux.run('kill-session', '-t', 'two');

    const whole = await svc.handle('restore:preview', { snapshotId: id });
    expect(whole).toMatchObject({ ok: true, value: { counts: { sessions: 2 } } });
    const picked = await svc.handle('restore:preview', { snapshotId: id, selection: { sessions: ['two'] } });
    expect(picked.ok).toBe(true);
    const plan = (picked as { value: { sessions: { name: string; action: string }[]; counts: object } }).value;
    expect(plan.sessions.map((s) => [s.name, s.action])).toEqual([
      ['keep', 'skip-exists'],
      ['one', 'not-selected'],
      ['two', 'create'],
    ]);
    expect(plan.counts).toMatchObject({ sessions: 1, panes: 1 });

    // Names the snapshot does not hold are refused by the core, named, and nothing is built.
    const role = (await tmux.run('show-options', '-pqv', '-t', 'keep', '@fleetkeeper-role')).trim();
    expect(role).not.toBe('');
    expect(await svc.handle('restore:execute', { snapshotId: id, selection: { sessions: ['ghost'] } })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: `no session "ghost" in snapshot ${id}` },
    });
    expect(await svc.handle('restore:preview', { snapshotId: id, selection: { shellRoles: ['nobody'] } })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: `no role "nobody" in snapshot ${id}` },
    });
    expect(await svc.handle('restore:preview', { snapshotId: id, selection: { shellRoles: [role] } })).toMatchObject({
      ok: true,
    });

    const done = await svc.handle('restore:execute', { snapshotId: id, selection: { sessions: ['two'] } });
    expect(done.ok).toBe(true);
    const view = (done as { value: { skippedSessions: string[]; remaining: string[]; panes: unknown[] } }).value;
    expect(view.skippedSessions).toEqual(['keep']);
    expect(view.remaining).toEqual(['session "one" (not selected)']);
    expect(view.panes).toHaveLength(1);
    const live = (await tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort();
    expect(live).toEqual(['keep', 'two']);
  });

  it('reports and installs the Claude hooks in the given settings file', async () => {
    expect(await svc.handle('hooks:status', undefined)).toMatchObject({ ok: true, value: { state: 'missing' } });
    expect(await svc.handle('hooks:install', undefined)).toMatchObject({ ok: true, value: { state: 'installed' } });
    const written = readFileSync(join(root, 'claude', 'settings.json'), 'utf8');
    expect(written).toContain('/opt/fleetkeeper/bin/fleetkeeper.js');
  });
});

describe('historyPoints', () => {
  it('keeps every successful save of the window, aged against the previous success, failures skipped', async () => {
    const { historyPoints } = await import('./dashboard-service.js');
    const h = [
      { at: '2026-11-23T09:00:00.000Z', trigger: 'interval' as const, ok: true, snapshotId: 'a', durationMs: 5 },
      { at: '2026-11-23T10:00:00.000Z', trigger: 'interval' as const, ok: true, snapshotId: 'b', durationMs: 6 },
      { at: '2026-11-23T10:01:00.000Z', trigger: 'interval' as const, ok: false, error: 'hung' },
      { at: '2026-11-23T10:05:00.000Z', trigger: 'change' as const, ok: true, snapshotId: 'c' },
    ];
    const pts = historyPoints(h, new Date('2026-11-23T09:30:00.000Z'), new Date('2026-11-23T11:00:00.000Z'));
    expect(pts).toEqual([
      { snapshotId: 'b', savedAt: '2026-11-23T10:00:00.000Z', trigger: 'interval', ageAtSaveS: 3600, durationMs: 6 },
      { snapshotId: 'c', savedAt: '2026-11-23T10:05:00.000Z', trigger: 'change', ageAtSaveS: 300, durationMs: null },
    ]);
  });
});
