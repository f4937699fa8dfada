import { describe, it, expect } from 'vitest';
import type { JournalEvent, ServerInstance } from '../../common/base/types.js';
import type { ExecutedPane } from './execute.js';
import { verifyResumes } from './verify.js';

const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const here: ServerInstance = { socketPath: '/tmp/tmux-0/fk', pid: 100, startTime: 5000 };
const before: ServerInstance = { socketPath: '/tmp/tmux-0/fk', pid: 90, startTime: 4000 };
const since = new Date('2025-06-01T10:00:00.000Z');

const panes: ExecutedPane[] = [
  { role: 'api', target: 's:0.0', paneId: '%1', action: 'resume', sessionId: A },
  { role: 'web', target: 's:0.1', paneId: '%2', action: 'resume', sessionId: B },
  { role: 'ops', target: 's:1.0', paneId: '%3', action: 'resume', sessionId: C },
];

let n = 0;
function start(
  paneId: string,
  sessionId: string,
  at: string,
  extra: Partial<JournalEvent> = {},
  instance = here,
): JournalEvent {
  return {
    format: 'fleetkeeper-event',
    version: 1,
    id: `e${n++}`,
    kind: 'session-start',
    at,
    sessionId,
    transcriptPath: `/t/${sessionId}.jsonl`,
    cwd: '/p',
    source: 'resume',
    pane: { instance, paneId, role: 'x', sessionName: 's', windowIndex: 0, paneIndex: 0 },
    checksum: 'sha256:0',
    ...extra,
  };
}

describe('verifyResumes', () => {
  it('verified / wrong / silent, ignoring other instances, old events and session ends', async () => {
    const events = [
      start('%1', A, '2025-06-01T10:00:01.000Z'),
      start('%2', C, '2025-06-01T10:00:02.000Z'), // wrong conversation in this pane
      start('%3', C, '2025-06-01T10:00:01.000Z', {}, before), // same pane id, previous server: ignored
      start('%3', C, '2025-06-01T09:59:59.000Z'), // before the restore: ignored
      start('%3', C, '2025-06-01T10:00:03.000Z', { kind: 'session-end', source: undefined, reason: 'other' }),
    ];
    const t0 = Date.now();
    const v = await verifyResumes(panes, here, async () => events, { since, timeoutMs: 300, pollMs: 50 });
    expect(v).toEqual([
      { role: 'api', paneId: '%1', expected: A, got: A, status: 'verified', via: 'hook' },
      { role: 'web', paneId: '%2', expected: B, got: C, status: 'wrong', via: 'hook' },
      { role: 'ops', paneId: '%3', expected: C, got: null, status: 'silent' },
    ]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('a SessionStart of any source naming another conversation is WRONG at once, not SILENT after the timeout', async () => {
    for (const source of ['startup', 'clear', 'compact']) {
      const events = [start('%3', A, '2025-06-01T10:00:03.000Z', { source })];
      const t0 = Date.now();
      const v = await verifyResumes(panes.slice(2), here, async () => events, { since, timeoutMs: 30_000 });
      expect(v[0]).toMatchObject({ status: 'wrong', got: A });
      expect(Date.now() - t0).toBeLessThan(5000);
    }
  });

  it("a pane whose hooks never fire is verified by the new process's own registry file, or WRONG from it", async () => {
    const probe = async (ps: readonly ExecutedPane[]) =>
      new Map(
        ps.flatMap((p) => (p.paneId === '%1' ? [['%1', A]] : p.paneId === '%2' ? [['%2', C]] : [])) as [
          string,
          string,
        ][],
      );
    const v = await verifyResumes(panes, here, async () => [], {
      since,
      timeoutMs: 200,
      pollMs: 50,
      readRegistry: probe,
    });
    expect(v).toEqual([
      { role: 'api', paneId: '%1', expected: A, got: A, status: 'verified', via: 'claude-registry' },
      { role: 'web', paneId: '%2', expected: B, got: C, status: 'wrong', via: 'claude-registry' },
      { role: 'ops', paneId: '%3', expected: C, got: null, status: 'silent' },
    ]);
  });

  it('returns as soon as every pane has answered, polling the journal as it grows', async () => {
    const events: JournalEvent[] = [];
    let reads = 0;
    const read = async (): Promise<JournalEvent[]> => {
      reads++;
      if (reads === 2)
        events.push(start('%1', A, '2025-06-01T10:00:01.000Z'), start('%2', B, '2025-06-01T10:00:01.500Z'));
      if (reads === 3) events.push(start('%3', C, '2025-06-01T10:00:02.000Z'));
      return [...events];
    };
    const t0 = Date.now();
    const v = await verifyResumes(panes, here, read, { since, timeoutMs: 10_000, pollMs: 20 });
    expect(v.map((p) => p.status)).toEqual(['verified', 'verified', 'verified']);
    expect(reads).toBe(3);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a pane that reported its own conversation stays verified even if another start follows', async () => {
    const events = [start('%1', A, '2025-06-01T10:00:01.000Z'), start('%1', B, '2025-06-01T10:00:02.000Z')];
    const v = await verifyResumes(panes.slice(0, 1), here, async () => events, { since, timeoutMs: 0 });
    expect(v[0]?.status).toBe('verified');
  });

  it('a registry file read once with another id is not yet WRONG: the next read may show the resume', async () => {
    let reads = 0;
    const probe = async (): Promise<Map<string, string>> => new Map([['%1', reads++ === 0 ? B : A]]);
    const v = await verifyResumes(panes.slice(0, 1), here, async () => [], {
      since,
      timeoutMs: 5000,
      pollMs: 20,
      readRegistry: probe,
    });
    expect(v[0]).toMatchObject({ status: 'verified', got: A, via: 'claude-registry' });
    const t0 = Date.now();
    const stuck = await verifyResumes(panes.slice(0, 1), here, async () => [], {
      since,
      timeoutMs: 30_000,
      pollMs: 20,
      readRegistry: async () => new Map([['%1', B]]),
    });
    expect(stuck[0]).toMatchObject({ status: 'wrong', got: B });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
