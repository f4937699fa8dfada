// `fleetkeeper hook session-start|session-end`, run by Claude Code's hooks. Records one
// journal event and exits. Contract: prints nothing on stdout (a SessionStart hook's stdout
// goes into the model's context), always exits 0, and never holds Claude up for more than
// about a second, whatever tmux or the disk do. Imports are kept minimal for start-up speed.
import type { JournalEventKind, PaneContext } from '../common/base/types.js';
import { errorMessage } from '../common/base/errors.js';
import { isSessionId } from '../common/base/names.js';
import { ensureStateDir, resolveStateDir, type StatePaths } from '../node/base/state-dir.js';
import { appendEvent, type EventFields } from '../node/journal/spool.js';
import { lookupPaneContext } from '../node/tmux/pane-context.js';

const HARD_EXIT_MS = 950;
/**
 * Once the input is in hand, the event is written even when a loaded machine made us late:
 * dropping it would silently cost a binding (seen under a 20-hook burst on 2 busy cores). The
 * write takes milliseconds; this cap stays well under the hooks' 5 s timeout in settings.json.
 */
const WRITE_CAP_MS = 3_000;
const STDIN_GIVE_UP_MS = 700;
const PANE_LOOKUP_MS = 600;
const MAX_INPUT = 1024 * 1024;
const RAW_KEEP = 4096;

const started = performance.now();
/** Set once all of stdin has arrived: from then on only bounded local steps remain. */
let inputInHand = false;
const giveUp = (afterMs: number): void => {
  warn(`gave up after ${afterMs} ms${inputInHand ? ' with the input in hand; event NOT recorded' : ''}`);
  process.exit(0);
};
const hardExit = setTimeout(() => {
  if (!inputInHand) giveUp(HARD_EXIT_MS);
  else setTimeout(() => giveUp(WRITE_CAP_MS), Math.max(0, WRITE_CAP_MS - (performance.now() - started))).unref();
}, HARD_EXIT_MS);
hardExit.unref();

function warn(message: string): void {
  try {
    process.stderr.write(`fleetkeeper hook: ${message.replace(/\s+/g, ' ')}\n`);
  } catch {
    // stderr gone: nothing else to tell anyone.
  }
}

process.on('uncaughtException', (err) => {
  warn(`unexpected error: ${errorMessage(err)}`);
  process.exit(0);
});
process.on('unhandledRejection', (err) => {
  warn(`unexpected error: ${errorMessage(err)}`);
  process.exit(0);
});

/** All of stdin, or what arrived before the give-up timer (Claude closes it; a terminal won't). */
function readStdin(giveUpMs: number): Promise<{ text: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      process.stdin.removeAllListeners('data');
      process.stdin.pause();
      process.stdin.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), timedOut });
    };
    const timer = setTimeout(() => finish(true), giveUpMs);
    process.stdin.on('data', (chunk: Buffer) => {
      if (size < MAX_INPUT) chunks.push(chunk);
      size += chunk.length;
    });
    process.stdin.on('end', () => finish(false));
    process.stdin.on('error', () => finish(false));
  });
}

type Parsed = { ok: true; fields: Omit<EventFields, 'kind' | 'at' | 'pane'> } | { ok: false; problem: string };

const STR_MAX = 4096;

function optStr(v: unknown): string | undefined {
  return typeof v === 'string' ? v.slice(0, STR_MAX) : undefined;
}

function parsePayload(kind: JournalEventKind, text: string, timedOut: boolean): Parsed {
  if (text.trim() === '')
    return { ok: false, problem: timedOut ? `no input on stdin within ${STDIN_GIVE_UP_MS} ms` : 'empty stdin' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problem: `stdin is not JSON${timedOut ? ' (stdin still open after the give-up time)' : ''}: ${errorMessage(err)}`,
    };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    return { ok: false, problem: 'stdin JSON is not an object' };
  const p = v as Record<string, unknown>;
  if (typeof p.session_id !== 'string' || !isSessionId(p.session_id)) {
    return { ok: false, problem: `session_id ${JSON.stringify(p.session_id)?.slice(0, 80)} is not a UUID` };
  }
  if (typeof p.transcript_path !== 'string')
    return { ok: false, problem: 'transcript_path is missing or not a string' };
  if (typeof p.cwd !== 'string') return { ok: false, problem: 'cwd is missing or not a string' };
  const expected = kind === 'session-start' ? 'SessionStart' : 'SessionEnd';
  if (p.hook_event_name !== undefined && p.hook_event_name !== expected) {
    return {
      ok: false,
      problem:
        `hook_event_name ${JSON.stringify(p.hook_event_name)} arrived at \`hook ${kind}\` ` +
        `(expected ${expected}): check the hook configuration`,
    };
  }
  const fields: Omit<EventFields, 'kind' | 'at' | 'pane'> = {
    sessionId: p.session_id,
    transcriptPath: p.transcript_path,
    cwd: p.cwd,
  };
  const source = optStr(p.source);
  const reason = optStr(p.reason);
  if (kind === 'session-start') fields.source = source ?? 'unknown';
  else fields.reason = reason ?? 'unknown';
  return { ok: true, fields };
}

async function main(): Promise<void> {
  const at = new Date().toISOString();
  const arg = process.argv[3];
  const kind: JournalEventKind | null = arg === 'session-start' || arg === 'session-end' ? arg : null;

  // The pane lookup only needs the environment: run it while stdin arrives.
  const paneP: Promise<PaneContext | null> = lookupPaneContext(process.env, { timeoutMs: PANE_LOOKUP_MS }).catch(
    (err: unknown) => {
      warn(`pane lookup failed, recording the event as unbound: ${errorMessage(err)}`);
      return null;
    },
  );
  const input = await readStdin(STDIN_GIVE_UP_MS);
  inputInHand = !input.timedOut;

  let paths: StatePaths;
  try {
    paths = ensureStateDir(resolveStateDir(process.env));
  } catch (err) {
    warn(`cannot use the state dir, event NOT recorded: ${errorMessage(err)}`);
    return;
  }
  const pane = await paneP;
  const parsed: Parsed =
    kind === null
      ? { ok: false, problem: `unknown hook kind ${JSON.stringify(arg)} (expected session-start or session-end)` }
      : parsePayload(kind, input.text, input.timedOut);
  const fields: EventFields =
    parsed.ok && kind !== null
      ? { kind, at, pane, ...parsed.fields }
      : {
          kind: 'malformed',
          at,
          pane,
          problem: parsed.ok ? 'unknown hook kind' : parsed.problem,
          raw: Buffer.from(input.text, 'utf8').subarray(0, RAW_KEEP).toString('utf8'),
        };
  if (!parsed.ok) warn(`malformed hook input recorded: ${fields.problem ?? ''}`);
  try {
    await appendEvent(paths, fields);
  } catch (err) {
    warn(`event NOT recorded: ${errorMessage(err)}`);
  }
}

main()
  .catch((err: unknown) => warn(`unexpected error: ${errorMessage(err)}`))
  .finally(() => process.exit(0));
