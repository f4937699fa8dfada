// Realistic inputs for the suite: fleets of any size (a 2 MB snapshot is ~3,000 panes with
// long titles), their bindings, and journal event fields of every kind.
import { randomUUID } from 'node:crypto';
import type { Binding, FleetState, PaneContext, ServerInstance } from '../../../main/common/base/types.js';
import type { EventFields } from '../../../main/node/journal/spool.js';

export const INSTANCE: ServerInstance = {
  socketPath: '/tmp/tmux-0/fk-reliability',
  pid: 4242,
  startTime: 1_790_000_000,
};

export function sampleFleet(
  opts: { sessions?: number; windows?: number; panes?: number; padBytes?: number; instance?: ServerInstance } = {},
): FleetState {
  const nS = opts.sessions ?? 2;
  const nW = opts.windows ?? 2;
  const nP = opts.panes ?? 3;
  // Bulk goes into the cwd: snapshots store it (pane titles are no longer stored).
  const pad = 'x'.repeat(opts.padBytes ?? 8);
  let paneId = 0;
  return {
    instance: { ...(opts.instance ?? INSTANCE) },
    sessions: Array.from({ length: nS }, (_, s) => ({
      name: `s${s}`,
      id: `$${s}`,
      windows: Array.from({ length: nW }, (_, w) => ({
        index: w,
        id: `@${s * nW + w}`,
        name: `w${w}`,
        layout: 'b25d,80x24,0,0,0',
        active: w === 0,
        zoomed: false,
        panes: Array.from({ length: nP }, (_, p) => ({
          index: p,
          id: `%${paneId++}`,
          role: `s${s}-${w}.${p}`,
          cwd: `/home/u/project-${s}/${w}/${pad}`,
          currentCommand: p === 0 ? 'claude' : 'bash',
          active: p === 0,
          binding: null,
        })),
      })),
    })),
  };
}

/** A binding for every pane whose command is claude. */
export function bindingsFor(fleet: FleetState, at = '2026-11-23T20:00:00.000Z'): Record<string, Binding> {
  const out: Record<string, Binding> = {};
  for (const s of fleet.sessions) {
    for (const w of s.windows) {
      for (const p of w.panes) {
        if (p.currentCommand !== 'claude') continue;
        const sid = randomUUID();
        out[p.role] = {
          sessionId: sid,
          transcriptPath: `/c/projects/x/${sid}.jsonl`,
          cwd: p.cwd,
          source: 'startup',
          boundAt: at,
          eventId: `e-${p.role}`,
        };
      }
    }
  }
  return out;
}

export function paneContext(role: string, i = 0): PaneContext {
  return { instance: { ...INSTANCE }, paneId: `%${i}`, role, sessionName: 'work', windowIndex: 0, paneIndex: i };
}

/** Event fields of kind i % 10: starts, an unbound start, a malformed record and an end. */
export function eventFields(i: number, at: Date = new Date()): EventFields {
  const iso = at.toISOString();
  const sessionId = randomUUID();
  const pane = paneContext(`r${i % 7}`, i % 50);
  switch (i % 10) {
    case 7:
      return {
        kind: 'session-start',
        at: iso,
        pane: null,
        sessionId,
        transcriptPath: `/t/${sessionId}.jsonl`,
        cwd: '/w',
        source: 'startup',
      };
    case 8:
      return { kind: 'malformed', at: iso, pane, problem: `stdin is not JSON (${i})`, raw: '{"oops"' };
    case 9:
      return {
        kind: 'session-end',
        at: iso,
        pane,
        sessionId,
        transcriptPath: `/t/${sessionId}.jsonl`,
        cwd: '/w',
        reason: 'exit',
      };
    default:
      return {
        kind: 'session-start',
        at: iso,
        pane,
        sessionId,
        transcriptPath: `/t/${sessionId}.jsonl`,
        cwd: `/w/${i}`,
        source: 'startup',
      };
  }
}
