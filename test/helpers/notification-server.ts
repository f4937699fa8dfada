import dbus from 'dbus-next';

// A real org.freedesktop.Notifications server (the Desktop Notifications spec, 1.2) on a
// given bus, recording what it is asked to show. The test double sits at the D-Bus
// boundary: everything from notify-send to here is the real stack.

export interface ReceivedNotification {
  id: number;
  appName: string;
  replacesId: number;
  appIcon: string;
  summary: string;
  body: string;
  actions: string[];
  /** Hint values unwrapped from their variants (urgency is a byte: 0 low, 1 normal, 2 critical). */
  hints: Record<string, unknown>;
  expireTimeout: number;
}

export const SERVER_INFO = ['fk-test-notifications', 'fleetkeeper-tests', '1.0', '1.2'] as const;

class NotificationsInterface extends dbus.interface.Interface {
  nextId = 1;
  readonly received: ReceivedNotification[] = [];
  readonly closed: number[] = [];

  constructor() {
    super('org.freedesktop.Notifications');
  }

  Notify(
    appName: string,
    replacesId: number,
    appIcon: string,
    summary: string,
    body: string,
    actions: string[],
    hints: Record<string, dbus.Variant>,
    expireTimeout: number,
  ): number {
    const id = replacesId !== 0 ? replacesId : this.nextId++;
    const plain = Object.fromEntries(Object.entries(hints).map(([k, v]) => [k, v.value]));
    this.received.push({ id, appName, replacesId, appIcon, summary, body, actions, hints: plain, expireTimeout });
    return id;
  }

  GetCapabilities(): string[] {
    return ['body', 'icon-static'];
  }

  GetServerInformation(): string[] {
    return [...SERVER_INFO];
  }

  CloseNotification(id: number): void {
    this.closed.push(id);
    this.NotificationClosed(id, 3); // 3: closed by a call to CloseNotification
  }

  NotificationClosed(id: number, reason: number): number[] {
    return [id, reason];
  }

  ActionInvoked(id: number, actionKey: string): [number, string] {
    return [id, actionKey];
  }
}

NotificationsInterface.configureMembers({
  methods: {
    Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
    GetCapabilities: { outSignature: 'as' },
    GetServerInformation: { outSignature: 'ssss' },
    CloseNotification: { inSignature: 'u' },
  },
  signals: {
    NotificationClosed: { signature: 'uu' },
    ActionInvoked: { signature: 'us' },
  },
});

export interface NotificationServer {
  readonly received: ReceivedNotification[];
  readonly closed: number[];
  stop(): Promise<void>;
}

export async function startNotificationServer(busAddress: string): Promise<NotificationServer> {
  const bus = dbus.sessionBus({ busAddress });
  const iface = new NotificationsInterface();
  try {
    bus.export('/org/freedesktop/Notifications', iface);
    const reply = await bus.requestName('org.freedesktop.Notifications', dbus.NameFlag.DO_NOT_QUEUE);
    if (reply !== dbus.RequestNameReply.PRIMARY_OWNER)
      throw new Error(`could not own org.freedesktop.Notifications (reply ${reply})`);
  } catch (e) {
    bus.disconnect();
    throw e;
  }
  return {
    received: iface.received,
    closed: iface.closed,
    async stop() {
      await bus.releaseName('org.freedesktop.Notifications').catch(() => undefined);
      bus.disconnect();
    },
  };
}
