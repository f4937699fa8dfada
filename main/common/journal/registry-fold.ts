import type { Binding, JournalEvent, ServerInstance } from '../base/types.js';
import { isSessionId } from '../base/names.js';

// The registry is a pure fold of the journal. Per role it keeps only the latest start and the
// latest end by (at, id), and records every event id it has seen, so folding the same events
// again, or in another order, or split across calls, gives exactly the same document.

export interface StartRecord {
  eventId: string;
  at: string;
  sessionId: string;
  transcriptPath: string;
  cwd: string;
  source: string;
  paneId: string;
  instance: ServerInstance;
}

export interface EndRecord {
  eventId: string;
  at: string;
  sessionId: string;
  reason: string;
}

export interface RoleRecord {
  start?: StartRecord;
  end?: EndRecord;
}

export interface RegistryDoc {
  version: 1;
  roles: Record<string, RoleRecord>;
  /** Every event id folded in so far. */
  applied: Record<string, true>;
  /** Session events that fired outside tmux (no pane, so no role to bind). */
  unbound: number;
  malformed: number;
  /**
   * SessionEnd events that arrived with no pane: when the tmux server is going down the hook
   * can no longer ask it where it runs. Session ids are unique, so they still end the right
   * binding, matched by session id in bindingsOf (which keeps the fold order-independent).
   */
  endsBySession: Record<string, EndRecord>;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KINDS = new Set(['session-start', 'session-end', 'malformed']);

/** Role names come from tmux; a null-prototype map keeps `__proto__` an ordinary key. */
function dict<T>(from?: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from ?? {});
}

export function emptyRegistry(): RegistryDoc {
  return { version: 1, roles: dict(), applied: dict(), unbound: 0, malformed: 0, endsBySession: dict() };
}

export function compareEvents(a: { at: string; id: string }, b: { at: string; id: string }): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function instanceProblem(v: unknown): string | null {
  if (!isObj(v)) return 'instance is not an object';
  if (!isStr(v.socketPath) || v.socketPath === '') return 'instance.socketPath is not a non-empty string';
  if (!isInt(v.pid) || !isInt(v.startTime)) return 'instance.pid/startTime are not integers';
  return null;
}

function paneProblem(v: unknown): string | null {
  if (v === null) return null;
  if (!isObj(v)) return 'pane is neither null nor an object';
  const inst = instanceProblem(v.instance);
  if (inst !== null) return `pane.${inst}`;
  if (!isStr(v.paneId) || !/^%\d+$/.test(v.paneId))
    return `pane.paneId ${JSON.stringify(v.paneId)} is not a tmux pane id`;
  if (!isStr(v.role) || v.role === '') return 'pane.role is not a non-empty string';
  if (!isStr(v.sessionName) || !isInt(v.windowIndex) || !isInt(v.paneIndex))
    return 'pane session/window/pane fields are invalid';
  return null;
}

/** Why a parsed event record is not a usable journal event, or null when it is. */
export function validateEventShape(rec: object): string | null {
  const r = rec as Record<string, unknown>;
  if (!isStr(r.id) || r.id === '') return 'id missing';
  if (!isStr(r.kind) || !KINDS.has(r.kind)) return `unknown kind ${JSON.stringify(r.kind)}`;
  if (!isStr(r.at) || !ISO_RE.test(r.at)) return `at ${JSON.stringify(r.at)} is not an ISO UTC timestamp`;
  if (!('pane' in r)) return 'pane missing (null when outside tmux)';
  const pane = paneProblem(r.pane);
  if (pane !== null) return pane;
  for (const key of ['sessionId', 'transcriptPath', 'cwd', 'source', 'reason', 'problem', 'raw']) {
    if (key in r && r[key] !== undefined && !isStr(r[key])) return `${key} is not a string`;
  }
  if (r.kind === 'malformed') return isStr(r.problem) ? null : 'malformed event without a problem';
  if (!isStr(r.sessionId) || !isSessionId(r.sessionId)) return `sessionId ${JSON.stringify(r.sessionId)} is not a UUID`;
  if (!isStr(r.transcriptPath) || !isStr(r.cwd)) return 'transcriptPath/cwd missing';
  return null;
}

/**
 * Folds events into a copy of `doc`. `applied` counts the events that were new to it; an
 * event already in `doc.applied` changes nothing.
 */
export function foldEvents(doc: RegistryDoc, events: readonly JournalEvent[]): { doc: RegistryDoc; applied: number } {
  const next: RegistryDoc = {
    version: 1,
    roles: dict(doc.roles),
    applied: dict(doc.applied),
    unbound: doc.unbound,
    malformed: doc.malformed,
    endsBySession: dict(doc.endsBySession),
  };
  let applied = 0;
  for (const e of events) {
    if (next.applied[e.id] === true) continue;
    next.applied[e.id] = true;
    applied++;
    if (e.kind === 'malformed' || validateEventShape(e) !== null) {
      next.malformed++;
      continue;
    }
    if (e.pane === null) {
      next.unbound++;
      if (e.kind === 'session-end') {
        const sid = e.sessionId as string;
        const prev = next.endsBySession[sid];
        if (prev === undefined || compareEvents({ at: e.at, id: e.id }, { at: prev.at, id: prev.eventId }) > 0) {
          next.endsBySession[sid] = { eventId: e.id, at: e.at, sessionId: sid, reason: e.reason ?? 'unknown' };
        }
      }
      continue;
    }
    const role = e.pane.role;
    const rec = next.roles[role] ?? {};
    const sessionId = e.sessionId as string;
    if (e.kind === 'session-start') {
      if (
        rec.start === undefined ||
        compareEvents({ at: e.at, id: e.id }, { at: rec.start.at, id: rec.start.eventId }) > 0
      ) {
        const start: StartRecord = {
          eventId: e.id,
          at: e.at,
          sessionId,
          transcriptPath: e.transcriptPath as string,
          cwd: e.cwd as string,
          source: e.source ?? 'unknown',
          paneId: e.pane.paneId,
          instance: { ...e.pane.instance },
        };
        next.roles[role] = { ...rec, start };
      }
    } else if (
      rec.end === undefined ||
      compareEvents({ at: e.at, id: e.id }, { at: rec.end.at, id: rec.end.eventId }) > 0
    ) {
      next.roles[role] = { ...rec, end: { eventId: e.id, at: e.at, sessionId, reason: e.reason ?? 'unknown' } };
    }
  }
  return { doc: next, applied };
}

/** role → binding: the latest start, marked ended only by an end of that same session. */
export function bindingsOf(doc: RegistryDoc): Record<string, Binding> {
  const out = dict<Binding>();
  for (const role of Object.keys(doc.roles).sort()) {
    const { start, end } = doc.roles[role] as RoleRecord;
    if (start === undefined) continue;
    const b: Binding = {
      sessionId: start.sessionId,
      transcriptPath: start.transcriptPath,
      cwd: start.cwd,
      source: start.source,
      boundAt: start.at,
      paneId: start.paneId,
      instance: { ...start.instance },
      eventId: start.eventId,
    };
    const ends = [end, doc.endsBySession[start.sessionId]].filter(
      (x): x is EndRecord => x !== undefined && x.sessionId === start.sessionId && x.at >= start.at,
    );
    const last = ends.sort((x, y) => compareEvents({ at: y.at, id: y.eventId }, { at: x.at, id: x.eventId }))[0];
    if (last !== undefined) {
      b.endedAt = last.at;
      b.endReason = last.reason;
    }
    out[role] = b;
  }
  return out;
}

function recordProblem(role: string, r: unknown): string | null {
  if (!isObj(r)) return `role ${JSON.stringify(role)} is not an object`;
  const s = r.start;
  if (s !== undefined) {
    if (!isObj(s)) return `role ${JSON.stringify(role)}: start is not an object`;
    for (const k of ['eventId', 'at', 'sessionId', 'transcriptPath', 'cwd', 'source', 'paneId']) {
      if (!isStr(s[k])) return `role ${JSON.stringify(role)}: start.${k} is not a string`;
    }
    const inst = instanceProblem(s.instance);
    if (inst !== null) return `role ${JSON.stringify(role)}: start.${inst}`;
  }
  const e = r.end;
  if (e !== undefined) {
    if (!isObj(e)) return `role ${JSON.stringify(role)}: end is not an object`;
    for (const k of ['eventId', 'at', 'sessionId', 'reason']) {
      if (!isStr(e[k])) return `role ${JSON.stringify(role)}: end.${k} is not a string`;
    }
  }
  return null;
}

/** Validates a stored registry; throws an Error naming the first problem. Extra keys are dropped. */
export function parseRegistryDoc(value: unknown): RegistryDoc {
  if (!isObj(value)) throw new Error('registry is not a JSON object');
  if (value.version !== 1) throw new Error(`registry version ${JSON.stringify(value.version)} is not 1`);
  if (!isObj(value.roles)) throw new Error('registry.roles is not an object');
  if (!isObj(value.applied)) throw new Error('registry.applied is not an object');
  for (const [role, rec] of Object.entries(value.roles)) {
    const p = recordProblem(role, rec);
    if (p !== null) throw new Error(p);
  }
  for (const [id, v] of Object.entries(value.applied)) {
    if (v !== true) throw new Error(`registry.applied[${JSON.stringify(id)}] is not true`);
  }
  for (const k of ['unbound', 'malformed'] as const) {
    const n = value[k];
    if (!isInt(n) || n < 0) throw new Error(`registry.${k} is not a non-negative integer`);
  }
  const ends = value.endsBySession === undefined ? {} : value.endsBySession;
  if (!isObj(ends)) throw new Error('registry.endsBySession is not an object');
  for (const [sid, e] of Object.entries(ends)) {
    const p = recordProblem(`session ${sid}`, { end: e });
    if (p !== null) throw new Error(p);
  }
  return {
    version: 1,
    roles: dict(value.roles as Record<string, RoleRecord>),
    applied: dict(value.applied as Record<string, true>),
    unbound: value.unbound as number,
    malformed: value.malformed as number,
    endsBySession: dict(ends as Record<string, EndRecord>),
  };
}
