// The copy path of kept transcripts (a transcript on another filesystem than the state dir):
// the transcript is named by a hook payload, so it is read like every file we only read.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { keepTranscripts, keptTranscriptPath } from './kept-transcripts.js';

// /dev/shm is a tmpfs: another device than the temp dir here, so transcripts there are copied.
const otherFs = statSync('/dev/shm', { throwIfNoEntry: false });
const crossFs = otherFs !== undefined && otherFs.dev !== statSync(tmpdir()).dev;

describe.skipIf(!crossFs)('keepTranscripts across filesystems', () => {
  let root: string;
  let shm: string;
  let paths: StatePaths;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fk-kept-'));
    shm = mkdtempSync('/dev/shm/fk-kept-');
    paths = ensureStateDir(join(root, 'state'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(shm, { recursive: true, force: true });
  });

  it('copies a regular transcript (0600), and a FIFO under a transcript name is reported, never read', async () => {
    const good = randomUUID();
    const fifo = randomUUID();
    writeFileSync(join(shm, `${good}.jsonl`), '{"type":"user","message":{"content":"hi"}}\n');
    execFileSync('mkfifo', [join(shm, `${fifo}.jsonl`)]);
    const r = await keepTranscripts(paths, [
      { sessionId: good, transcriptPath: join(shm, `${good}.jsonl`) },
      { sessionId: fifo, transcriptPath: join(shm, `${fifo}.jsonl`) },
    ]);
    expect(r.copied).toBe(1);
    expect(readFileSync(keptTranscriptPath(paths, good), 'utf8')).toContain('"hi"');
    expect(statSync(keptTranscriptPath(paths, good)).mode & 0o777).toBe(0o600);
    expect(statSync(keptTranscriptPath(paths, fifo), { throwIfNoEntry: false })).toBeUndefined();
  });
});
