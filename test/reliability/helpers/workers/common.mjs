// Shared by the worker scripts: the built core, and event fields of every shape the fold sees.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';

export const dist = new URL('../../../../dist/main/', import.meta.url).href;

const instance = { socketPath: '/tmp/tmux-0/fk-reliability', pid: 4242, startTime: 1_700_000_000 };

/** A deterministic mix: starts and ends on a few roles, unbound and malformed events. */
export function eventFields(tag, i) {
  const at = new Date().toISOString();
  const sessionId = randomUUID();
  const role = `r${(tag.length * 7 + i) % 13}`;
  const pane = { instance, paneId: `%${i % 50}`, role, sessionName: 'storm', windowIndex: 0, paneIndex: i % 50 };
  switch (i % 10) {
    case 7:
      return {
        kind: 'session-start',
        at,
        pane: null,
        sessionId,
        transcriptPath: `/t/${sessionId}.jsonl`,
        cwd: '/w',
        source: 'startup',
      };
    case 8:
      return { kind: 'malformed', at, pane, problem: `stdin is not JSON (${tag} ${i})`, raw: '{"oops"' };
    case 9:
      return {
        kind: 'session-end',
        at,
        pane,
        sessionId,
        transcriptPath: `/t/${sessionId}.jsonl`,
        cwd: '/w',
        reason: 'exit',
      };
    default:
      return {
        kind: 'session-start',
        at,
        pane,
        sessionId,
        transcriptPath: `/t/${sessionId}.jsonl`,
        cwd: `/w/${tag}/${i}`,
        source: 'startup',
      };
  }
}

/** Calls `fn(line)` for each stdin line, in order; resolves at EOF. */
export async function eachLine(fn) {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) await fn(line);
}

export function say(line) {
  process.stdout.write(`${line}\n`);
}
