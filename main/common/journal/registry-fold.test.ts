import { describe, it, expect } from 'vitest';
import type { JournalEvent, PaneContext } from '../base/types.js';
import { canonicalJson } from '../base/canonical-json.js';
import { bindingsOf, emptyRegistry, foldEvents, parseRegistryDoc } from './registry-fold.js';

let seq = 0;
const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const S3 = '33333333-3333-4333-8333-333333333333';

function pane(role: string, paneId = '%1'): PaneContext {
  return {
    instance: { socketPath: '/tmp/tmux-1/default', pid: 10, startTime: 1700000000 },
    paneId,
    role,
    sessionName: 's',
    windowIndex: 0,
    paneIndex: 0,
  };
}

function ev(kind: JournalEvent['kind'], at: string, extra: Partial<JournalEvent> = {}): JournalEvent {
  seq++;
  const id = `20240501T${String(seq).padStart(9, '0')}Z-0000000001-${seq.toString(16).padStart(16, '0')}`;
  const base: JournalEvent = {
    format: 'fleetkeeper-event',
    version: 1,
    id,
    kind,
    at,
    pane: pane('api'),
    checksum: 'sha256:x',
  };
  if (kind === 'malformed') return { ...base, pane: null, problem: 'bad', raw: '{', ...extra };
  const session = { sessionId: S1, transcriptPath: `/t/${extra.sessionId ?? S1}.jsonl`, cwd: '/w' };
  return kind === 'session-start'
    ? { ...base, ...session, source: 'startup', ...extra }
    : { ...base, ...session, reason: 'prompt_input_exit', ...extra };
}

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const history: JournalEvent[] = [
  ev('session-start', '2024-05-01T10:00:00.000Z', { sessionId: S1 }),
  ev('session-start', '2024-05-01T10:00:00.000Z', { sessionId: S2, pane: pane('web', '%2') }),
  ev('session-end', '2024-05-01T10:05:00.000Z', { sessionId: S1, reason: 'clear' }),
  ev('session-start', '2024-05-01T10:05:00.001Z', { sessionId: S3, source: 'clear' }),
  ev('session-end', '2024-05-01T11:00:00.000Z', { sessionId: S2, reason: 'other', pane: pane('web', '%2') }),
  ev('session-start', '2024-05-01T11:00:00.000Z', { sessionId: S1, pane: null }),
  ev('malformed', '2024-05-01T11:00:01.000Z'),
];

describe('foldEvents', () => {
  it('is idempotent: folding again, or folding a prefix then all, changes nothing', () => {
    const once = foldEvents(emptyRegistry(), history);
    expect(once.applied).toBe(history.length);
    const twice = foldEvents(once.doc, history);
    expect(twice.applied).toBe(0);
    expect(twice.doc).toEqual(once.doc);
    const split = foldEvents(foldEvents(emptyRegistry(), history.slice(0, 3)).doc, history);
    expect(split.applied).toBe(history.length - 3);
    expect(split.doc).toEqual(once.doc);
  });

  it('is order-independent (20 shuffles reproduce the registry exactly)', () => {
    const expected = canonicalJson(foldEvents(emptyRegistry(), history).doc);
    const reference = bindingsOf(foldEvents(emptyRegistry(), history).doc);
    for (let seed = 1; seed <= 20; seed++) {
      const doc = foldEvents(emptyRegistry(), shuffle(history, seed)).doc;
      expect(canonicalJson(doc)).toBe(expected);
      expect(bindingsOf(doc)).toEqual(reference);
    }
  });

  it('counts unbound and malformed events, and does not count them again', () => {
    const { doc } = foldEvents(emptyRegistry(), history);
    expect(doc.unbound).toBe(1);
    expect(doc.malformed).toBe(1);
    expect(foldEvents(doc, history).doc.unbound).toBe(1);
    expect(Object.keys(doc.applied).sort()).toEqual(history.map((e) => e.id).sort());
  });

  it('/clear (source clear, new session id) rebinds the role; the old end does not mark it ended', () => {
    const b = bindingsOf(foldEvents(emptyRegistry(), history).doc);
    expect(b.api?.sessionId).toBe(S3);
    expect(b.api?.source).toBe('clear');
    expect(b.api?.endedAt).toBeUndefined();
  });

  it("SessionEnd reason 'other' (a reboot) marks ended but keeps the binding", () => {
    const b = bindingsOf(foldEvents(emptyRegistry(), history).doc);
    expect(b.web).toMatchObject({
      sessionId: S2,
      endedAt: '2024-05-01T11:00:00.000Z',
      endReason: 'other',
      paneId: '%2',
    });
  });

  it('an end older than the start, or for another session, does not end the binding', () => {
    const events = [
      ev('session-start', '2024-05-01T12:00:00.000Z', { sessionId: S1, source: 'resume' }),
      ev('session-end', '2024-05-01T11:59:59.999Z', { sessionId: S1 }),
    ];
    expect(bindingsOf(foldEvents(emptyRegistry(), events).doc).api?.endedAt).toBeUndefined();
    const other = [
      ev('session-start', '2024-05-01T12:00:00.000Z', { sessionId: S1 }),
      ev('session-end', '2024-05-01T12:01:00.000Z', { sessionId: S2 }),
    ];
    expect(bindingsOf(foldEvents(emptyRegistry(), other).doc).api?.endedAt).toBeUndefined();
  });

  it('a resume after an end rebinds as live', () => {
    const events = [
      ev('session-start', '2024-05-01T10:00:00.000Z', { sessionId: S1 }),
      ev('session-end', '2024-05-01T10:01:00.000Z', { sessionId: S1, reason: 'other' }),
      ev('session-start', '2024-05-01T10:02:00.000Z', { sessionId: S1, source: 'resume' }),
    ];
    const b = bindingsOf(foldEvents(emptyRegistry(), events).doc).api;
    expect(b).toMatchObject({ sessionId: S1, source: 'resume', boundAt: '2024-05-01T10:02:00.000Z' });
    expect(b?.endedAt).toBeUndefined();
  });

  it('does not mutate its input and treats a role named __proto__ as an ordinary key', () => {
    const start = emptyRegistry();
    const snapshot = JSON.stringify(start);
    const { doc } = foldEvents(start, [ev('session-start', '2024-05-01T10:00:00.000Z', { pane: pane('__proto__') })]);
    expect(JSON.stringify(start)).toBe(snapshot);
    expect(Object.keys(bindingsOf(doc))).toEqual(['__proto__']);
    expect(parseRegistryDoc(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });
});

describe('SessionEnd without a pane (the server was going down)', () => {
  it('ends the binding that holds that session id, in any order, and survives a store round trip', () => {
    const events = [
      ev('session-start', '2024-05-01T10:00:00.000Z', { sessionId: S1 }),
      ev('session-start', '2024-05-01T10:00:00.000Z', { sessionId: S2, pane: pane('web', '%2') }),
      ev('session-end', '2024-05-01T12:00:00.000Z', { sessionId: S1, reason: 'other', pane: null }),
    ];
    for (const seed of [1, 2, 3, 4]) {
      const { doc } = foldEvents(emptyRegistry(), shuffle(events, seed));
      const b = bindingsOf(doc);
      expect(b.api?.endReason).toBe('other');
      expect(b.api?.sessionId).toBe(S1);
      expect(b.web?.endedAt).toBeUndefined();
      expect(bindingsOf(parseRegistryDoc(JSON.parse(JSON.stringify(doc))))).toEqual(b);
    }
  });

  it('does not end a newer session of the same role', () => {
    const events = [
      ev('session-start', '2024-05-01T10:00:00.000Z', { sessionId: S1 }),
      ev('session-end', '2024-05-01T10:01:00.000Z', { sessionId: S1, reason: 'other', pane: null }),
      ev('session-start', '2024-05-01T10:02:00.000Z', { sessionId: S1, source: 'resume' }),
    ];
    expect(bindingsOf(foldEvents(emptyRegistry(), events).doc).api?.endedAt).toBeUndefined();
  });
});

describe('parseRegistryDoc', () => {
  it('round-trips a folded doc and rejects damaged ones naming the problem', () => {
    const { doc } = foldEvents(emptyRegistry(), history);
    expect(parseRegistryDoc(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
    expect(() => parseRegistryDoc([])).toThrow(/not a JSON object/);
    expect(() => parseRegistryDoc({ ...doc, version: 2 })).toThrow(/version 2/);
    expect(() => parseRegistryDoc({ ...doc, unbound: -1 })).toThrow(/unbound/);
    expect(() => parseRegistryDoc({ ...doc, roles: { api: { start: { sessionId: 5 } } } })).toThrow(/"api"/);
  });
});
