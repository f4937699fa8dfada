// 12. Claude settings: install and uninstall over settings files with other hooks, unknown
// keys, invalid JSON, a read-only file, a symlink, a full disk, and a writer killed at random
// instants: nothing of the user's is lost, a backup of the original exists, errors are clear.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { hookCommands, hooksStatus, installHooks, uninstallHooks } from '../../main/node/claude/settings-file.js';
import {
  BIN,
  LineProc,
  ensureBuilt,
  figures,
  rng,
  scaled,
  seedFromEnv,
  sleep,
  startWorker,
  tempState,
  type TempState,
} from './helpers/harness.js';

const cmds = hookCommands('/usr/bin/node', '/opt/fleetkeeper/bin/fleetkeeper.js');
let st: TempState | null = null;
beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => {
  st?.dispose();
  st = null;
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A random settings document a user might have: unknown keys anywhere, other hooks, odd text. */
function randomSettings(rand: () => number): Record<string, Json> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const text = (): string =>
    pick(['', 'x', 'é ü 日本 🚀', '$(rm -rf ~)', '`id`; echo "q"', 'a\nb\tc', '\\', '{"json":1}']) +
    Math.floor(rand() * 1000);
  const value = (depth: number): Json => {
    const r = rand();
    if (depth > 2 || r < 0.3) return pick<Json>([null, true, false, 0, -1.5, 1e21, text()]);
    if (r < 0.6) return Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => [text(), value(depth + 1)]));
  };
  const group = (): Json => {
    const g: Record<string, Json> = {
      hooks: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
        type: 'command',
        command: `user-${text()}`,
        ...(rand() < 0.5 ? { timeout: 3 } : {}),
      })),
    };
    const m = pick([undefined, '', '*', 'startup', 'resume', 'Bash']);
    if (m !== undefined) g.matcher = m;
    if (rand() < 0.3) g[`x-${text()}`] = value(1);
    return g;
  };
  const doc: Record<string, Json> = {};
  for (let i = 0; i < 1 + Math.floor(rand() * 4); i++)
    doc[pick(['model', 'env', 'permissions', `unknown-${text()}`, 'statusLine'])] = value(0);
  if (rand() < 0.8) {
    const hooks: Record<string, Json> = {};
    for (const ev of ['SessionStart', 'SessionEnd', 'PreToolUse', 'Stop', `Future${Math.floor(rand() * 9)}`]) {
      if (rand() < 0.5) hooks[ev] = Array.from({ length: 1 + Math.floor(rand() * 2) }, group);
    }
    if (Object.keys(hooks).length > 0) doc.hooks = hooks;
  }
  return doc;
}

const backupsIn = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.includes('.fleetkeeper-backup-') && !f.startsWith('.tmp-'));

describe('Claude settings under faults', () => {
  it("install + uninstall over 200 random user settings: everything of the user's round-trips, the original is backed up byte for byte", async () => {
    st = tempState('settings-rt');
    const seed = seedFromEnv();
    const rand = rng(seed);
    const n = scaled(200);
    for (let i = 0; i < n; i++) {
      const dir = join(st.dir, `c${i}`);
      mkdirSync(dir);
      const file = join(dir, 'settings.json');
      const doc = randomSettings(rand);
      const original = Buffer.from(JSON.stringify(doc, null, i % 3));
      writeFileSync(file, original);
      const inst = await installHooks(file, cmds);
      expect(inst.changed).toBe(true);
      expect(readFileSync(inst.backupPath as string).equals(original)).toBe(true);
      expect((await hooksStatus(file, cmds)).state).toBe('installed');
      const installedBytes = readFileSync(file);
      expect((await installHooks(file, cmds)).changed).toBe(false);
      expect(readFileSync(file).equals(installedBytes)).toBe(true);
      const un = await uninstallHooks(file);
      expect(un.changed).toBe(true);
      const back = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!isDeepStrictEqual(back, doc))
        throw new Error(
          `case ${i} (seed ${seed}): not round-tripped\nbefore ${JSON.stringify(doc)}\nafter  ${JSON.stringify(back)}`,
        );
      expect(backupsIn(dir).length).toBe(2);
    }
    figures(
      `claude-settings: ${n} random user settings (unknown keys, other hooks and matchers, hostile text) (seed ${seed}): install → idempotent re-install → uninstall round-trips every one, original backed up byte for byte`,
    );
  });

  it('invalid JSON, a wrongly shaped file, a read-only file: the CLI refuses in one clear line, the file is byte-identical, no backup', async () => {
    st = tempState('settings-bad');
    const cfg = join(st.dir, 'claude');
    mkdirSync(cfg);
    const file = join(cfg, 'settings.json');
    const env = { PATH: process.env.PATH, HOME: st.dir, CLAUDE_CONFIG_DIR: cfg, FLEETKEEPER_HOME: st.root };
    const cases: Array<[string, string, number | null, RegExp]> = [
      ['invalid JSON', '{"model": "opus",, }', null, /not valid JSON.*untouched/],
      ['hooks is an array', '{"hooks": []}', null, /"hooks" is not an object.*untouched/],
      [
        'a group without hooks',
        '{"hooks": {"SessionStart": [{"matcher": ""}]}}',
        null,
        /hooks.SessionStart\[0\].hooks" is not an array/,
      ],
      ['read-only file', '{"model": "opus"}', 0o444, /read-only/],
    ];
    for (const [what, content, mode, reason] of cases) {
      writeFileSync(file, content);
      chmodSync(file, mode ?? 0o600);
      for (const verb of ['install', 'uninstall']) {
        const lp = new LineProc(
          spawn(process.execPath, [BIN, 'hooks', verb], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
        );
        const { code } = await lp.exited;
        if (what === 'read-only file' && verb === 'uninstall') {
          expect(code, `${what} ${verb}`).toBe(0); // nothing of ours to remove: nothing to write
          continue;
        }
        expect(code, `${what} ${verb}`).not.toBe(0);
        expect(lp.stderr.trim().split('\n').length, `${what} ${verb}: ${lp.stderr}`).toBe(1);
        expect(lp.stderr, `${what} ${verb}`).toMatch(reason);
        expect(lp.stderr).toContain(file);
      }
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect(lstatSync(file).mode & 0o777).toBe(mode ?? 0o600);
      expect(backupsIn(cfg)).toEqual([]);
      const status = spawnSync(process.execPath, [BIN, 'hooks', 'status'], { env, encoding: 'utf8' });
      expect(status.status).not.toBe(0);
    }
    figures(
      `claude-settings: ${cases.length} unusable settings files (invalid JSON, wrong shapes, read-only): CLI install/uninstall refuse in one line naming the file, file byte-identical, 0 backups`,
    );
  });

  it("a symlinked settings file (dotfiles repo): written through, the link kept, the target's other content kept", async () => {
    st = tempState('settings-link');
    const dotfiles = join(st.dir, 'dotfiles');
    mkdirSync(dotfiles);
    const real = join(dotfiles, 'claude-settings.json');
    const doc = {
      model: 'opus',
      hooks: { SessionStart: [{ matcher: 'resume', hooks: [{ type: 'command', command: 'echo hi' }] }] },
    };
    writeFileSync(real, JSON.stringify(doc));
    const cfg = join(st.dir, 'claude');
    mkdirSync(cfg);
    const link = join(cfg, 'settings.json');
    symlinkSync(real, link);
    await installHooks(link, cmds);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect((await hooksStatus(link, cmds)).state).toBe('installed');
    await uninstallHooks(link);
    expect(JSON.parse(readFileSync(real, 'utf8'))).toEqual(doc);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    figures(
      'claude-settings: symlinked settings.json: install and uninstall write through, the link survives, the target round-trips',
    );
  });

  it('killed at random instants while installing and uninstalling: the file always parses as the original or the installed version', async () => {
    st = tempState('settings-kill');
    const seed = seedFromEnv();
    const rand = rng(seed);
    const cfg = join(st.dir, 'claude');
    mkdirSync(cfg);
    const file = join(cfg, 'settings.json');
    const doc = randomSettings(rand);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    await installHooks(file, cmds);
    const installed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    await uninstallHooks(file);
    const kills = scaled(100);
    let next = startWorker('settings.mjs', [file]);
    let ops = 0;
    for (let k = 0; k < kills; k++) {
      const w = next;
      await w.waitLine((l) => l === 'ready', 60_000);
      w.send('go');
      await w.waitLine((l) => l === 'started', 60_000);
      next = startWorker('settings.mjs', [file]);
      await sleep(rand() * 12);
      w.kill('SIGKILL');
      await w.exited;
      ops += w.lines.filter((l) => l.startsWith('did ')).length;
      const now = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      expect(
        isDeepStrictEqual(now, doc) || isDeepStrictEqual(now, installed),
        `kill ${k}: ${JSON.stringify(now).slice(0, 200)}`,
      ).toBe(true);
    }
    next.kill();
    await next.exited;
    const backups = backupsIn(cfg);
    for (const b of backups) {
      const text = readFileSync(join(cfg, b), 'utf8');
      const v = JSON.parse(text) as unknown;
      expect(isDeepStrictEqual(v, doc) || isDeepStrictEqual(v, installed), `backup ${b}`).toBe(true);
    }
    const temps = readdirSync(cfg).filter((n) => n.startsWith('.tmp-'));
    // The next install or uninstall sweeps the temp files its killed predecessors left.
    await installHooks(file, cmds);
    // Every temp whose writer is gone is swept. On a busy machine a killed writer's pid can be
    // reused at once; such a temp is kept until it is old (10 min), never deleted under a live pid.
    const left = readdirSync(cfg).filter((n) => n.startsWith('.tmp-'));
    const pidOf = (n: string): number => Number(/\.(\d+)\.[0-9a-f]{8}$/.exec(n)?.[1] ?? NaN);
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(left.filter((n) => !alive(pidOf(n)))).toEqual([]);
    figures(
      `claude-settings: ${kills} SIGKILLs during ${ops} install/uninstall operations (seed ${seed}): settings.json always the original or the installed version, ${backups.length} backups all whole, ${temps.length} temp files present after the last kill (each install sweeps those of dead writers), 0 after the next install`,
    );
  });

  it('a full disk: install fails with a clear error and the settings file stays byte-identical', async (ctx) => {
    const mnt = join(tmpdir(), `fk-rel-settings-tmpfs-${process.pid}`);
    mkdirSync(mnt, { recursive: true });
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (r.status !== 0) {
      rmSync(mnt, { recursive: true, force: true });
      console.log(`claude-settings: full disk skipped: cannot mount a tmpfs (${r.stderr.trim()})`);
      ctx.skip();
      return;
    }
    try {
      const file = join(mnt, 'settings.json');
      const original = JSON.stringify({ model: 'opus', pad: 'p'.repeat(20_000) }, null, 2);
      writeFileSync(file, original);
      const filler = join(mnt, 'filler');
      let size = 64 * 1024;
      for (;;) {
        try {
          writeFileSync(filler, Buffer.alloc(size), { flag: 'a' });
        } catch {
          if (size <= 64) break;
          size = Math.floor(size / 2);
        }
      }
      const err = await installHooks(file, cmds).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err).not.toBeNull();
      expect(String(err?.message)).toMatch(/ENOSPC|no space/i);
      expect(readFileSync(file, 'utf8')).toBe(original);
      expect(readdirSync(mnt).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      rmSync(filler);
      expect((await installHooks(file, cmds)).changed).toBe(true);
      expect((await hooksStatus(file, cmds)).state).toBe('installed');
      figures(
        `claude-settings: full 64 KB tmpfs: install fails naming ENOSPC, settings.json byte-identical, no temp left; succeeds once space is back${existsSync(file) ? '' : ''}`,
      );
    } finally {
      spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
