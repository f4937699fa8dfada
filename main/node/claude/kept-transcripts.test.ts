import { describe, it, expect, afterEach } from 'vitest';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureStateDir } from '../base/state-dir.js';
import {
  hasKeptTranscript,
  keepTranscripts,
  keptTranscriptPath,
  keptUsage,
  pruneKeptTranscripts,
  restoreKeptTranscript,
} from './kept-transcripts.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function world() {
  const root = mkdtempSync(join(tmpdir(), 'fk-kept-'));
  roots.push(root);
  const paths = ensureStateDir(join(root, 'state'));
  const proj = join(root, 'claude', 'projects', '-p');
  mkdirSync(proj, { recursive: true });
  const make = (text = 'line 1\n') => {
    const sessionId = randomUUID();
    const transcriptPath = join(proj, `${sessionId}.jsonl`);
    writeFileSync(transcriptPath, text);
    return { sessionId, transcriptPath };
  };
  return { root, paths, make };
}

describe('kept transcripts', () => {
  it('hard-links on the same file system: appends are seen, deletion survives, replacement is re-linked', async () => {
    const { paths, make } = world();
    const t = make();
    expect(await keepTranscripts(paths, [t])).toMatchObject({ linked: 1, copied: 0 });
    const kept = keptTranscriptPath(paths, t.sessionId);
    expect(statSync(kept).ino).toBe(statSync(t.transcriptPath).ino);
    appendFileSync(t.transcriptPath, 'line 2\n');
    expect(readFileSync(kept, 'utf8')).toBe('line 1\nline 2\n');
    expect(await keepTranscripts(paths, [t])).toMatchObject({ linked: 0, unchanged: 1 });
    // Replaced (written anew under the same name): linked to the new file.
    rmSync(t.transcriptPath);
    writeFileSync(t.transcriptPath, 'rewritten\n');
    expect(await keepTranscripts(paths, [t])).toMatchObject({ linked: 1 });
    expect(readFileSync(kept, 'utf8')).toBe('rewritten\n');
    // Deleted by Claude's cleanup: the kept one stays, and is put back at the original path.
    rmSync(t.transcriptPath);
    expect(await keepTranscripts(paths, [t])).toMatchObject({ linked: 0, unchanged: 0 });
    expect(hasKeptTranscript(paths, t.sessionId)).toBe(true);
    await restoreKeptTranscript(paths, t.sessionId, t.transcriptPath);
    expect(readFileSync(t.transcriptPath, 'utf8')).toBe('rewritten\n');
    const u = await keptUsage(paths);
    expect(u.count).toBe(1);
    expect(u.sharedBytes).toBe(u.bytes);
  });

  it('copies with a cap when it cannot link (copyCapBytes below: reported, not kept)', async () => {
    const { paths, make } = world();
    const big = make('x'.repeat(5000));
    // A different device is simulated by linking being impossible: a transcript on /dev/shm when available.
    const shm = '/dev/shm';
    if (!existsSync(shm)) return;
    const dir = mkdtempSync(join(shm, 'fk-kept-'));
    roots.push(dir);
    const other = { sessionId: randomUUID(), transcriptPath: '' };
    other.transcriptPath = join(dir, `${other.sessionId}.jsonl`);
    writeFileSync(other.transcriptPath, 'small\n');
    const otherBig = { sessionId: big.sessionId, transcriptPath: join(dir, `${big.sessionId}.jsonl`) };
    writeFileSync(otherBig.transcriptPath, 'y'.repeat(5000));
    if (statSync(dir).dev === statSync(paths.root).dev) return; // same fs here: nothing to prove
    const r = await keepTranscripts(paths, [other, otherBig], { copyCapBytes: 1000 });
    expect(r.copied).toBe(1);
    expect(r.problems.join('\n')).toMatch(/5000 bytes, over the 1000-byte cap/);
    expect(statSync(keptTranscriptPath(paths, other.sessionId)).ino).not.toBe(statSync(other.transcriptPath).ino);
  });

  it('keeps only a regular file named after its own conversation; never restores elsewhere or over a file', async () => {
    const { root, paths, make } = world();
    const t = make();
    const link = { sessionId: randomUUID(), transcriptPath: '' };
    link.transcriptPath = join(root, `${link.sessionId}.jsonl`);
    symlinkSync(t.transcriptPath, link.transcriptPath);
    const misnamed = { sessionId: randomUUID(), transcriptPath: t.transcriptPath };
    expect(await keepTranscripts(paths, [link, misnamed])).toMatchObject({ linked: 0, copied: 0 });
    await keepTranscripts(paths, [t]);
    await expect(restoreKeptTranscript(paths, t.sessionId, join(root, '.bashrc'))).rejects.toThrow(/refusing/);
    writeFileSync(t.transcriptPath, 'newer\n');
    await restoreKeptTranscript(paths, t.sessionId, t.transcriptPath);
    expect(readFileSync(t.transcriptPath, 'utf8')).toBe('newer\n');
  });

  it('retention drops the ones no kept snapshot can reference, keeps the rest', async () => {
    const { paths, make } = world();
    const old = make();
    const recent = make();
    await keepTranscripts(paths, [old], { now: new Date('2026-01-01T00:00:00Z') });
    await keepTranscripts(paths, [recent], { now: new Date('2026-03-01T00:00:00Z') });
    expect(await pruneKeptTranscripts(paths, new Date('2026-02-01T00:00:00Z'))).toEqual([old.sessionId]);
    expect(hasKeptTranscript(paths, old.sessionId)).toBe(false);
    expect(hasKeptTranscript(paths, recent.sessionId)).toBe(true);
    expect(await pruneKeptTranscripts(paths, null)).toEqual([]);
  });
});
