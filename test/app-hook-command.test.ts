// Issue 12, finding 1: the hook command an AppImage build writes into Claude's settings. Its
// resources live in a temporary mount that anyone can recreate once the app exits, so the hook
// must never point there. Run with the values an AppImage's runtime sets (APPIMAGE, APPDIR, a
// resourcesPath inside the mount), on the real filesystem, with the real bundled hook.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appHookCommands } from '../main/electron-main/app-wiring.js';
import { runCli } from './helpers/cli.js';
import { hooksStatus, installHooks } from '../main/node/claude/settings-file.js';

const HOOK_BUNDLE = fileURLToPath(new URL('../dist/main/cli/hook.cjs', import.meta.url));
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('the Claude hook command of an AppImage (issue 12, finding 1)', () => {
  let root: string;
  let mount: string;
  let resources: string;
  let userData: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-appimage-')));
    mount = join(root, '.mount_FleetkXb3Zq1');
    resources = join(mount, 'resources');
    const cliDir = join(resources, 'app.asar.unpacked', 'dist', 'main', 'cli');
    mkdirSync(cliDir, { recursive: true });
    copyFileSync(HOOK_BUNDLE, join(cliDir, 'hook.cjs'));
    mkdirSync(join(resources, 'bin'));
    copyFileSync(
      fileURLToPath(new URL('../build/bin/fleetkeeper', import.meta.url)),
      join(resources, 'bin', 'fleetkeeper'),
    );
    const pathDir = join(root, 'path-bin');
    mkdirSync(pathDir);
    symlinkSync(process.execPath, join(pathDir, 'node'));
    userData = join(root, 'home', '.config', 'Fleetkeeper');
    env = {
      PATH: `${pathDir}:/usr/bin:/bin`,
      HOME: join(root, 'home'),
      APPIMAGE: join(root, 'home', 'Applications', 'Fleetkeeper-0.1.0.AppImage'),
      APPDIR: mount,
      ARGV0: 'Fleetkeeper-0.1.0.AppImage',
      OWD: root,
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'claude'),
    };
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const commands = () =>
    appHookCommands({
      packaged: true,
      resourcesPath: resources,
      appPath: join(resources, 'app.asar'),
      env,
      platform: 'linux',
      userDataDir: userData,
    });

  it('points at a verified private copy in the user data dir, run by the Node on PATH, never into the mount', async () => {
    const cmds = await commands();
    const copy = join(userData, 'hook', 'fleetkeeper-hook.cjs');
    expect(cmds).toEqual({
      sessionStart: `${join(root, 'path-bin', 'node')} ${copy} hook session-start`,
      sessionEnd: `${join(root, 'path-bin', 'node')} ${copy} hook session-end`,
    });
    expect(cmds.sessionStart).not.toContain(mount);
    expect(sha(copy)).toBe(sha(HOOK_BUNDLE));
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(statSync(join(userData, 'hook')).mode & 0o777).toBe(0o700);

    // Installed into Claude's settings: nothing there names the mount.
    await installHooks(join(root, 'claude', 'settings.json'), cmds);
    expect(readFileSync(join(root, 'claude', 'settings.json'), 'utf8')).not.toContain('.mount_');

    // The app exits, its mount is gone: the hook still records, from the copy.
    rmSync(mount, { recursive: true });
    const payload = JSON.stringify({
      session_id: '0b5c7d1e-2f3a-4b5c-8d6e-7f8091a2b3c4',
      transcript_path: '/t.jsonl',
      cwd: root,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    execFileSync('/bin/sh', ['-c', cmds.sessionStart], { env, input: payload });
    expect(readdirSync(join(root, 'state', 'spool', 'new'))).toHaveLength(1);
  });

  it('a tampered or replaced copy is put back to the bundle, byte for byte', async () => {
    const cliDir = join(resources, 'app.asar.unpacked', 'dist', 'main', 'cli');
    mkdirSync(cliDir, { recursive: true });
    copyFileSync(HOOK_BUNDLE, join(cliDir, 'hook.cjs'));
    const copy = join(userData, 'hook', 'fleetkeeper-hook.cjs');
    appendFileSync(copy, '\nrequire("child_process").execSync("touch /tmp/planted");\n');
    await commands();
    expect(sha(copy)).toBe(sha(HOOK_BUNDLE));
    rmSync(copy);
    symlinkSync('/etc/hostname', copy);
    await commands();
    expect(statSync(copy).isFile()).toBe(true);
    expect(sha(copy)).toBe(sha(HOOK_BUNDLE));
  });

  it('without a Node on PATH it refuses with the reason: hooks show missing, install is refused, the app still runs', async () => {
    const saved = env.PATH;
    env.PATH = '/nonexistent';
    try {
      const cmds = await commands();
      expect(cmds.unavailable).toMatch(/^Claude hooks cannot be installed from this AppImage: .*Node\.js.*on PATH/);
      const settings = join(root, 'claude2', 'settings.json');
      await expect(installHooks(settings, cmds)).rejects.toThrow(/cannot be installed from this AppImage/);
      expect(await hooksStatus(settings, cmds)).toMatchObject({ state: 'missing', detail: cmds.unavailable });
    } finally {
      env.PATH = saved;
    }
  });

  it("the CLI run from inside a mount (the AppImage's own) refuses to write a hook pointing there", async () => {
    const repo = realpathSync(fileURLToPath(new URL('..', import.meta.url)));
    const state = {
      FLEETKEEPER_HOME: join(root, 'cli-state'),
      CLAUDE_CONFIG_DIR: join(root, 'cli-claude'),
      HOME: root,
    };
    const r = await runCli(['hooks', 'install'], { ...process.env, ...state, APPDIR: repo });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `Claude hooks cannot be installed from this CLI: it is inside the AppImage mount APPDIR=${repo}`,
    );
    expect(existsSync(join(root, 'cli-claude', 'settings.json'))).toBe(false);
    const ok = await runCli(['hooks', 'install'], { ...process.env, ...state, APPDIR: '' });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an installed (deb) app keeps its wrapper: its resources stay where they are', async () => {
    const cmds = await appHookCommands({
      packaged: true,
      resourcesPath: '/opt/Fleetkeeper/resources',
      appPath: '/opt/Fleetkeeper/resources/app.asar',
      env: { PATH: '/usr/bin:/bin' },
      platform: 'linux',
      userDataDir: userData,
    });
    expect(cmds.sessionStart).toBe('/bin/sh /opt/Fleetkeeper/resources/bin/fleetkeeper hook session-start');
  });
});
