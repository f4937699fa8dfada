import { describe, it, expect } from 'vitest';
import type { PlannedSession } from './plan.js';
import {
  chain,
  packInvocations,
  MAX_COMMAND_BYTES,
  parseCreated,
  resumeKeysArgs,
  resumeCommandLine,
  sessionCommands,
  tempSessionName,
  unvisSessionName,
} from './commands.js';
import { layoutChecksum } from './layout.js';
import { INSTANCE_FORMAT } from '../tmux/fleet-format.js';

const ID = '0f0e0d0c-0b0a-4909-8807-060504030201';
const TWO = `${layoutChecksum('120x30,0,0{60x30,0,0,1,59x30,61,0,2}')},120x30,0,0{60x30,0,0,1,59x30,61,0,2}`;

const session: PlannedSession = {
  name: 'we#{x}ird;',
  action: 'create',
  windows: [
    {
      index: 2,
      name: 'first #(id)',
      layout: TWO,
      active: false,
      zoomed: true,
      panes: [
        {
          role: 'a',
          paneIndex: 0,
          target: 't',
          cwd: '/p/a;',
          snapshotCwd: '/p/a;',
          action: 'resume',
          sessionId: ID,
          active: false,
          applyRole: true,
        },
        {
          role: 'b',
          paneIndex: 1,
          target: 't',
          cwd: "/p/b 'q' $HOME",
          snapshotCwd: '',
          action: 'shell',
          active: true,
          applyRole: false,
        },
      ],
    },
    {
      index: 5,
      name: 'second',
      layout: 'garbage',
      active: true,
      zoomed: false,
      panes: [
        {
          role: 'c',
          paneIndex: 0,
          target: 't',
          cwd: '/p/c',
          snapshotCwd: '/p/c',
          action: 'shell',
          active: true,
          applyRole: true,
        },
      ],
    },
  ],
};
const TMP = tempSessionName('0123abcd');

describe('tmux argv escaping', () => {
  it('chains commands with every argument escaped', () => {
    expect(chain([['x', 'a;'], ['y']])).toEqual(['x', 'a\\;', ';', 'y']);
  });

  it('decodes the names tmux stored vis-encoded', () => {
    expect(unvisSessionName('back\\\\slash')).toBe('back\\slash');
    expect(unvisSessionName('a\\tb\\033c')).toBe('a\tb\x1bc');
    expect(unvisSessionName("we'ird \\$name")).toBe("we'ird $name");
    expect(unvisSessionName('plain \\q')).toBe('plain \\q');
  });
});

describe('building a session', () => {
  it('names the temporary session with hex only', () => {
    expect(TMP).toBe('fk-restore-0123abcd');
    expect(() => tempSessionName('x;y')).toThrow(/8-64 hex digits/);
    expect(() => sessionCommands(session, 'mine')).toThrow(/not a temporary session name/);
  });

  it('builds the whole session by temporary name: indexes pinned, panes in order, roles only where planned, renamed last', () => {
    const { commands, warnings } = sessionCommands(session, TMP);
    const S = '=fk-restore-0123abcd:';
    expect(commands.map((c) => [c.step, ...c.argv])).toEqual([
      [
        'create',
        'new-session',
        '-d',
        '-s',
        TMP,
        '-n',
        'first ##(id)',
        '-c',
        '/p/a\\;',
        '-x',
        '120',
        '-y',
        '30',
        '-P',
        '-F',
        `new\t#{session_id}\t#{pane_id}\t${INSTANCE_FORMAT}`,
      ],
      ['build', 'set-option', '-t', S, 'base-index', '2'],
      ['build', 'move-window', '-r', '-t', S],
      ['build', 'set-option', '-w', '-t', `${S}2`, 'pane-base-index', '0'],
      ['build', 'set-option', '-p', '-t', `${S}2`, '@fleetkeeper-role', 'a'],
      ['build', 'split-window', '-t', `${S}2`, '-c', "/p/b 'q' $HOME", '-P', '-F', '#{pane_id}'],
      ['build', 'select-layout', '-t', `${S}2`, 'tiled'],
      ['build', 'new-window', '-d', '-t', `${S}5`, '-n', 'second', '-c', '/p/c', '-P', '-F', '#{pane_id}'],
      ['build', 'set-option', '-w', '-t', `${S}5`, 'pane-base-index', '0'],
      ['build', 'set-option', '-p', '-t', `${S}5`, '@fleetkeeper-role', 'c'],
      ['finish', 'select-layout', '-t', `${S}2`, TWO],
      ['finish', 'select-pane', '-t', `${S}2.1`],
      ['finish', 'resize-pane', '-Z', '-t', `${S}2`],
      ['finish', 'select-window', '-t', `${S}5`],
      ['cleanup', 'set-option', '-u', '-t', S, 'base-index'],
      ['cleanup', 'set-option', '-w', '-u', '-t', `${S}2`, 'pane-base-index'],
      ['cleanup', 'set-option', '-w', '-u', '-t', `${S}5`, 'pane-base-index'],
      ['rename', 'rename-session', '-t', S, '--', 'we##{x}ird\\;'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('never passes an invalid layout to tmux, and says so', () => {
    const bad = { ...session, windows: session.windows.map((w) => ({ ...w, layout: 'garbage' })) };
    const { commands, warnings } = sessionCommands(bad, TMP);
    expect(commands.some((c) => c.argv.includes('garbage'))).toBe(false);
    expect(commands.find((c) => c.step === 'create')?.argv).not.toContain('-x');
    expect(warnings).toEqual([expect.stringMatching(/"garbage" is not a valid layout for 2 panes/)]);
  });

  it('decodes a vis-encoded session name before the rename', () => {
    const { commands } = sessionCommands({ ...session, name: 'back\\\\slash' }, TMP);
    expect(commands.at(-1)?.argv.at(-1)).toBe('back\\slash');
    // A leading '-' would be read as a flag, and one unparsable command makes tmux refuse the whole chain.
    expect(
      sessionCommands({ ...session, name: '-$(x)' }, TMP)
        .commands.at(-1)
        ?.argv.slice(-2),
    ).toEqual(['--', '-$(x)']);
  });

  it('parses what new-session printed', () => {
    // The socket path comes escaped (INSTANCE_FORMAT): a tab, newline or backslash in it round-trips.
    const c = parseCreated('new\t$3\t%9\t/tmp/tmux-0/x\\ty\\\\z\\n\t4242\t1700000000\n');
    expect(c).toEqual({
      sessionId: '$3',
      firstPaneId: '%9',
      instance: { socketPath: '/tmp/tmux-0/x\ty\\z\n', pid: 4242, startTime: 1700000000 },
    });
    expect(() => parseCreated('junk')).toThrow(/unexpected new-session output/);
    expect(() => parseCreated('new\t3\t%9\t/s\t1\t2')).toThrow(/unexpected new-session output/);
    // An unescaped tab in the path (the old format) shifts the fields: refused, not misread.
    expect(() => parseCreated('new\t$3\t%9\t/tmp/x\ty\t4242\t1700000000')).toThrow(/unexpected new-session output/);
    expect(() => parseCreated('new\t$3\t%9\t\t4242\t1700000000')).toThrow(/unexpected new-session output/);
  });

  it('packs whole sessions into as few invocations as fit, the tail after each; a big session alone', () => {
    const a = [['a', 'x;'], ['b']];
    const c = [['c']];
    expect(packInvocations([a, c], ['t'])).toEqual([
      { argv: ['a', 'x;', ';', 'b', ';', 'c', ';', 't'], sessions: [0, 1], completes: [0, 1] },
    ]);
    // 'a' 7 + 'b' 4 + tail 4 = 15: the next session no longer fits.
    expect(packInvocations([a, c], ['t'], 15)).toEqual([
      { argv: ['a', 'x;', ';', 'b', ';', 't'], sessions: [0], completes: [0] },
      { argv: ['c', ';', 't'], sessions: [1], completes: [1] },
    ]);
    // A session bigger than the limit spans invocations; it completes in the last.
    expect(packInvocations([c, a], ['t'], 11)).toEqual([
      { argv: ['c', ';', 't'], sessions: [0], completes: [0] },
      { argv: ['a', 'x;', ';', 't'], sessions: [1], completes: [] },
      { argv: ['b', ';', 't'], sessions: [1], completes: [1] },
    ]);
    const huge = ['d', 'é'.repeat(MAX_COMMAND_BYTES)];
    expect(packInvocations([[['a'], huge, ['b']]], ['t']).map((i) => i.argv)).toEqual([
      ['a', ';', 't'],
      [...huge, ';', 't'],
      ['b', ';', 't'],
    ]);
  });

  it("keeps every invocation of a realistic fleet under tmux's 16364-byte argv limit", () => {
    const fleet = Array.from({ length: 40 }, (_, k) =>
      sessionCommands({ ...session, name: `s${k}` }, tempSessionName(`${k}`.padStart(8, '0'))).commands.map(
        (c) => c.argv,
      ),
    );
    const big = Array.from({ length: 300 }, (_, i) => [
      'split-window',
      '-t',
      `=${TMP}:1`,
      '-c',
      `/home/u/${'d'.repeat(60)}/${i}`,
    ]);
    const invs = packInvocations([...fleet, big], ['list-sessions']);
    expect(invs.length).toBeGreaterThan(2);
    for (const inv of invs)
      expect(inv.argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0)).toBeLessThanOrEqual(16_364);
    expect(invs.flatMap((i) => i.completes)).toEqual(Array.from({ length: 41 }, (_, k) => k));
    expect(invs.flatMap((i) => i.argv).filter((a) => a === 'new-session')).toHaveLength(40);
    expect(invs.flatMap((i) => i.argv).filter((a) => a === 'split-window')).toHaveLength(340);
  });
});

describe('typing the resume', () => {
  it('quotes the binary, refuses anything but a UUID', () => {
    expect(resumeCommandLine("/opt/my claude's/claude", ID)).toBe(`'/opt/my claude'\\''s/claude' --resume ${ID}`);
    expect(resumeKeysArgs('%3', 'claude', ID)).toEqual([
      'send-keys',
      '-t',
      '%3',
      '-l',
      '--',
      `claude --resume ${ID}`,
      ';',
      'send-keys',
      '-t',
      '%3',
      'Enter',
    ]);
    expect(() => resumeKeysArgs('%3', 'claude', `${ID}; rm -rf ~`)).toThrow(/not a UUID/);
    expect(() => resumeKeysArgs('$(x)', 'claude', ID)).toThrow(/not a pane id/);
  });
});
