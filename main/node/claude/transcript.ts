// A human-readable title for a conversation: its first user message, read from Claude Code's
// transcript (<uuid>.jsonl). Transcripts grow to many MB, so they are read in chunks and
// reading stops at the first answer. Malformed lines are skipped; nothing here throws.
// transcript_path comes from a hook payload, which may name any path: opened through the safe
// reader, so a FIFO or a device there is refused at once instead of holding a file-I/O thread.
import { closeSync, readSync } from 'node:fs';
import { openRegularFile, openRegularFileSync } from '../base/safe-read.js';

const CHUNK = 64 * 1024;
/** Stop looking after this much: a title that is not in the first 32 MiB is not worth the wait. */
const MAX_SCAN_BYTES = 32 * 1024 * 1024;
/** A transcript of any size may be scanned (only its first MAX_SCAN_BYTES are read). */
const ANY_SIZE = Number.MAX_SAFE_INTEGER;
const DEFAULT_MAX_LEN = 80;

/** Claude's own records that sit in user lines but are not something the user wrote. */
const NOT_TYPED =
  /^(<command-name>|<command-message>|<command-args>|<local-command-|<system-reminder>|<ide_|<bash-|Caveat: |\[Request interrupted)/;
/** Slash commands that say nothing about what a conversation is about. */
const HOUSEKEEPING = new Set([
  'clear',
  'exit',
  'quit',
  'resume',
  'compact',
  'login',
  'logout',
  'model',
  'config',
  'help',
  'cost',
  'status',
  'doctor',
  'init',
  'permissions',
  'hooks',
  'memory',
  'ide',
]);

interface Scan {
  title: string | null;
  /** The first meaningful slash command, used when no plain message exists. */
  command: string | null;
}

function userTexts(line: string): string[] | null {
  // Cheap filter first: most lines (attachments, api blobs, tool results) are not user messages.
  if (!line.includes('"user"')) return null;
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof rec !== 'object' || rec === null) return null;
  const r = rec as {
    type?: unknown;
    isMeta?: unknown;
    isSidechain?: unknown;
    isCompactSummary?: unknown;
    message?: { content?: unknown };
  };
  if (r.type !== 'user' || r.isMeta === true || r.isSidechain === true || r.isCompactSummary === true) return null;
  const content = r.message?.content;
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return null;
  return content
    .filter(
      (c): c is { type: 'text'; text: string } =>
        typeof c === 'object' && c !== null && c.type === 'text' && typeof c.text === 'string',
    )
    .map((c) => c.text);
}

function commandOf(text: string): string | null {
  const name = /<command-name>\s*\/?([^<\s]+)\s*<\/command-name>/.exec(text)?.[1];
  if (name === undefined || HOUSEKEEPING.has(name)) return null;
  const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(text)?.[1]?.trim() ?? '';
  return args === '' ? `/${name}` : `/${name} ${args}`;
}

/** Feeds one line; returns true once a title is found. */
function consider(line: string, scan: Scan): boolean {
  const texts = userTexts(line);
  if (!texts) return false;
  for (const raw of texts) {
    const text = raw.trim();
    if (text === '') continue;
    if (NOT_TYPED.test(text)) {
      if (scan.command === null) scan.command = commandOf(text);
      continue;
    }
    scan.title = text;
    return true;
  }
  return false;
}

function shorten(text: string | null, maxLen: number): string | null {
  if (text === null) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxLen) return flat;
  return `${Array.from(flat)
    .slice(0, Math.max(1, maxLen - 1))
    .join('')}…`;
}

/** Splits a byte stream into lines without decoding across a multi-byte character boundary. */
class Lines {
  private parts: Buffer[] = [];

  /** Returns true when `onLine` asked to stop. */
  push(chunk: Buffer, onLine: (line: string) => boolean): boolean {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.parts.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      start = nl + 1;
      if (onLine(line)) return true;
    }
    if (start < chunk.length) this.parts.push(Buffer.from(chunk.subarray(start)));
    return false;
  }

  end(onLine: (line: string) => boolean): void {
    if (this.parts.length > 0) onLine(Buffer.concat(this.parts).toString('utf8'));
    this.parts = [];
  }
}

function result(scan: Scan, maxLen: number): string | null {
  return shorten(scan.title ?? scan.command, maxLen);
}

export async function conversationTitle(transcriptPath: string, maxLen = DEFAULT_MAX_LEN): Promise<string | null> {
  const scan: Scan = { title: null, command: null };
  const onLine = (l: string): boolean => consider(l, scan);
  let fh;
  try {
    fh = await openRegularFile(transcriptPath, ANY_SIZE);
  } catch {
    return null;
  }
  try {
    const lines = new Lines();
    const buf = Buffer.alloc(CHUNK);
    for (let pos = 0; pos < MAX_SCAN_BYTES;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) {
        lines.end(onLine);
        break;
      }
      pos += bytesRead;
      if (lines.push(buf.subarray(0, bytesRead), onLine)) break;
    }
  } catch {
    // A read error mid-file: whatever was found so far is still a fair title.
  } finally {
    await fh.close().catch(() => undefined);
  }
  return result(scan, maxLen);
}

export function conversationTitleSync(transcriptPath: string, maxLen = DEFAULT_MAX_LEN): string | null {
  const scan: Scan = { title: null, command: null };
  const onLine = (l: string): boolean => consider(l, scan);
  let fd: number;
  try {
    fd = openRegularFileSync(transcriptPath, ANY_SIZE);
  } catch {
    return null;
  }
  try {
    const lines = new Lines();
    const buf = Buffer.alloc(CHUNK);
    for (let pos = 0; pos < MAX_SCAN_BYTES;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) {
        lines.end(onLine);
        break;
      }
      pos += n;
      if (lines.push(buf.subarray(0, n), onLine)) break;
    }
  } catch {
    // As above: keep what was found.
  } finally {
    closeSync(fd);
  }
  return result(scan, maxLen);
}
