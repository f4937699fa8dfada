// Claude Code's own per-process registry, `<config dir>/sessions/<pid>.json` (2.1.330):
// undocumented, so read defensively. An entry counts only for the live process it names:
// the same pid and the same start time (clock ticks since boot, /proc/<pid>/stat field 22);
// a reused pid leaves a stale file behind that must never be taken for the new process.
import { isSessionId } from '../base/names.js';

export interface RegistryEntry {
  pid: number;
  sessionId: string;
  cwd: string;
  procStart: string;
}

export type RegistryRead = { kind: 'ok'; entry: RegistryEntry } | { kind: 'unavailable'; why: string };

const unavailable = (why: string): RegistryRead => ({ kind: 'unavailable', why });

/** Parses the file's text for the live process `pid` started at `procStart` ticks. Never throws. */
export function parseRegistryEntry(text: string, file: string, pid: number, procStart: string): RegistryRead {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return unavailable(`${file}: not JSON (an unknown format)`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return unavailable(`${file}: not a JSON object`);
  const o = v as Record<string, unknown>;
  if (typeof o.pid !== 'number' || typeof o.sessionId !== 'string' || typeof o.cwd !== 'string')
    return unavailable(`${file}: no pid, sessionId and cwd (an unknown format)`);
  if (typeof o.procStart !== 'string' && typeof o.procStart !== 'number')
    return unavailable(`${file}: no procStart to check against the live process (an unknown format)`);
  if (o.pid !== pid) return unavailable(`${file}: names pid ${o.pid}, not ${pid} (a stale file)`);
  const start = String(o.procStart);
  if (start !== procStart)
    return unavailable(
      `${file}: written by an earlier process with pid ${pid} (started at tick ${start}, the live one at ${procStart})`,
    );
  if (!isSessionId(o.sessionId)) return unavailable(`${file}: sessionId ${JSON.stringify(o.sessionId)} is not a UUID`);
  if (!o.cwd.startsWith('/')) return unavailable(`${file}: cwd ${JSON.stringify(o.cwd)} is not absolute`);
  return { kind: 'ok', entry: { pid, sessionId: o.sessionId, cwd: o.cwd, procStart: start } };
}

/** Where Claude keeps a conversation: `<config>/projects/<cwd, every non-alphanumeric as '-'>/<id>.jsonl`. */
export function transcriptPathFor(configDir: string, cwd: string, sessionId: string): string {
  return `${configDir.replace(/\/+$/, '')}/projects/${cwd.replace(/[^A-Za-z0-9]/g, '-')}/${sessionId}.jsonl`;
}
