import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseResurrectFile, unescapeTmuxName } from './resurrect-format.js';
import { validateSnapshot } from './validate.js';
import type { SessionSnapshot } from '../base/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/resurrect/${name}`, import.meta.url), 'utf8');

function sessions(text: string): SessionSnapshot[] {
  const r = parseResurrectFile(text);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.fleet.sessions;
}

describe('tmux-resurrect save files', () => {
  it('a file written by tmux-resurrect (cff343c) save.sh: names from window lines, titles, escaped space, TAB in a path, zoom', () => {
    const s = sessions(fixture('tmux-resurrect-cff343c.save'));
    expect(s.map((x) => x.name)).toEqual(['odd name', 'work']);
    const work = s[1] as SessionSnapshot;
    expect(work.windows.map((w) => [w.index, w.name, w.active, w.zoomed, w.automaticRename])).toEqual([
      [0, 'editor', false, false, false],
      [1, 'tabbed\tname', true, true, false],
    ]);
    const [w0, w1] = work.windows;
    expect(w0?.panes.map((p) => [p.cwd, p.active, p.title])).toEqual([
      ['/FKROOT/proj', false, 'vm'],
      ['/FKROOT/dir with space', true, 'vm'],
    ]);
    // resurrect shifted the fields after the TAB in this path; the path is recovered whole.
    expect(w1?.panes.map((p) => p.cwd)).toEqual(['/FKROOT/tab\tdir', '/FKROOT', '/FKROOT/proj']);
    expect(w1?.layout).toBe('12e8,120x40,0,0[120x20,0,0,2,120x19,0,21{60x19,0,21,3,59x19,61,21,4}]');
    expect(s[0]?.windows[0]?.name).toBe('w$;x');
  });

  it('the earlier generation, hand-made: TABs in window name and path, escaped session name, quotes, zoom', () => {
    const s = sessions(fixture('odd-names.save'));
    expect(s.map((x) => x.name)).toEqual(['main', 'we\tird']);
    const main = s[0] as SessionSnapshot;
    expect(main.windows.map((w) => [w.name, w.active, w.zoomed])).toEqual([
      ['editor', false, false],
      ['tab\there', true, true],
    ]);
    expect(main.windows[0]?.panes.map((p) => [p.index, p.cwd, p.active, p.currentCommand])).toEqual([
      [0, '/FKROOT/proj', false, 'bash'],
      [1, '/FKROOT/dir with space', false, 'vim'],
      [2, '/FKROOT', true, 'bash'],
    ]);
    expect(main.windows[1]?.panes[0]?.cwd).toBe('/FKROOT/tab\tdir');
    expect(s[1]?.windows.map((w) => [w.name, w.active])).toEqual([
      ['w:1', true],
      ['back\\slash \'q\' "dq" $x;', false],
    ]);
    // Every pane gets a unique valid role and no conversation.
    const panes = s.flatMap((x) => x.windows.flatMap((w) => w.panes));
    expect(new Set(panes.map((p) => p.role)).size).toBe(panes.length);
    expect(panes.every((p) => p.binding === null)).toBe(true);
  });

  it('the oldest lines (no ":" on the window name), the automatic-rename bit, a grouped session noted', () => {
    const r = parseResurrectFile(fixture('old-format.save'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fleet.sessions[0]?.windows[0]).toMatchObject({ name: 'shell', active: true, automaticRename: true });
    expect(r.fleet.notes).toEqual([expect.stringMatching(/^line 3: grouped session "old-view" not imported/)]);
  });

  it('malformed lines are all reported by number, and nothing is returned', () => {
    const r = parseResurrectFile(fixture('malformed.save'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.split(':')[0])).toEqual(['line 2', 'line 3', 'line 5', 'line 6', 'line 7']);
    expect(r.errors[2]).toContain('"not-a-layout"');
    expect(r.errors[4]).toContain('listed twice');
  });

  it('refuses what is not a save file, a window without its layout line, and a layout that does not fit its panes', () => {
    expect(parseResurrectFile('').ok).toBe(false);
    expect(parseResurrectFile('{"format":"fleetkeeper-snapshot"}\n')).toMatchObject({ ok: false });
    const pane = 'pane\ts\t0\t:w\t1\t:*\t0\t:/tmp\t1\tbash\t:\n';
    expect(parseResurrectFile(pane)).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^line 1: window s:0 has panes but no window line/)],
    });
    const twoPaneLayout = 'window\ts\t0\t1\t:*\t8229,80x24,0,0{40x24,0,0,8,39x24,41,0,9}\n';
    expect(parseResurrectFile(pane + twoPaneLayout)).toEqual({
      ok: false,
      errors: ['line 2: the layout of s:0 has 2 panes, the file lists 1'],
    });
  });

  it('what it builds passes the snapshot validator', () => {
    const s = sessions(fixture('odd-names.save'));
    const snap = {
      format: 'fleetkeeper-snapshot',
      version: 2,
      id: '20261130T000000000Z-abcd',
      savedAt: '2026-11-30T00:00:00.000Z',
      trigger: 'import',
      instance: { socketPath: '/x/last', pid: 1, startTime: 0 },
      sessions: s,
      importedFrom: { tool: 'tmux-resurrect', file: '/x/last' },
    };
    expect(validateSnapshot(snap, { requireChecksum: false })).toEqual([]);
    expect(validateSnapshot({ ...snap, trigger: 'manual' }, { requireChecksum: false })).toEqual([
      expect.stringMatching(/importedFrom: only on an imported snapshot/),
    ]);
  });

  it('unescapes tmux session names', () => {
    expect(unescapeTmuxName('a\\tb\\\\c\\037d')).toBe('a\tb\\c\x1fd');
  });
});
