import { describe, expect, it } from 'vitest';
import { TmuxError } from '../base/errors.js';
import {
  decodeField,
  escapedFormat,
  INSTANCE_FORMAT,
  PANE_FORMAT,
  parseFleet,
  parseInstance,
  uniquePanes,
} from './fleet-format.js';

// What the s/// chain in escapedFormat makes tmux print, written independently in JS.
const tmuxEscape = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');

function paneLine(p: Partial<Record<string, string>>): string {
  const d = {
    sid: '$0',
    sname: 'main',
    wi: '0',
    wid: '@0',
    wname: 'bash',
    layout: 'b25d,80x24,0,0,0',
    wa: '1',
    zoom: '0',
    pi: '0',
    pid: '%0',
    pa: '1',
    cwd: '/home/u',
    cmd: 'bash',
    title: 'host',
    role: '',
    ppid: '4242',
    auto: '1',
    ...p,
  };
  return [
    d.sid,
    d.sname,
    d.wi,
    d.wid,
    d.wname,
    d.layout,
    d.wa,
    d.zoom,
    d.pi,
    d.pid,
    d.pa,
    d.cwd,
    d.cmd,
    d.title,
    d.role,
    d.ppid,
    d.auto,
  ].join('\t');
}

describe('fleet format strings', () => {
  it('ask for every field, escape text fields, and hold no line break outside [...]', () => {
    for (const v of [
      'session_name',
      'window_name',
      'window_layout',
      'pane_current_path',
      'pane_current_command',
      'pane_title',
      '@fleetkeeper-role',
    ]) {
      expect(PANE_FORMAT).toContain(escapedFormat(v));
    }
    for (const v of [
      'session_id',
      'window_index',
      'window_id',
      'window_active',
      'window_zoomed_flag',
      'pane_index',
      'pane_id',
      'pane_active',
      'pane_pid',
      'automatic-rename',
    ]) {
      expect(PANE_FORMAT).toContain(`#{${v}}`);
    }
    expect(PANE_FORMAT.split('\t')).toHaveLength(17 + 7 * 1);
    expect(PANE_FORMAT.replace(/\[[\n\t\r]\]/g, '')).not.toMatch(/[\n\r]/);
    expect(INSTANCE_FORMAT).toContain('#{pid}');
  });
});

describe('decodeField', () => {
  it('restores hostile values exactly', () => {
    for (const v of [
      '',
      'a b',
      `'"$(touch /tmp/canary)\`;x`,
      'x\ny',
      'x\ty',
      'a\\nb',
      '\\',
      'c:\\t\r\n\\',
      'é 日本 🚀',
      'x\u0001\u001b[0m',
    ]) {
      expect(decodeField(tmuxEscape(v))).toBe(v);
    }
  });

  it('refuses an escape tmux never produces, naming the text', () => {
    expect(() => decodeField('a\\qb')).toThrow(/a\\\\qb/);
    expect(() => decodeField('trailing\\')).toThrow(TmuxError);
  });
});

describe('parseInstance', () => {
  it('reads socket path, pid and start time', () => {
    expect(parseInstance('/tmp/tmux-1000/a\\tb\t4242\t1700000000')).toEqual({
      socketPath: '/tmp/tmux-1000/a\tb',
      pid: 4242,
      startTime: 1700000000,
    });
  });
  it('refuses anything else, naming the line', () => {
    expect(() => parseInstance('no server')).toThrow(/"no server"/);
    expect(() => parseInstance('/s\tx\t1')).toThrow(TmuxError);
  });
});

describe('parseFleet', () => {
  const inst = '/tmp/s\t1\t2';

  it('groups panes into sessions and windows sorted by index, binding null', () => {
    const fleet = parseFleet(inst, [
      paneLine({ sid: '$1', sname: tmuxEscape('b\nx'), wi: '3', wid: '@5', pi: '1', pid: '%9', pa: '0', role: 'api' }),
      paneLine({ sid: '$1', sname: tmuxEscape('b\nx'), wi: '3', wid: '@5', pi: '0', pid: '%8' }),
      paneLine({
        sid: '$1',
        sname: tmuxEscape('b\nx'),
        wi: '1',
        wid: '@4',
        wname: tmuxEscape('w\tname'),
        zoom: '1',
        wa: '0',
        pid: '%7',
        cwd: tmuxEscape('/a b/\\c'),
      }),
      paneLine({ sid: '$0', sname: 'a', pid: '%1', title: tmuxEscape('t"i$t\'le') }),
      '',
    ]);
    expect(fleet.instance).toEqual({ socketPath: '/tmp/s', pid: 1, startTime: 2 });
    expect(fleet.sessions.map((s) => [s.id, s.name])).toEqual([
      ['$1', 'b\nx'],
      ['$0', 'a'],
    ]);
    const [w1, w3] = fleet.sessions[0]!.windows;
    expect([w1?.index, w3?.index]).toEqual([1, 3]);
    expect(w1).toMatchObject({ id: '@4', name: 'w\tname', zoomed: true, active: false, layout: 'b25d,80x24,0,0,0' });
    expect(w1?.panes[0]).toEqual({
      index: 0,
      id: '%7',
      pid: 4242,
      role: '',
      cwd: '/a b/\\c',
      currentCommand: 'bash',
      title: 'host',
      active: true,
      binding: null,
    });
    expect(w3?.panes.map((p) => [p.index, p.id, p.role, p.active])).toEqual([
      [0, '%8', '', true],
      [1, '%9', 'api', false],
    ]);
    expect(fleet.sessions[1]!.windows[0]!.panes[0]!.title).toBe('t"i$t\'le');
  });

  it('reads whether a window name is automatic, and the pane process id when there is one', () => {
    const fleet = parseFleet(inst, [
      paneLine({ wi: '0', wid: '@0', auto: '1' }),
      paneLine({ wi: '1', wid: '@1', pid: '%2', auto: '0', ppid: '' }),
      paneLine({ wi: '2', wid: '@2', pid: '%3', auto: '' }),
    ]);
    const [a, b, c] = fleet.sessions[0]!.windows;
    expect([a?.automaticRename, b?.automaticRename, c?.automaticRename]).toEqual([true, false, undefined]);
    expect(a?.panes[0]?.pid).toBe(4242);
    expect(b?.panes[0]).not.toHaveProperty('pid');
  });

  it('lists a pane of a linked window under both sessions but once in uniquePanes', () => {
    const fleet = parseFleet(inst, [
      paneLine({ sid: '$0', pid: '%3' }),
      paneLine({ sid: '$1', sname: 'other', pid: '%3' }),
    ]);
    expect(fleet.sessions).toHaveLength(2);
    expect(uniquePanes(fleet).map((x) => x.pane.id)).toEqual(['%3']);
  });

  it('refuses a malformed pane line, naming it', () => {
    expect(() => parseFleet(inst, ['garbage'])).toThrow(/"garbage"/);
    expect(() => parseFleet(inst, [paneLine({ wi: 'x' })])).toThrow(/window index/);
    expect(() => parseFleet(inst, [paneLine({ pa: '2' })])).toThrow(/pane_active/);
    expect(() => parseFleet(inst, [paneLine({ pid: '7' })])).toThrow(TmuxError);
  });
});
