import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import dbus from 'dbus-next';
import { FleetkeeperError } from '../main/common/base/errors.js';
import { createNodeNotifier, notifySendText, RecordingNotifier, type Urgency } from '../main/node/desktop/notifier.js';
import { dbusSkipReason, startDbusSession, type DbusSession } from './helpers/dbus-session.js';
import { SERVER_INFO, startNotificationServer, type NotificationServer } from './helpers/notification-server.js';

// Real round trip: node-notifier → notify-send → a private dbus-daemon → a notification
// server speaking org.freedesktop.Notifications, which records what it was asked to show.
const skip = dbusSkipReason();

describe('RecordingNotifier', () => {
  it('keeps copies of what was sent, in order', async () => {
    const r = new RecordingNotifier();
    const n = { title: 'a', body: 'b', urgency: 'low' as const };
    await r.notify(n);
    n.title = 'changed';
    await r.notify({ title: 'c', body: '', urgency: 'critical' });
    expect(r.sent).toEqual([
      { title: 'a', body: 'b', urgency: 'low' },
      { title: 'c', body: '', urgency: 'critical' },
    ]);
  });
});

describe.skipIf(skip !== null)(
  `native notifications over a private D-Bus session${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let session: DbusSession;
    let server: NotificationServer;
    const savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

    beforeAll(async () => {
      session = await startDbusSession();
      server = await startNotificationServer(session.address);
      // notify-send is started by node-notifier with this process's environment.
      process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
    });
    afterAll(async () => {
      if (savedAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress;
      await server?.stop();
      await session?.stop();
      if (session) expect(() => process.kill(session.pid, 0)).toThrow();
    });

    it('the test server answers the spec methods over the bus', async () => {
      const bus = dbus.sessionBus({ busAddress: session.address });
      try {
        const obj = await bus.getProxyObject('org.freedesktop.Notifications', '/org/freedesktop/Notifications');
        const api = obj.getInterface('org.freedesktop.Notifications');
        expect(await api.GetServerInformation?.()).toEqual([...SERVER_INFO]);
        expect(await api.GetCapabilities?.()).toContain('body');
        const closed = new Promise<unknown[]>((res) => api.on('NotificationClosed', (...a: unknown[]) => res(a)));
        await api.CloseNotification?.(41);
        expect(await closed).toEqual([41, 3]);
      } finally {
        bus.disconnect();
      }
    });

    it.each([
      ['low', 0],
      ['normal', 1],
      ['critical', 2],
    ] as [Urgency, number][])('delivers title, body, app name and urgency %s (= %i)', async (urgency, byte) => {
      const before = server.received.length;
      const notifier = createNodeNotifier({ appName: 'Fleetkeeper Test', iconPath: '/usr/share/icons/fk-test.png' });
      await notifier.notify({ title: `Backups ${urgency}`, body: `snapshot age 42 s (${urgency})`, urgency });
      // notify-send exits only after Notify was answered, so the record is already there.
      expect(server.received.length).toBe(before + 1);
      const got = server.received[before];
      expect(got).toMatchObject({
        appName: 'Fleetkeeper Test',
        summary: `Backups ${urgency}`,
        body: `snapshot age 42 s (${urgency})`,
        appIcon: '/usr/share/icons/fk-test.png',
      });
      expect(got?.hints.urgency).toBe(byte);
    });

    it('passes shell metacharacters through byte for byte and never lets text become an option', async () => {
      const before = server.received.length;
      const title = `pane "api" $HOME \`id\` it's \\ 100%`;
      const body = `--urgency=low; rm -rf /tmp/never $(touch /tmp/fk-pwned)`;
      await createNodeNotifier().notify({ title, body, urgency: 'critical' });
      const got = server.received[before];
      expect(got?.summary).toBe(title);
      expect(got?.body).toBe(` ${body}`);
      expect(got?.body.trimStart()).toBe(body);
      expect(got?.hints.urgency).toBe(2);
      expect(got?.appName).toBe('Fleetkeeper');
    });

    it('sends multi-line and empty bodies as notify-send can carry them', async () => {
      const before = server.received.length;
      await createNodeNotifier().notify({
        title: 'Restore',
        body: 'api: verified\r\ndeploy: silent',
        urgency: 'normal',
      });
      await createNodeNotifier().notify({ title: 'Backups fresh again', body: '', urgency: 'low' });
      expect(server.received.slice(before).map((r) => [r.summary, r.body])).toEqual([
        ['Restore', 'api: verified / deploy: silent'],
        ['Backups fresh again', ' '],
      ]);
      expect(notifySendText('-x')).toBe(' -x');
    });

    it('rejects with a clear error when nothing serves notifications on the bus', async () => {
      await server.stop();
      try {
        const err = await createNodeNotifier()
          .notify({ title: 'Nobody listens', body: 'x', urgency: 'normal' })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FleetkeeperError);
        expect((err as FleetkeeperError).code).toBe('notify-failed');
        expect((err as Error).message).toMatch(
          /^notification "Nobody listens" was not shown: .*org\.freedesktop\.Notifications/s,
        );
      } finally {
        server = await startNotificationServer(session.address);
      }
    });

    it('rejects with a clear error when the session bus is unreachable', async () => {
      process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/fk-bus';
      try {
        const err = await createNodeNotifier()
          .notify({ title: 'No bus', body: 'x', urgency: 'low' })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FleetkeeperError);
        expect((err as Error).message).toMatch(/^notification "No bus" was not shown: \S/);
      } finally {
        process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
      }
    });

    it('refuses an unknown urgency before running anything', async () => {
      const before = server.received.length;
      await expect(
        createNodeNotifier().notify({ title: 't', body: 'b', urgency: 'urgent' as Urgency }),
      ).rejects.toThrow(/"urgent"/);
      expect(server.received.length).toBe(before);
    });
  },
);
