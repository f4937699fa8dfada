import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ControlModeParser, type ControlMessage } from './control-mode-parser.js';

// Recorded from a real `tmux -C` (3.3a) over node-pty: test/fixtures/record-control-mode.mjs.
const recorded = readFileSync(new URL('../../../test/fixtures/control-mode-3.3a.txt', import.meta.url), 'utf8');

function feed(chunks: string[]): { msgs: ControlMessage[]; parser: ControlModeParser } {
  const parser = new ControlModeParser();
  const msgs = chunks.flatMap((c) => parser.push(c));
  return { msgs, parser };
}

function replies(msgs: ControlMessage[]) {
  return msgs.flatMap((m) => (m.type === 'reply' ? [m] : []));
}

describe('ControlModeParser on recorded tmux 3.3a control-mode output', () => {
  const whole = feed([recorded]);

  it('frames every reply, keeps data that looks like a guard, and reports errors', () => {
    expect(recorded).toContain('\r\n');
    const r = replies(whole.msgs);
    // The attach reply (flags 0) plus one reply per command the recorder sent (17 + detach).
    expect(r).toHaveLength(19);
    expect(r[0]).toMatchObject({ flags: 0, ok: true, lines: [] });
    expect(r[1]).toMatchObject({ flags: 1, ok: true, lines: ['plain reply'] });
    expect(r[2]?.lines).toEqual(['0 bash é ü']);
    expect(r[3]?.lines).toEqual(['%end 1 2 1 (looks like a guard but is data)']);
    expect(r[4]).toMatchObject({ ok: false, lines: ['parse error: unknown command: no-such-command'] });
    expect(r.at(-2)?.lines).toEqual(['two', 'lines']);
    for (let i = 1; i < r.length; i++) expect(r[i]!.number).toBeGreaterThan(r[i - 1]!.number);
    expect(whole.parser.pending).toBe(false);
  });

  it('turns % lines between replies into notifications and ignores the echoed commands', () => {
    const names = whole.msgs.flatMap((m) => (m.type === 'notification' ? [m.name] : []));
    expect(names).toEqual([
      'session-changed',
      'window-add',
      'layout-change',
      'window-renamed',
      'session-renamed',
      'unlinked-window-add',
      'unlinked-window-renamed',
      'unlinked-window-close',
      'unlinked-window-add',
      'sessions-changed',
      'session-window-changed',
      'session-window-changed',
      'unlinked-window-close',
      'window-add',
      'unlinked-window-close',
    ]);
    const renamed = whole.msgs.find((m) => m.type === 'notification' && m.name === 'session-renamed');
    expect(renamed).toMatchObject({ args: ['$0', 'rec', 'two'], line: '%session-renamed $0 rec two' });
    const layout = whole.msgs.find((m) => m.type === 'notification' && m.name === 'layout-change');
    expect(layout?.type === 'notification' && layout.args[0]).toBe('@2');
    // Every command line the recorder wrote came back as pty echo (18 of them).
    expect(whole.parser.echoedLines).toBe(18);
    expect(whole.msgs.at(-1)).toEqual({ type: 'exit', reason: '' });
  });

  it('gives the same messages for the recording split in two at every possible offset', () => {
    for (let i = 0; i <= recorded.length; i++) {
      const { msgs, parser } = feed([recorded.slice(0, i), recorded.slice(i)]);
      expect(msgs, `split at ${i}`).toEqual(whole.msgs);
      expect(parser.pending).toBe(false);
    }
  });

  it('gives the same messages fed one character at a time and in three-way splits', () => {
    expect(feed([...recorded]).msgs).toEqual(whole.msgs);
    for (let i = 0; i < recorded.length; i += 7) {
      for (let j = i; j <= recorded.length; j += 13) {
        expect(feed([recorded.slice(0, i), recorded.slice(i, j), recorded.slice(j)]).msgs).toEqual(whole.msgs);
      }
    }
  });

  it('gives the same messages when lines end with a bare \\n', () => {
    expect(feed([recorded.replace(/\r\n/g, '\n')]).msgs).toEqual(whole.msgs);
  });
});

describe('ControlModeParser edge cases', () => {
  it('only the guard with the same time, number and flags closes a reply', () => {
    const p = new ControlModeParser();
    const msgs = p.push('%begin 10 5 1\r\n%end 10 4 1\r\n%error 11 5 1\r\n%window-add @1\r\n%end 10 5 1\r\n');
    expect(msgs).toEqual([
      { type: 'reply', number: 5, ok: true, flags: 1, lines: ['%end 10 4 1', '%error 11 5 1', '%window-add @1'] },
    ]);
  });

  it('reports %exit with its reason and holds an incomplete line back', () => {
    const p = new ControlModeParser();
    expect(p.push('%exit server exi')).toEqual([]);
    expect(p.pending).toBe(true);
    expect(p.push('ted\r\n')).toEqual([{ type: 'exit', reason: 'server exited' }]);
  });
});
