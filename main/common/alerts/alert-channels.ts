// Which alert channels can reach the user, decided from facts gathered elsewhere. Desktop
// notifications need a session bus on Linux; alertCommand and heartbeatUrl work anywhere.

export type AlertChannelName = 'desktop' | 'command' | 'heartbeat';

export interface AlertChannel {
  name: AlertChannelName;
  /** Configured and able to deliver now (a last attempt that failed makes it not live). */
  live: boolean;
  detail: string;
}

export interface BusFacts {
  platform: string;
  /** $DBUS_SESSION_BUS_ADDRESS (empty or undefined when unset). */
  busAddress: string | undefined;
  /** The systemd user bus socket, /run/user/$UID/bus, exists. */
  userBusSocket: string | null;
}

/** Whether a desktop notification has anywhere to go, and the one line that says why not. */
export function desktopBus(f: BusFacts): { available: boolean; detail: string } {
  if (f.platform === 'darwin') return { available: true, detail: 'Notification Center' };
  if (f.platform === 'win32') return { available: true, detail: 'Windows toasts' };
  if (f.busAddress !== undefined && f.busAddress !== '')
    return { available: true, detail: `session bus ${f.busAddress}` };
  if (f.userBusSocket !== null) return { available: true, detail: `session bus ${f.userBusSocket}` };
  return {
    available: false,
    detail: 'no D-Bus session bus ($DBUS_SESSION_BUS_ADDRESS unset and no /run/user/$UID/bus)',
  };
}

/** The last outcome of a channel, as recorded by the process that delivers alerts. */
export interface ChannelOutcome {
  at: string;
  ok: boolean;
  detail: string;
}

export interface ChannelInputs {
  notifications: boolean;
  bus: { available: boolean; detail: string };
  alertCommand: string | null;
  heartbeatUrl: string | null;
  last?: Partial<Record<AlertChannelName, ChannelOutcome | null>>;
}

function withLast(base: AlertChannel, last: ChannelOutcome | null | undefined): AlertChannel {
  if (!base.live || last === undefined || last === null) return base;
  return last.ok
    ? { ...base, detail: `${base.detail}; last delivered ${last.at}` }
    : { ...base, live: false, detail: `${base.detail}; last attempt failed ${last.at}: ${last.detail}` };
}

/** Every channel, live or not, with why. */
export function alertChannels(i: ChannelInputs): AlertChannel[] {
  const desktop: AlertChannel = !i.notifications
    ? { name: 'desktop', live: false, detail: 'turned off (notifications is false)' }
    : i.bus.available
      ? { name: 'desktop', live: true, detail: i.bus.detail }
      : { name: 'desktop', live: false, detail: i.bus.detail };
  const command: AlertChannel =
    i.alertCommand === null
      ? { name: 'command', live: false, detail: 'alertCommand is not set' }
      : { name: 'command', live: true, detail: `runs ${commandName(i.alertCommand)} (alertCommand)` };
  const heartbeat: AlertChannel =
    i.heartbeatUrl === null
      ? { name: 'heartbeat', live: false, detail: 'heartbeatUrl is not set' }
      : { name: 'heartbeat', live: true, detail: `GET ${redactUrl(i.heartbeatUrl)} after every save` };
  return [
    withLast(desktop, i.last?.desktop),
    withLast(command, i.last?.command),
    withLast(heartbeat, i.last?.heartbeat),
  ];
}

/** Only the program of an alertCommand is shown: the rest may carry a token (curl -H …). */
export function commandName(cmd: string): string {
  const first = cmd.trim().split(/\s+/)[0] ?? '';
  return `${first.replace(/^['"]|['"]$/g, '')}${cmd.trim() === first ? '' : ' …'}`;
}

/** A heartbeat URL's path is usually its secret (a check's UUID): show the host and hide the rest. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** Waits before each retry of one heartbeat: bounded, so a dead monitor costs at most a few requests per save. */
export const HEARTBEAT_RETRY_DELAYS_MS: readonly number[] = [2_000, 10_000];
