import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABANDONED_TEMP_AGE_MS, sweepTemps, writerStillRuns } from './temp-sweep.js';
import { parseElapsed, processStartedAtMs } from './pid-alive.js';
import { parseTempName, tempPathFor } from './durable-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-sweep-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid as number;
const ago = (ms: number): Date => new Date(Date.now() - ms);
/** Our own start, as the system reports it (what a reused pid is judged by). */
const ourStart = (): number => processStartedAtMs(process.pid) as number;

describe('processStartedAtMs', () => {
  it('knows when this process and a child started, to within seconds', async () => {
    expect(Math.abs(ourStart() - (Date.now() - process.uptime() * 1000))).toBeLessThan(3_000);
    const child = spawn('sleep', ['30']);
    try {
      const started = processStartedAtMs(child.pid as number) as number;
      expect(Math.abs(started - Date.now())).toBeLessThan(3_000);
    } finally {
      child.kill();
    }
    expect(processStartedAtMs(deadPid())).toBeNull();
  });

  it('parses ps elapsed times', () => {
    expect(parseElapsed('  01:02\n')).toBe(62_000);
    expect(parseElapsed('03:01:02')).toBe((3 * 3600 + 62) * 1000);
    expect(parseElapsed('2-03:01:02')).toBe(((2 * 24 + 3) * 3600 + 62) * 1000);
    expect(parseElapsed('soon')).toBeNull();
  });
});

describe('writerStillRuns', () => {
  it('is false for a dead or impossible pid, and for a live pid that started after the temp was written', () => {
    expect(writerStillRuns(deadPid(), Date.now())).toBe(false);
    expect(writerStillRuns(0, Date.now())).toBe(false);
    expect(writerStillRuns(-1, Date.now())).toBe(false);
    expect(writerStillRuns(process.pid, Date.now())).toBe(true);
    expect(writerStillRuns(process.pid, ourStart() + 10)).toBe(true);
    expect(writerStillRuns(process.pid, ourStart() - 60_000)).toBe(false);
    // When the start time cannot be told, a live pid is taken to be the writer.
    expect(writerStillRuns(process.pid, 0, () => null)).toBe(true);
  });
});

describe('sweepTemps', () => {
  it('removes what the matcher recognises and whose writer is gone, keeps the rest', async () => {
    const target = join(dir, 'status.json');
    const names = {
      dead: `.tmp-status.json.${deadPid()}.0a1b2c3d`,
      live: `.tmp-status.json.${process.pid}.0a1b2c3d`,
      reused: `.tmp-status.json.${process.pid}.0badf00d`,
      oldLive: `.tmp-status.json.${process.pid}.cafebabe`,
      otherTarget: `.tmp-other.json.${deadPid()}.0a1b2c3d`,
      pidlessOld: 'status.json.tmp-1732391234a1b2c3',
      pidlessNew: 'status.json.tmp-1732391299d4e5f6',
    };
    for (const n of Object.values(names)) writeFileSync(join(dir, n), '{"half');
    utimesSync(join(dir, names.reused), ago(process.uptime() * 1000 + 60_000), ago(process.uptime() * 1000 + 60_000));
    // Older than the age constant but its writer (us) still runs: a slow write, kept.
    const old = new Date(Math.max(ourStart() + 2_500, Date.now() - ABANDONED_TEMP_AGE_MS - 1));
    utimesSync(join(dir, names.oldLive), old, old);
    utimesSync(join(dir, names.pidlessOld), ago(ABANDONED_TEMP_AGE_MS + 1_000), ago(ABANDONED_TEMP_AGE_MS + 1_000));
    mkdirSync(join(dir, `.tmp-status.json.${deadPid()}.dddddddd`));
    symlinkSync('/etc/hostname', join(dir, `.tmp-status.json.${deadPid()}.eeeeeeee`));

    const removed = await sweepTemps(dir, (n) => {
      if (/^status\.json\.tmp-\d{10}[0-9a-f]{6}$/.test(n)) return { pid: null };
      const t = parseTempName(n);
      return t !== null && t.target === 'status.json' ? t : null;
    });
    expect(removed).toBe(3);
    const left = readdirSync(dir);
    for (const gone of [names.dead, names.reused, names.pidlessOld]) expect(left).not.toContain(gone);
    for (const kept of [names.live, names.oldLive, names.otherTarget, names.pidlessNew]) expect(left).toContain(kept);
    expect(left.filter((n) => n.endsWith('dddddddd') || n.endsWith('eeeeeeee'))).toHaveLength(2);
    expect(parseTempName(tempPathFor(target).split('/').pop() as string)).toEqual({
      target: 'status.json',
      pid: process.pid,
    });
  });

  it('a missing directory sweeps nothing', async () => {
    expect(await sweepTemps(join(dir, 'nope'), () => ({ pid: null }))).toBe(0);
  });
});
