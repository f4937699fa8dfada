import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { lookupPaneContext, parseLookupOutput, parseTmuxEnv } from './pane-context.js';
import { TmuxError } from '../../common/base/errors.js';
import { defaultRole } from '../../common/base/names.js';

describe('parseTmuxEnv', () => {
  it('splits socket,pid,session from the right and never yields an empty socket', () => {
    expect(parseTmuxEnv('/tmp/tmux-1000/default,1234,0', '%5')).toEqual({
      socketPath: '/tmp/tmux-1000/default',
      paneId: '%5',
    });
    expect(parseTmuxEnv('/tmp/odd,dir/sock,1234,0', '%0')).toEqual({ socketPath: '/tmp/odd,dir/sock', paneId: '%0' });
    expect(parseTmuxEnv(',1234,0', '%5')).toBeNull();
    expect(parseTmuxEnv('', '%5')).toBeNull();
    expect(parseTmuxEnv(undefined, '%5')).toBeNull();
    expect(parseTmuxEnv('/tmp/s,1,0', undefined)).toBeNull();
    expect(parseTmuxEnv('/tmp/s,1,0', '5')).toBeNull();
    expect(parseTmuxEnv('/tmp/s,1,0', '%5; kill-server')).toBeNull();
    expect(parseTmuxEnv('relative/sock,1,0', '%5')).toBeNull();
  });
});

describe('parseLookupOutput', () => {
  it('keeps fields aligned whatever the session name holds, and ignores foreign lines', () => {
    const S = '\x1f';
    // The instance comes escaped (INSTANCE_FORMAT): a tab or newline in the socket path round-trips.
    const out = `FKB${S}/tmp/s\\tx\\ny\t10\t1700000000${S}%3${S}2${S}1${S}${S}a${S}b${S}FKE\nFKP${S}%3${S}\nFKP${S}%4${S}api\ngarbage\nFKP${S}%5${S}we${S}ird\n`;
    const p = parseLookupOutput(out);
    expect(p?.context).toEqual({
      instance: { socketPath: '/tmp/s\tx\ny', pid: 10, startTime: 1700000000 },
      paneId: '%3',
      sessionName: `a${S}b`,
      windowIndex: 2,
      paneIndex: 1,
    });
    expect(p?.role).toBe('');
    expect([...(p?.taken ?? [])]).toEqual(['api', `we${S}ird`]);
    expect(parseLookupOutput('no server running')).toBeNull();
    expect(parseLookupOutput(`FKB${S}/tmp/s\tx\t1${S}%3${S}2${S}1${S}${S}n${S}FKE\n`)).toBeNull();
    expect(parseLookupOutput(`FKB${S}\t1\t1${S}%3${S}2${S}1${S}${S}n${S}FKE\n`)).toBeNull();
  });
});

/** Alive and not a zombie (a daemonised tmux server may be left unreaped in a container). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('lookupPaneContext against a real tmux server', () => {
  let sock: string;
  let dir: string;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });

  beforeEach(() => {
    sock = `fk-panectx-${randomBytes(4).toString('hex')}`;
    dir = mkdtempSync(join(tmpdir(), 'fk-panectx-'));
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'work: "odd" name', '-x', '120', '-y', '40', 'sleep 600');
    tmux('split-window', '-t', 'work_ "odd" name', 'sleep 600');
  });
  afterEach(async () => {
    const pid = Number(tmux('display', '-p', '#{pid}').trim());
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    for (let i = 0; i < 100; i++) {
      if (!alive(pid)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function envFor(paneId: string): NodeJS.ProcessEnv {
    const [socketPath, pid] = tmux('display', '-p', '-F', '#{socket_path}\t#{pid}').trim().split('\t');
    return { TMUX: `${socketPath},${pid},0`, TMUX_PANE: paneId };
  }

  it('returns the instance, pane and an auto-assigned unique role that sticks in the pane', async () => {
    const panes = tmux('list-panes', '-a', '-F', '#{pane_id} #{pane_index}')
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    const second = panes.find((p) => p[1] === '1')?.[0] as string;
    const first = panes.find((p) => p[1] === '0')?.[0] as string;
    // Another pane already holds the name this one would get by default.
    const base = defaultRole('work_ "odd" name', 0, 1, new Set());
    expect(base).toBe('work___odd__name-0.1');
    tmux('set-option', '-p', '-t', first, '@fleetkeeper-role', base);
    const [socketPath, pid, startTime] = tmux('display', '-p', '-F', '#{socket_path}\t#{pid}\t#{start_time}')
      .trim()
      .split('\t');
    const ctx = await lookupPaneContext(envFor(second));
    expect(ctx).toEqual({
      instance: { socketPath, pid: Number(pid), startTime: Number(startTime) },
      paneId: second,
      role: `${base}_2`,
      sessionName: 'work_ "odd" name',
      windowIndex: 0,
      paneIndex: 1,
    });
    expect(tmux('display', '-p', '-t', second, '#{@fleetkeeper-role}').trim()).toBe(`${base}_2`);
    // A second lookup reads the stored role instead of inventing another.
    expect((await lookupPaneContext(envFor(second)))?.role).toBe(`${base}_2`);
    expect((await lookupPaneContext(envFor(first)))?.role).toBe(base);
  });

  it('keeps an explicit role', async () => {
    const pane = tmux('display', '-p', '#{pane_id}').trim();
    tmux('set-option', '-p', '-t', pane, '@fleetkeeper-role', 'api');
    expect((await lookupPaneContext(envFor(pane)))?.role).toBe('api');
  });

  it('is null outside tmux, rejects for a pane that does not exist, and times out on a hung tmux', async () => {
    expect(await lookupPaneContext({})).toBeNull();
    await expect(lookupPaneContext(envFor('%999'))).rejects.toBeInstanceOf(TmuxError);
    const hung = join(dir, 'tmux');
    writeFileSync(hung, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(hung, 0o755);
    const t0 = Date.now();
    await expect(lookupPaneContext(envFor('%0'), { timeoutMs: 300, tmuxBin: hung })).rejects.toMatchObject({
      reason: 'timeout',
    });
    expect(Date.now() - t0).toBeLessThan(1_500);
  });
});
