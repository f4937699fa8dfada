// capturePaneContents: each save also keeps every non-Claude pane's screen and scrollback
// (`capture-pane -p -e -J -S -N`, one chained tmux call per batch, never one per pane), gzipped,
// in `contents/<snapshot id>.gz` beside the snapshots. The snapshot records the file's digest,
// so its own checksum covers it; retention removes it with its snapshot. A restore shows each
// kept screen in the new shell pane by writing it to the pane's terminal (output, not input:
// nothing reaches the shell, nothing lands in its history), then asks the shell for a fresh
// prompt below it.
import { gzipSync, gunzipSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PaneContentsRef, Snapshot } from '../../common/base/types.js';
import { writeFileDurable } from '../base/durable-file.js';
import { readRegularFile } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';

/** Raw (uncompressed) bytes kept per pane and per snapshot. */
export const PANE_CAP_BYTES = 512 * 1024;
export const SNAPSHOT_CAP_BYTES = 32 * 1024 * 1024;
const BATCH = 60;

export function contentsPath(paths: StatePaths, snapshotId: string): string {
  return join(paths.root, 'contents', `${snapshotId}.gz`);
}

/** How a pane is found again: its saved `session:window.pane` (the plan's target). */
export function contentsKey(session: string, windowIndex: number, paneIndex: number): string {
  return `${session}:${windowIndex}.${paneIndex}`;
}

/** Keeps text, tabs, newlines and colour (SGR) sequences; drops every other control sequence. */
export function sanitizeContents(text: string): string {
  return text
    .replace(/\x1b\[[0-9;:]*m|\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)/gs, (m) =>
      /^\x1b\[[0-9;:]*m$/.test(m) ? m : '',
    )
    .replace(/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g, '');
}

/** Non-Claude panes of a snapshot draft, with their keys. */
function shellPanes(snap: Pick<Snapshot, 'sessions'>): { key: string; paneId: string }[] {
  return snap.sessions.flatMap((s) =>
    s.windows.flatMap((w) =>
      w.panes
        .filter((p) => p.binding === null && (p as { agent?: unknown }).agent === undefined)
        .map((p) => ({ key: contentsKey(s.name, w.index, p.index), paneId: p.id })),
    ),
  );
}

/** The screens of the non-Claude panes, by key; capped per pane and per snapshot. */
export async function capturePaneContents(
  target: TmuxTarget,
  snap: Pick<Snapshot, 'sessions'>,
  lines: number,
): Promise<{ contents: Record<string, string>; skipped: number }> {
  const panes = shellPanes(snap).filter((p) => /^%\d+$/.test(p.paneId));
  const contents: Record<string, string> = {};
  const mark = `\x1ffk-${randomBytes(6).toString('hex')}`;
  let total = 0;
  let skipped = 0;
  for (let i = 0; i < panes.length; i += BATCH) {
    const batch = panes.slice(i, i + BATCH);
    const argv: string[] = [];
    for (const p of batch) {
      if (argv.length > 0) argv.push(';');
      argv.push('display-message', '-p', '-t', p.paneId, `${mark} ${p.paneId}`, ';');
      argv.push('capture-pane', '-p', '-e', '-J', '-S', `-${Math.max(0, lines)}`, '-t', p.paneId);
    }
    // A pane closed since the query makes tmux stop the chain: what came before is still used.
    const out = await runTmux(target, argv).catch(() => '');
    const byPane = new Map(batch.map((p) => [p.paneId, p.key]));
    for (const chunk of out.split(`${mark} `).slice(1)) {
      const nl = chunk.indexOf('\n');
      // tmux pads the marker line with spaces after a few panes: the id is what is left.
      const key = byPane.get(chunk.slice(0, nl).trim());
      if (key === undefined) continue;
      let text = chunk.slice(nl + 1).replace(/\n+$/, '');
      if (text.trim() === '') continue;
      if (Buffer.byteLength(text) > PANE_CAP_BYTES) text = text.slice(text.length - PANE_CAP_BYTES / 2);
      if (total + Buffer.byteLength(text) > SNAPSHOT_CAP_BYTES) {
        skipped++;
        continue;
      }
      total += Buffer.byteLength(text);
      contents[key] = text;
    }
  }
  return { contents, skipped };
}

export async function writePaneContents(
  paths: StatePaths,
  snapshotId: string,
  contents: Record<string, string>,
): Promise<PaneContentsRef> {
  const gz = gzipSync(Buffer.from(JSON.stringify({ format: 'fleetkeeper-pane-contents', version: 1, contents })), {
    level: 6,
  });
  await mkdir(join(paths.root, 'contents'), { recursive: true, mode: 0o700 });
  await writeFileDurable(contentsPath(paths, snapshotId), gz, undefined, 0o600);
  return {
    sha256: `sha256:${createHash('sha256').update(gz).digest('hex')}`,
    bytes: gz.length,
    panes: Object.keys(contents).length,
  };
}

/** The kept screens of a snapshot, only if the file matches the digest the snapshot holds. */
export async function readPaneContents(paths: StatePaths, snap: Snapshot): Promise<Map<string, string> | null> {
  const ref = snap.paneContents;
  if (ref === undefined) return null;
  const gz = await readRegularFile(contentsPath(paths, snap.id), ref.bytes + 1);
  if (`sha256:${createHash('sha256').update(gz).digest('hex')}` !== ref.sha256)
    throw new Error(`pane contents of ${snap.id}: the file does not match the snapshot's digest`);
  const v = JSON.parse(gunzipSync(gz, { maxOutputLength: SNAPSHOT_CAP_BYTES * 2 }).toString('utf8')) as {
    contents?: Record<string, unknown>;
  };
  const out = new Map<string, string>();
  for (const [k, t] of Object.entries(v.contents ?? {})) if (typeof t === 'string') out.set(k, t);
  return out;
}

export async function removePaneContents(paths: StatePaths, snapshotId: string): Promise<void> {
  await unlink(contentsPath(paths, snapshotId)).catch(() => undefined);
}

/**
 * Shows kept screens in new panes that sit at their first prompt: the text goes to the pane's
 * terminal (replacing the prompt line), then an empty Enter makes the shell draw a fresh prompt
 * below it (an empty line never enters the history). Returns the panes it could not show.
 */
export async function showPaneContents(
  target: TmuxTarget,
  panes: readonly { paneId: string; text: string }[],
): Promise<string[]> {
  if (panes.length === 0) return [];
  const ttys = new Map<string, string>();
  const out = await runTmux(target, ['list-panes', '-a', '-F', '#{pane_id}\t#{pane_tty}']);
  for (const line of out.split('\n')) {
    const [id, tty] = line.split('\t');
    if (id !== undefined && tty !== undefined && /^\/dev\/(pts\/\d+|tty\w+)$/.test(tty)) ttys.set(id, tty);
  }
  const failed: string[] = [];
  for (const p of panes) {
    const tty = ttys.get(p.paneId);
    if (tty === undefined) {
      failed.push(p.paneId);
      continue;
    }
    try {
      const h = await open(tty, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NOFOLLOW);
      try {
        if (!(await h.stat()).isCharacterDevice()) throw new Error(`${tty} is not a terminal`);
        const body = sanitizeContents(p.text).replace(/\r?\n/g, '\r\n');
        await h.write(`\r\x1b[2K${body}\x1b[0m\r\n`);
      } finally {
        await h.close();
      }
      await runTmux(target, ['send-keys', '-t', p.paneId, 'Enter']);
    } catch {
      failed.push(p.paneId);
    }
  }
  return failed;
}
