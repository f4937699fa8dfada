import { describe, it, expect } from 'vitest';
import type { PlannedSession } from './restore-plan.js';
import {
  chain, finishCommands, formatLiteral, newSessionArgs, parseCreated, resumeKeysArgs, resumeCommandLine,
  structureArgs, tmuxArg, unvisSessionName, type CreatedSession,
} from './restore-commands.js';
import { layoutChecksum } from './restore-layout.js';

const ID = '0f0e0d0c-0b0a-4909-8807-060504030201';
const TWO = `${layoutChecksum('120x30,0,0{60x30,0,0,1,59x30,61,0,2}')},120x30,0,0{60x30,0,0,1,59x30,61,0,2}`;

const session: PlannedSession = {
  name: 'we#{x}ird;', action: 'create', windows: [
    { index: 2, name: 'first #(id)', layout: TWO, active: false, zoomed: true, panes: [
      { role: 'a', paneIndex: 0, target: 't', cwd: '/p/a;', snapshotCwd: '/p/a;', action: 'resume', sessionId: ID, active: false, applyRole: true },
      { role: 'b', paneIndex: 1, target: 't', cwd: "/p/b 'q' $HOME", snapshotCwd: '', action: 'shell', active: true, applyRole: false },
    ] },
    { index: 5, name: 'second', layout: 'garbage', active: true, zoomed: false, panes: [
      { role: 'c', paneIndex: 0, target: 't', cwd: '/p/c', snapshotCwd: '/p/c', action: 'shell', active: true, applyRole: true },
    ] },
  ],
};
const created: CreatedSession = { sessionId: '$7', windowIndex: 1, firstPaneId: '%20', paneBaseIndex: 1, instance: { socketPath: '/s', pid: 1, startTime: 2 }, storedName: 'we#{x}ird;' };

describe('tmux argv escaping', () => {
  it('keeps a trailing ; literal and leaves everything else alone', () => {
    expect(tmuxArg('a;')).toBe('a\\;');
    expect(tmuxArg('a\\;')).toBe('a\\\\;');
    expect(tmuxArg(';')).toBe('\\;');
    expect(tmuxArg('a;b')).toBe('a;b');
    expect(chain([['x', 'a;'], ['y']])).toEqual(['x', 'a\\;', ';', 'y']);
  });

  it('doubles # in format-expanded values', () => {
    expect(formatLiteral('#(touch x)#{pane_id}')).toBe('##(touch x)##{pane_id}');
  });

  it('decodes the names tmux stored vis-encoded', () => {
    expect(unvisSessionName('back\\\\slash')).toBe('back\\slash');
    expect(unvisSessionName('a\\tb\\033c')).toBe('a\tb\x1bc');
    expect(unvisSessionName("we'ird \\$name")).toBe("we'ird $name");
    expect(unvisSessionName('plain \\q')).toBe('plain \\q');
  });
});

describe('building a session', () => {
  it('new-session names, sizes and prints ids', () => {
    const args = newSessionArgs(session);
    expect(args.slice(0, 10)).toEqual(['new-session', '-d', '-s', 'we##{x}ird\\;', '-n', 'first ##(id)', '-c', '/p/a\\;', '-x', '120']);
    expect(args).toContain('-P');
  });

  it('parses what new-session printed', () => {
    const c = parseCreated('$3\t0\t%9\t0\t/tmp/tmux-0/x\t4242\t1700000000\tname\twith tab\n');
    expect(c).toMatchObject({ sessionId: '$3', windowIndex: 0, firstPaneId: '%9', paneBaseIndex: 0, storedName: 'name\twith tab' });
    expect(c.instance).toEqual({ socketPath: '/tmp/tmux-0/x', pid: 4242, startTime: 1700000000 });
    expect(() => parseCreated('junk')).toThrow(/unexpected new-session output/);
  });

  it('moves the first window to its saved index, adds panes in order, roles only where planned', () => {
    expect(structureArgs(session, created)).toEqual([
      'move-window', '-s', '$7:1', '-t', '$7:2', ';',
      'set-option', '-p', '-t', '%20', '@fleetkeeper-role', 'a', ';',
      'split-window', '-t', '$7:2', '-c', "/p/b 'q' $HOME", '-P', '-F', '#{pane_id}', ';',
      'select-layout', '-t', '$7:2', 'tiled', ';',
      'new-window', '-d', '-t', '$7:5', '-n', 'second', '-c', '/p/c', '-P', '-F', '#{pane_id}', ';',
      'set-option', '-p', '-t', '$7:5', '@fleetkeeper-role', 'c',
    ]);
  });

  it('finishes with layout, active pane (pane-base-index aware), zoom and active window; bad layouts are reported', () => {
    const f = finishCommands(session, created);
    expect(f.commands).toEqual([
      ['select-layout', '-t', '$7:2', TWO],
      ['select-pane', '-t', '$7:2.2'],
      ['resize-pane', '-Z', '-t', '$7:2.2'],
      ['select-pane', '-t', '$7:5.1'],
      ['select-window', '-t', '$7:5'],
    ]);
    expect(f.warnings).toEqual([]);
    const bad = { ...session, windows: session.windows.map((w) => ({ ...w, layout: 'garbage' })) };
    expect(finishCommands(bad, created).warnings[0]).toMatch(/"garbage" is not a valid layout for 2 panes/);
  });
});

describe('typing the resume', () => {
  it('quotes the binary, refuses anything but a UUID', () => {
    expect(resumeCommandLine("/opt/my claude's/claude", ID)).toBe(`'/opt/my claude'\\''s/claude' --resume ${ID}`);
    expect(resumeKeysArgs('%3', 'claude', ID)).toEqual(['send-keys', '-t', '%3', '-l', '--', `claude --resume ${ID}`, ';', 'send-keys', '-t', '%3', 'Enter']);
    expect(() => resumeKeysArgs('%3', 'claude', `${ID}; rm -rf ~`)).toThrow(/not a UUID/);
    expect(() => resumeKeysArgs('$(x)', 'claude', ID)).toThrow(/not a pane id/);
  });
});
