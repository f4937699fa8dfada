import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import * as fsp from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, WriteFailedError } from '../../common/base/errors.js';
import { claudeConfigDir, claudeSettingsPath } from './paths.js';
import {
  hookCommands,
  hooksStatus,
  installHooks,
  isOurHookCommand,
  KEEP_BACKUPS,
  uninstallHooks,
  type HookCommands,
} from './settings-file.js';

const isRoot = process.getuid?.() === 0;
const NODE = '/usr/bin/node';
const CLI = '/opt/Fleetkeeper/bin/fleetkeeper.js';
const expected: HookCommands = hookCommands(NODE, CLI);
const OLD: HookCommands = hookCommands('/old/node', '/home/u/old fleetkeeper/bin/fleetkeeper.js');

let dir: string;
let settings: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'fk-claude-settings-'));
  settings = join(dir, 'settings.json');
});
afterEach(async () => {
  await fsp.chmod(dir, 0o700).catch(() => undefined);
  await fsp.rm(dir, { recursive: true, force: true });
});

const sha = async (p: string): Promise<string> =>
  createHash('sha256')
    .update(await fsp.readFile(p))
    .digest('hex');
const readJson = async (p: string): Promise<Record<string, unknown>> => JSON.parse(await fsp.readFile(p, 'utf8'));
const backups = async (d: string): Promise<string[]> =>
  (await fsp.readdir(d)).filter((f) => f.includes('.fleetkeeper-backup-'));
const ours = (command: string): Record<string, unknown> => ({ type: 'command', command, timeout: 5 });
const write = (p: string, v: unknown): Promise<void> =>
  fsp.writeFile(p, typeof v === 'string' ? v : JSON.stringify(v, null, 4));

// A settings file as a real user has it: unknown keys, other hooks in our events and others.
const userSettings = {
  model: 'opus',
  permissions: { allow: ['Bash(ls:*)'], deny: [] },
  futureKey: { nested: [1, 2.5, 'x', null, true] },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit.sh' }] }],
    SessionStart: [
      { matcher: 'resume', hooks: [{ type: 'command', command: 'echo resumed' }] },
      { matcher: '', hooks: [{ type: 'command', command: '~/bin/load-env.sh', timeout: 3 }] },
    ],
  },
};

describe('paths and commands', () => {
  it('claudeConfigDir honours CLAUDE_CONFIG_DIR, else ~/.claude', () => {
    expect(claudeConfigDir({ CLAUDE_CONFIG_DIR: '/x/claude', HOME: '/home/a' })).toBe('/x/claude');
    expect(claudeConfigDir({ CLAUDE_CONFIG_DIR: '', HOME: '/home/a' })).toBe('/home/a/.claude');
    expect(claudeSettingsPath({ HOME: '/home/a' })).toBe('/home/a/.claude/settings.json');
  });

  it('quotes paths and recognises its own commands, old and new, but not foreign ones', () => {
    const c = hookCommands('/usr/bin/node', "/home/o'brien/my apps/fleetkeeper/bin/fleetkeeper.js");
    expect(c.sessionStart).toBe(
      `/usr/bin/node '/home/o'\\''brien/my apps/fleetkeeper/bin/fleetkeeper.js' hook session-start`,
    );
    expect(c.sessionEnd.endsWith(' hook session-end')).toBe(true);
    for (const cmd of [
      c.sessionStart,
      c.sessionEnd,
      expected.sessionStart,
      OLD.sessionEnd,
      '/usr/local/bin/fleetkeeper hook session-start',
    ]) {
      expect(isOurHookCommand(cmd), cmd).toBe(true);
    }
    for (const cmd of [
      '~/bin/load-env.sh',
      'node /opt/other/cli.js hook session-start',
      `${NODE} ${CLI} hook session-stop`,
      `${NODE} ${CLI} hook session-start; rm -rf /tmp/x`,
      `${NODE} '${CLI} hook session-start`,
    ]) {
      expect(isOurHookCommand(cmd), cmd).toBe(false);
    }
    expect(() => hookCommands('node', CLI)).toThrow(InvalidInputError);
    expect(() => hookCommands(NODE, '/opt/other/cli.js')).toThrow(/fleetkeeper/);
  });
});

describe('installHooks', () => {
  it('creates a missing config dir (0700) and file with 2-space JSON and a trailing newline', async () => {
    const p = join(dir, 'nested', 'claude', 'settings.json');
    expect((await hooksStatus(p, expected)).state).toBe('missing');
    expect(await installHooks(p, expected)).toEqual({ changed: true, backupPath: null });
    expect((await fsp.stat(join(dir, 'nested', 'claude'))).mode & 0o777).toBe(0o700);
    const want = {
      hooks: {
        SessionStart: [{ matcher: '', hooks: [ours(expected.sessionStart)] }],
        SessionEnd: [{ matcher: '', hooks: [ours(expected.sessionEnd)] }],
      },
    };
    expect(await fsp.readFile(p, 'utf8')).toBe(`${JSON.stringify(want, null, 2)}\n`);
    expect(await hooksStatus(p, expected)).toEqual({ state: 'installed', settingsPath: p, detail: expect.any(String) });
  });

  it('keeps every other setting, hook and matcher group exactly, and backs up the original first', async () => {
    await write(settings, userSettings);
    await fsp.chmod(settings, 0o640);
    const original = await fsp.readFile(settings);
    const r = await installHooks(settings, expected);
    expect(r.changed).toBe(true);
    expect(r.backupPath).toMatch(/settings\.json\.fleetkeeper-backup-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect((await fsp.readFile(r.backupPath as string)).equals(original)).toBe(true);
    const after = await readJson(settings);
    const want = structuredClone(userSettings) as unknown as { hooks: Record<string, unknown[]> };
    want.hooks.SessionStart?.push({ matcher: '', hooks: [ours(expected.sessionStart)] });
    want.hooks.SessionEnd = [{ matcher: '', hooks: [ours(expected.sessionEnd)] }];
    expect(after).toEqual(want);
    expect(Object.keys(after)).toEqual(['model', 'permissions', 'futureKey', 'hooks']);
    expect((await fsp.stat(settings)).mode & 0o777).toBe(0o640);
    expect((await hooksStatus(settings, expected)).state).toBe('installed');
  });

  it('is idempotent: a second install leaves the file byte-identical and takes no backup', async () => {
    await write(settings, userSettings);
    await installHooks(settings, expected);
    const [hash, nBackups, mtime] = [
      await sha(settings),
      (await backups(dir)).length,
      (await fsp.stat(settings)).mtimeMs,
    ];
    expect(await installHooks(settings, expected)).toEqual({ changed: false, backupPath: null });
    expect(await sha(settings)).toBe(hash);
    expect((await backups(dir)).length).toBe(nBackups);
    expect((await fsp.stat(settings)).mtimeMs).toBe(mtime);
  });

  it('replaces its own outdated entries in place instead of adding a second one', async () => {
    await write(settings, {
      hooks: {
        SessionStart: [
          {
            matcher: '',
            hooks: [
              { type: 'command', command: 'first.sh' },
              ours(OLD.sessionStart),
              { type: 'command', command: 'last.sh' },
            ],
          },
        ],
        // Ours under a narrowing matcher would miss resumes: dropped, its emptied group tidied away.
        SessionEnd: [
          { matcher: 'clear', hooks: [ours(OLD.sessionEnd)] },
          { hooks: [{ type: 'command', command: 'bye.sh' }] },
        ],
      },
    });
    const before = await hooksStatus(settings, expected);
    expect(before.state).toBe('outdated');
    expect(before.detail).toContain('SessionStart: runs');
    await installHooks(settings, expected);
    expect(await readJson(settings)).toEqual({
      hooks: {
        SessionStart: [
          {
            matcher: '',
            hooks: [
              { type: 'command', command: 'first.sh' },
              ours(expected.sessionStart),
              { type: 'command', command: 'last.sh' },
            ],
          },
        ],
        SessionEnd: [
          { hooks: [{ type: 'command', command: 'bye.sh' }] },
          { matcher: '', hooks: [ours(expected.sessionEnd)] },
        ],
      },
    });
    expect((await hooksStatus(settings, expected)).state).toBe('installed');
  });

  it('collapses duplicates of its own hook to one', async () => {
    await write(settings, {
      hooks: {
        SessionStart: [
          { matcher: '', hooks: [ours(expected.sessionStart)] },
          { matcher: '*', hooks: [ours(expected.sessionStart)] },
        ],
        SessionEnd: [{ matcher: '', hooks: [ours(expected.sessionEnd)] }],
      },
    });
    expect((await hooksStatus(settings, expected)).detail).toContain('2 Fleetkeeper hooks');
    await installHooks(settings, expected);
    const s = (await readJson(settings)) as { hooks: { SessionStart: unknown[] } };
    expect(s.hooks.SessionStart).toEqual([{ matcher: '', hooks: [ours(expected.sessionStart)] }]);
  });

  it('treats an empty file as empty settings', async () => {
    await write(settings, '\n');
    expect((await installHooks(settings, expected)).changed).toBe(true);
    expect((await hooksStatus(settings, expected)).state).toBe('installed');
  });

  it('refuses invalid JSON or a wrongly shaped hooks field, naming the path and the error, touching nothing', async () => {
    const cases: [string, RegExp][] = [
      ['{"model": "opus",, }', /not valid JSON \(.+\)/],
      [JSON.stringify({ hooks: [] }), /"hooks" is not an object/],
      [JSON.stringify({ hooks: { SessionStart: { matcher: '' } } }), /"hooks\.SessionStart" is not an array/],
      [
        JSON.stringify({ hooks: { SessionEnd: [{ matcher: '', hooks: 'x' }] } }),
        /"hooks\.SessionEnd\[0\]\.hooks" is not an array/,
      ],
      ['[1,2]', /top level is not a JSON object/],
    ];
    for (const [text, why] of cases) {
      await write(settings, text);
      const err = await installHooks(settings, expected).catch((e: unknown) => e);
      expect(err, text).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toContain(settings);
      expect((err as Error).message).toMatch(why);
      await expect(uninstallHooks(settings)).rejects.toBeInstanceOf(InvalidInputError);
      expect(await fsp.readFile(settings, 'utf8')).toBe(text);
      const st = await hooksStatus(settings, expected);
      expect(st.state).toBe('invalid');
      expect(st.detail).toMatch(why);
    }
    expect(await backups(dir)).toEqual([]);
  });

  it('refuses a read-only settings file with a clear error and loses nothing (by mode bits, so also as root)', async () => {
    await write(settings, userSettings);
    await fsp.chmod(settings, 0o444);
    const hash = await sha(settings);
    const err = await installHooks(settings, expected).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteFailedError);
    expect((err as Error).message).toMatch(new RegExp(`${settings}.*read-only \\(mode 0444\\)`));
    expect(await sha(settings)).toBe(hash);
    expect(await backups(dir)).toEqual([]);
  });

  it.skipIf(isRoot)(
    'fails clearly in a read-only directory and loses nothing (skipped as root: root ignores directory modes)',
    async () => {
      await write(settings, userSettings);
      const hash = await sha(settings);
      await fsp.chmod(dir, 0o555);
      const err = await installHooks(settings, expected).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WriteFailedError);
      expect((err as Error).message).toMatch(/EACCES/);
      await fsp.chmod(dir, 0o700);
      expect(await sha(settings)).toBe(hash);
      expect((await fsp.readdir(dir)).sort()).toEqual(['settings.json']);
    },
  );

  it('writes through a symlink to its target and keeps the link', async () => {
    const realDir = join(dir, 'dotfiles');
    await fsp.mkdir(realDir);
    const real = join(realDir, 'claude-settings.json');
    await write(real, { model: 'sonnet' });
    await fsp.chmod(real, 0o600);
    await fsp.symlink('dotfiles/claude-settings.json', settings);
    await installHooks(settings, expected);
    expect((await fsp.lstat(settings)).isSymbolicLink()).toBe(true);
    expect(await fsp.readlink(settings)).toBe('dotfiles/claude-settings.json');
    expect((await readJson(real)).model).toBe('sonnet');
    expect((await hooksStatus(settings, expected)).state).toBe('installed');
    expect((await fsp.stat(real)).mode & 0o777).toBe(0o600);
    expect(await fsp.readdir(realDir)).toEqual(['claude-settings.json']);
  });

  it('creates the target of a dangling symlink rather than replacing the link', async () => {
    await fsp.symlink('elsewhere/settings.json', settings);
    await installHooks(settings, expected);
    expect((await fsp.lstat(settings)).isSymbolicLink()).toBe(true);
    expect((await hooksStatus(join(dir, 'elsewhere', 'settings.json'), expected)).state).toBe('installed');
  });
});

describe('uninstallHooks', () => {
  it('removes only its own entries and tidies the containers it emptied', async () => {
    await write(settings, userSettings);
    const original = await readJson(settings);
    await installHooks(settings, expected);
    const r = await uninstallHooks(settings);
    expect(r.changed).toBe(true);
    expect(r.backupPath).not.toBeNull();
    // SessionEnd held only ours: the key is gone; SessionStart's user groups are intact.
    expect(await readJson(settings)).toEqual(original);
    expect((await hooksStatus(settings, expected)).state).toBe('missing');
    expect(await uninstallHooks(settings)).toEqual({ changed: false, backupPath: null });
  });

  it('drops an emptied hooks object but keeps a group shared with a user hook', async () => {
    await write(settings, {
      theme: 'dark',
      hooks: {
        SessionStart: [{ matcher: '', hooks: [ours(OLD.sessionStart), { type: 'command', command: 'mine.sh' }] }],
        SessionEnd: [{ matcher: '', hooks: [ours(OLD.sessionEnd)] }],
      },
    });
    await uninstallHooks(settings);
    expect(await readJson(settings)).toEqual({
      theme: 'dark',
      hooks: { SessionStart: [{ matcher: '', hooks: [{ type: 'command', command: 'mine.sh' }] }] },
    });
    await write(settings, { theme: 'dark', hooks: { SessionEnd: [{ matcher: '', hooks: [ours(OLD.sessionEnd)] }] } });
    await uninstallHooks(settings);
    expect(await readJson(settings)).toEqual({ theme: 'dark' });
  });

  it('sweeps temp files left by its own killed writers (dead pid), and nothing else', async () => {
    await write(settings, userSettings);
    const dead = await new Promise<number>((res) => {
      const c = execFile(process.execPath, ['-e', '0'], () => res(c.pid as number));
    });
    const stale = join(dir, `.tmp-settings.json.${dead}.deadbeef`);
    const staleBackup = join(dir, `.tmp-settings.json.fleetkeeper-backup-2026-11-23T21-30-01-123Z.${dead}.0badf00d`);
    const live = join(dir, `.tmp-settings.json.${process.pid}.cafebabe`);
    const foreign = join(dir, `.tmp-other.json.${dead}.deadbeef`);
    for (const f of [stale, staleBackup, live, foreign]) await fsp.writeFile(f, '{"half');
    await installHooks(settings, expected);
    const left = (await fsp.readdir(dir)).filter((f) => f.startsWith('.tmp-')).sort();
    expect(left).toEqual([`.tmp-other.json.${dead}.deadbeef`, `.tmp-settings.json.${process.pid}.cafebabe`].sort());
  });

  it('does not create a missing file', async () => {
    expect(await uninstallHooks(settings)).toEqual({ changed: false, backupPath: null });
    await expect(fsp.stat(settings)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('settings backups (issue 12, finding 4)', () => {
  it('keeps only the newest KEEP_BACKUPS, every one 0600, even when the settings file is 0644', async () => {
    const secret = { env: { ANTHROPIC_API_KEY: 'sk-ant-secret' }, model: 'opus' };
    await fsp.writeFile(settings, JSON.stringify(secret), { mode: 0o644 });
    await fsp.chmod(settings, 0o644);
    // A backup left by an older version, readable by everyone.
    const old = `${settings}.fleetkeeper-backup-2020-01-01T00-00-00-000Z`;
    await fsp.writeFile(old, '{}', { mode: 0o644 });
    await fsp.chmod(old, 0o644);
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      made.push((await installHooks(settings, expected)).backupPath!);
      made.push((await uninstallHooks(settings)).backupPath!);
    }
    const backups = (await fsp.readdir(dir)).filter((n) => n.includes('.fleetkeeper-backup-')).sort();
    expect(backups).toHaveLength(KEEP_BACKUPS);
    expect(backups.map((n) => join(dir, n))).toEqual(made.slice(-KEEP_BACKUPS).sort());
    for (const n of backups) expect((await fsp.stat(join(dir, n))).mode & 0o777).toBe(0o600);
    // The user's own file keeps its mode; the newest backup is the state just before the last change.
    expect((await fsp.stat(settings)).mode & 0o777).toBe(0o644);
    expect(JSON.parse(await fsp.readFile(made.at(-1)!, 'utf8'))).toMatchObject(secret);
  });
});
