import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { CLI, runCli } from './helpers/cli.js';
import { dbusSkipReason, startDbusSession, type DbusSession } from './helpers/dbus-session.js';
import { startNotificationServer, type NotificationServer } from './helpers/notification-server.js';
import { desktopEntry } from '../main/node/desktop/autostart.js';

interface Check {
  id: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  fix?: string;
}

// `fleetkeeper doctor` with each check made to fail for real, then fixed: no tmux server, no
// hooks, a stopped daemon, no login entry, no D-Bus (and a bus without a notification
// server), a world-writable state dir. With everything fixed it exits 0.
const skipBus = dbusSkipReason();

describe.skipIf(skipBus !== null)(`doctor${skipBus ? ` (skipped: ${skipBus})` : ''}`, () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;
  let daemon: ChildProcess | null = null;
  let bus: DbusSession | null = null;
  let server: NotificationServer | null = null;

  const doctor = async (extra: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(['doctor', '--json', '--socket', tmux.socket], { ...env, ...extra });
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    const by = (id: string): Check => {
      const c = doc.checks.find((x) => x.id === id || x.id.startsWith(`${id}:`));
      if (c === undefined) throw new Error(`no check ${id} in ${r.stdout}`);
      return c;
    };
    return { code: r.code, doc, by, stdout: r.stdout };
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fk-doctor-'));
    for (const d of ['home', 'cfg', 'claude']) mkdirSync(join(root, d), { mode: 0o700 });
    env = {
      ...process.env,
      HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'cfg'),
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'claude'),
      SHELL: '/bin/sh',
    };
    delete env.TMUX;
    delete env.DBUS_SESSION_BUS_ADDRESS;
    tmux = new TmuxHarness(env);
  });

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    await tmux.kill();
    await server?.stop();
    await bus?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('fails each check for a real reason, with its fix', async () => {
    mkdirSync(join(root, 'state'));
    chmodSync(join(root, 'state'), 0o777);
    const d = await doctor();
    expect(d.code).toBe(1);
    expect(d.doc.ok).toBe(false);
    expect(d.by('server')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/no tmux server/) });
    expect(d.by('state-dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/writable by group or others \(mode 777\)/),
      fix: `chmod 700 ${JSON.stringify(join(root, 'state'))}`,
    });
    expect(d.by('hooks')).toMatchObject({
      status: 'fail',
      fix: `fleetkeeper hooks install --config-dir ${JSON.stringify(join(root, 'claude'))}`,
    });
    expect(d.by('claude-sessions')).toMatchObject({ status: 'skip' });
    expect(d.by('saver')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/fleetkeeper service install/) });
    expect(d.by('login')).toMatchObject({ status: 'fail' });
    expect(d.by('desktop')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/no D-Bus session bus.*no other alert channel/),
    });
    expect(d.by('alerts')).toMatchObject({ status: 'fail' });
    expect(d.by('disk')).toMatchObject({ status: 'pass' });
    chmodSync(join(root, 'state'), 0o700);
    // The text form: one line per check, the fix under each failure.
    const text = await runCli(['doctor', '--socket', tmux.socket], env);
    expect(text.stdout).toMatch(/^FAIL {2}tmux server reachable: .*\n {6}fix: start tmux/m);
    expect(text.stdout.trim().split('\n').pop()).toMatch(/^\d+ checks failed$/);
  }, 60_000);

  it('passes once each thing is fixed; a stopped daemon and a bus without a server fail again', async () => {
    await tmux.run('new-session', '-d', '-s', 'doc');
    expect((await runCli(['hooks', 'install'], env)).code).toBe(0);
    mkdirSync(join(root, 'cfg', 'autostart'));
    writeFileSync(
      join(root, 'cfg', 'autostart', 'fleetkeeper.desktop'),
      desktopEntry(['/opt/Fleetkeeper/fleetkeeper']),
    );
    daemon = spawn(process.execPath, [CLI, 'daemon', '--socket', tmux.socket], { env, stdio: 'ignore' });
    let d = await doctor();
    await waitFor(async () => (d = await doctor()).by('saver').status === 'pass', 20_000, 'the daemon to be seen');
    expect(d.by('server').status).toBe('pass');
    expect(d.by('hooks').status).toBe('pass');
    expect(d.by('state-dir').status).toBe('pass');
    expect(d.by('login')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/tray app/) });

    // Headless with another channel: the desktop check does not apply.
    const headless = await doctor();
    expect(headless.by('desktop').status).toBe('fail');
    expect((await runCli(['config', 'set', 'alertCommand', 'logger fleetkeeper'], env)).code).toBe(0);
    const withCommand = await doctor();
    expect(withCommand.by('desktop')).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/headless here .*alerts go to alertCommand/),
    });
    expect(withCommand.by('alerts')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^live: command/) });
    expect(withCommand.code, withCommand.stdout).toBe(0);
    expect((await runCli(['config', 'unset', 'alertCommand'], env)).code).toBe(0);

    // A session bus with nobody serving notifications, then with a notification server.
    bus = await startDbusSession();
    const busEnv = { DBUS_SESSION_BUS_ADDRESS: bus.address };
    const noServer = await doctor(busEnv);
    expect(noServer.by('desktop')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/no notification server \(org.freedesktop.Notifications\) on the session bus/),
    });
    server = await startNotificationServer(bus.address);
    const all = await doctor(busEnv);
    expect(all.by('desktop')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/Notifications is on/) });
    expect(all.by('alerts')).toMatchObject({ status: 'pass' });
    expect(all.doc.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(all.code).toBe(0);

    // The daemon stops: the saver check fails and says so.
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon!.once('exit', r));
    daemon = null;
    const stopped = await doctor(busEnv);
    expect(stopped.code).toBe(1);
    expect(stopped.by('saver')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/nobody saves/) });
  }, 120_000);
});
