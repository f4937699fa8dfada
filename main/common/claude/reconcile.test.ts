import { describe, expect, it } from 'vitest';
import type { Binding, ServerInstance } from '../base/types.js';
import { reconcile, type ReconcileInput } from './reconcile.js';
import { parseRegistryEntry, transcriptPathFor } from './session-registry.js';

const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const inst: ServerInstance = { socketPath: '/tmp/tmux-0/default', pid: 10, startTime: 1000 };
const FILE = '/c/sessions/4242.json';

const hook = (sessionId: string, extra: Partial<Binding> = {}): Binding => ({
  sessionId,
  transcriptPath: `/c/projects/-p/${sessionId}.jsonl`,
  cwd: '/p',
  source: 'startup',
  boundAt: '2026-01-01T00:00:00.000Z',
  eventId: 'e1',
  ...extra,
});

const file = (o: Record<string, unknown>): string =>
  JSON.stringify({ pid: 4242, sessionId: A, cwd: '/p', procStart: '777', kind: 'interactive', ...o });

function input(h: Binding | null, text: string | null): ReconcileInput {
  return {
    where: 'pane s:0.0 (role api)',
    hook: h,
    registry:
      text === null
        ? { kind: 'unavailable', why: `${FILE} does not exist` }
        : parseRegistryEntry(text, FILE, 4242, '777'),
    registryTranscript: `/c/projects/-p/${A}.jsonl`,
    paneId: '%1',
    instance: inst,
    now: '2026-01-02T00:00:00.000Z',
    pid: 4242,
  };
}

describe('reconcile', () => {
  it('agree: the hook binding stands', () => {
    const r = reconcile(input(hook(A), file({})));
    expect(r.verdict).toBe('agree');
    expect(r.binding).toEqual(hook(A));
    expect(r.problems).toEqual([]);
  });

  it('agree on a conversation the journal thought ended: the live process says it did not', () => {
    const r = reconcile(input(hook(A, { endedAt: '2026-01-01T01:00:00.000Z', endReason: 'other' }), file({})));
    expect(r.binding).not.toHaveProperty('endedAt');
    expect(r.binding).not.toHaveProperty('endReason');
  });

  it('adopt: only the registry knows the pane', () => {
    const r = reconcile(input(null, file({})));
    expect(r.verdict).toBe('adopted');
    expect(r.binding).toMatchObject({ sessionId: A, cwd: '/p', source: 'claude-registry', paneId: '%1' });
    expect(r.problems[0]).toMatchObject({ code: 'claude-adopted' });
    expect(r.problems[0]?.message).toContain(A);
  });

  it('drift: the live process wins and the problem names both ids', () => {
    const r = reconcile(input(hook(B), file({})));
    expect(r.verdict).toBe('drift');
    expect(r.binding?.sessionId).toBe(A);
    expect(r.problems[0]?.code).toBe('claude-drift');
    expect(r.problems[0]?.message).toContain(A);
    expect(r.problems[0]?.message).toContain(B);
  });

  it('a moved conversation resumes where the registry says, and the move is reported', () => {
    const r = reconcile(input(hook(A), file({ cwd: '/elsewhere' })));
    expect(r.verdict).toBe('agree');
    expect(r.binding?.cwd).toBe('/elsewhere');
    expect(r.problems[0]?.code).toBe('claude-moved');
  });

  const unavailable: Array<[string, string | null, RegExp]> = [
    ['missing file (or missing dir)', null, /does not exist/],
    ['malformed file', '{"pid": 42', /not JSON/],
    ['unknown shape', JSON.stringify({ id: 1 }), /unknown format/],
    ['stale pid file (another pid)', file({ pid: 99 }), /stale/],
    ['reused pid (another start time)', file({ procStart: '5' }), /earlier process/],
    ['not a UUID', file({ sessionId: '$(touch x)' }), /not a UUID/],
    ['relative cwd', file({ cwd: 'p' }), /not absolute/],
  ];
  for (const [what, text, why] of unavailable) {
    it(`${what}: the hooks alone decide, and the registry is reported unavailable`, () => {
      for (const h of [hook(B), null]) {
        const r = reconcile(input(h, text));
        expect(r.verdict).toBe('unavailable');
        expect(r.binding).toEqual(h);
        expect(r.note).toMatch(why);
        expect(r.problems[0]?.code).toBe('claude-registry-unavailable');
      }
    });
  }

  it('accepts procStart as a number too (the format may change)', () => {
    expect(parseRegistryEntry(file({ procStart: 777 }), FILE, 4242, '777').kind).toBe('ok');
  });

  it('finds the conversation file where Claude keeps it', () => {
    expect(transcriptPathFor('/c/', '/home/u/my.proj', A)).toBe(`/c/projects/-home-u-my-proj/${A}.jsonl`);
  });
});
