import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { CLI } from './helpers/cli.js';
import { isolatedEnv, tempDir, type TempDir } from './helpers/fixtures.js';
import { dbusSkipReason, startDbusSession, type DbusSession } from './helpers/dbus-session.js';
import { startNotificationServer, type NotificationServer } from './helpers/notification-server.js';

// The headless daemon's alarm, end to end: a tmux server that stops answering (SIGSTOP) makes
// saves fail; the real `fleetkeeper daemon` turns red and a critical notification travels
// through notify-send and a private D-Bus to a notification server; when tmux answers again
// the recovery is announced once.
const skip = dbusSkipReason();

describe.skipIf(skip !== null)(`daemon notifications over D-Bus${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let temp: TempDir | null = null;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;
  let bus: DbusSession;
  let server: NotificationServer;
  let daemon: ChildProcess | null = null;
  let log = '';
  let stoppedPid: number | null = null;

  beforeAll(async () => {
    temp = tempDir('dnotify');
    bus = await startDbusSession();
    server = await startNotificationServer(bus.address);
    env = isolatedEnv(temp.dir, { DBUS_SESSION_BUS_ADDRESS: bus.address });
    tmux = new TmuxHarness(env);
  }, 60_000);

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    // Asking a stopped server for its pid would hang: use the one we stopped.
    if (stoppedPid !== null) process.kill(stoppedPid, 'SIGCONT');
    await tmux.kill();
    await server?.stop();
    await bus?.stop();
    temp?.dispose();
  });

  it('notifies critical when saves start failing and once on recovery', async () => {
    await tmux.run('new-session', '-d', '-s', 'w');
    daemon = spawn(
      process.execPath,
      [CLI, 'daemon', '--interval', '1', '--stale-after', '30', '--socket', tmux.socket],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    daemon.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    await waitFor(() => /health: (fresh|hooks-missing)/.test(log), 15_000, 'a healthy daemon');
    expect(server.received).toHaveLength(0);

    const pid = (await tmux.serverPid())!;
    stoppedPid = pid;
    process.kill(pid, 'SIGSTOP');
    await waitFor(() => server.received.length > 0, 40_000, 'the red notification');
    const red = server.received[0]!;
    expect(red.summary).toBe('Fleetkeeper: saves are FAILING');
    console.log(`red: ${red.summary} — ${red.body}`);
    expect(red.body).toMatch(/did not answer display-message within 10000 ms/);
    expect(red.hints.urgency).toBe(2);
    expect(red.appName).toBe('Fleetkeeper');

    process.kill(pid, 'SIGCONT');
    await waitFor(() => server.received.length > 1, 40_000, 'the recovery notification');
    const back = server.received[1]!;
    expect(back.summary).toMatch(/fresh again|saving again/);
    expect(back.hints.urgency).toBe(1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(server.received).toHaveLength(2);
  }, 120_000);
});
