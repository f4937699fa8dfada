import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptFileError, InvalidInputError, WriteFailedError } from '../../common/base/errors.js';
import { nodeFs } from '../base/durable-file.js';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { daemonAlive, readDaemonStatus, writeDaemonStatus, type DaemonStatus } from './status.js';

let root: string;
let paths: StatePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-dstat-'));
  paths = ensureStateDir(join(root, 'state'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const status: DaemonStatus = {
  pid: process.pid,
  startedAt: '2026-11-23T20:00:00.000Z',
  intervalS: 60,
  staleAfterS: 300,
  lastAttemptAt: '2026-11-23T20:05:00.000Z',
  lastOkAt: '2026-11-23T20:04:00.000Z',
  lastError: 'could not write /x: ENOSPC',
  consecutiveFailures: 2,
  state: 'connected',
};

describe('daemon status file', () => {
  it('is null before any daemon wrote it, and round-trips exactly, 0600', async () => {
    expect(await readDaemonStatus(paths)).toBeNull();
    await writeDaemonStatus(paths, status);
    expect(await readDaemonStatus(paths)).toEqual(status);
    expect(statSync(paths.daemonStatus).mode & 0o777).toBe(0o600);
    const fresh = {
      ...status,
      lastError: null,
      consecutiveFailures: 0,
      lastOkAt: null,
      lastAttemptAt: null,
      state: 'no-server' as const,
    };
    await writeDaemonStatus(paths, fresh);
    expect(await readDaemonStatus(paths)).toEqual(fresh);
  });

  it('drops fields that are not part of the status and bounds the error text', async () => {
    await writeDaemonStatus(paths, { ...status, lastError: 'x'.repeat(10_000), secret: 'no' } as DaemonStatus);
    const back = await readDaemonStatus(paths);
    expect(back?.lastError).toHaveLength(2000);
    expect(back).not.toHaveProperty('secret');
  });

  it('refuses to write an invalid status', async () => {
    await expect(writeDaemonStatus(paths, { ...status, state: 'happy' as DaemonStatus['state'] })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(writeDaemonStatus(paths, { ...status, lastOkAt: 'now' })).rejects.toThrow(/lastOkAt/);
    await expect(writeDaemonStatus(paths, { ...status, consecutiveFailures: -1 })).rejects.toThrow(
      /consecutiveFailures/,
    );
    expect(await readDaemonStatus(paths)).toBeNull();
  });

  it('reports a damaged or tampered file as CorruptFileError with the reason', async () => {
    await writeDaemonStatus(paths, status);
    const good = readFileSync(paths.daemonStatus, 'utf8');
    writeFileSync(paths.daemonStatus, good.replace('"consecutiveFailures": 2', '"consecutiveFailures": 0'));
    await expect(readDaemonStatus(paths)).rejects.toThrow(/checksum mismatch/);
    writeFileSync(paths.daemonStatus, good.slice(0, good.length / 2));
    await expect(readDaemonStatus(paths)).rejects.toThrow(CorruptFileError);
    writeFileSync(paths.daemonStatus, '{"format":"other"}');
    await expect(readDaemonStatus(paths)).rejects.toThrow(/not a fleetkeeper daemon status/);
  });

  it('a failed write leaves the previous status intact', async () => {
    await writeDaemonStatus(paths, status);
    const before = readFileSync(paths.daemonStatus);
    const failing = {
      ...nodeFs,
      rename: async () => {
        throw new Error('EIO');
      },
    };
    await expect(writeDaemonStatus(paths, { ...status, consecutiveFailures: 3 }, failing)).rejects.toThrow(
      WriteFailedError,
    );
    expect(readFileSync(paths.daemonStatus).equals(before)).toBe(true);
    expect(readdirSync(paths.root).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('daemonAlive: a live pid is alive, a dead one or a stopped daemon is not', () => {
    expect(daemonAlive(status)).toBe(true);
    expect(daemonAlive({ ...status, state: 'stopped' })).toBe(false);
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    expect(daemonAlive({ ...status, pid: dead })).toBe(false);
  });
});
